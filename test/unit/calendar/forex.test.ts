import { describe, expect, test } from "bun:test";
import { calendarFor } from "../../../src/calendar/index.ts";
import { ISO, T, wall } from "./_helpers.ts";

const fx = calendarFor("forex");
const NY = "America/New_York";

describe("forex 24/5", () => {
  test("Friday closes 17:00 New York: the last 1m bar opens 16:59", () => {
    expect(lastMinute("2024-03-08")).toBe("2024-03-08T21:59:00.000Z");
    expect(fx.isExpected("1m", T("2024-03-08T22:00:00Z"))).toBe(false);
    expect(fx.isExpected("1m", T("2024-03-08T21:59:00Z"))).toBe(true);
  });

  test("March DST: Sunday opens 17:00 EDT = 21:00Z, the next Friday closes 21:00Z", () => {
    const mon = fx.sessionsBetween(T("2024-03-11"), T("2024-03-11"))[0]!;
    expect(ISO(mon.openMs)).toBe("2024-03-10T21:00:00.000Z");
    expect(wall(mon.openMs, NY)).toBe("2024-03-10 17:00");
    expect(lastMinute("2024-03-15")).toBe("2024-03-15T20:59:00.000Z");
    // 5 × 24 hourly bars in the DST week, none missing across the switch.
    expect(fx.expected("1h", T("2024-03-10"), T("2024-03-16")).length).toBe(120);
  });

  test("November DST: Friday closes 21:00Z, Sunday opens 22:00Z", () => {
    expect(lastMinute("2024-11-01")).toBe("2024-11-01T20:59:00.000Z");
    expect(ISO(fx.sessionsBetween(T("2024-11-04"), T("2024-11-04"))[0]!.openMs)).toBe("2024-11-03T22:00:00.000Z");
  });

  test("weekdays trade through 17:00 New York (no daily halt)", () => {
    expect(fx.isExpected("1m", T("2024-03-12T21:00:00Z"))).toBe(true);
    expect(fx.isExpected("1h", T("2024-03-12T21:00:00Z"))).toBe(true);
  });

  test("daily bars: Monday–Friday dates, 00:00 UTC", () => {
    expect([...fx.expected("1d", T("2024-03-09"), T("2024-03-17"))].map((t) => ISO(t).slice(0, 10))).toEqual([
      "2024-03-11",
      "2024-03-12",
      "2024-03-13",
      "2024-03-14",
      "2024-03-15",
    ]);
    expect(fx.lastCompleted("1d", T("2024-03-11T21:00:00Z"))).toBe(T("2024-03-11"));
    expect(fx.lastCompleted("1d", T("2024-03-11T20:59:00Z"))).toBe(T("2024-03-08"));
  });

  test("4h slots follow the UTC epoch; the slot straddling the winter Sunday open is expected", () => {
    expect(fx.isExpected("4h", T("2024-01-07T20:00:00Z"))).toBe(true);
    expect(fx.isExpected("4h", T("2024-01-07T16:00:00Z"))).toBe(false);
    expect(fx.isExpected("4h", T("2024-01-08T02:00:00Z"))).toBe(false);
  });
});

function lastMinute(day: string): string {
  const s = fx.sessionsBetween(T(day), T(day))[0]!;
  const bars = fx.expected("1m", s.openMs, s.closeMs);
  return ISO(bars[bars.length - 1]!);
}
