import { describe, expect, test } from "bun:test";
import { calendarFor } from "../../../src/calendar/index.ts";
import { ISO, T, wall } from "./_helpers.ts";

const cme = calendarFor("futures");
const session = (d: string) => cme.sessionsBetween(T(d), T(d))[0];
const CT = "America/Chicago";

describe("CME Globex sessions", () => {
  test("Monday's session opens Sunday 17:00 Chicago and closes Monday 16:00", () => {
    const s = session("2024-01-08")!;
    expect(ISO(s.openMs)).toBe("2024-01-07T23:00:00.000Z");
    expect(wall(s.openMs, CT)).toBe("2024-01-07 17:00");
    expect(wall(s.closeMs, CT)).toBe("2024-01-08 16:00");
    expect(cme.isExpected("1m", T("2024-01-07T23:00:00Z"))).toBe(true);
    expect(cme.isExpected("1m", T("2024-01-07T22:59:00Z"))).toBe(false);
  });

  test("no Saturday: nothing between Friday 16:00 and Sunday 17:00 Chicago", () => {
    expect(cme.expected("1m", T("2024-01-05T22:00:00Z"), T("2024-01-07T22:59:00Z")).length).toBe(0);
    expect(cme.isExpected("1d", T("2024-01-06"))).toBe(false);
    expect(cme.isExpected("1d", T("2024-01-07"))).toBe(false);
  });

  test("the 16:00–17:00 halt: 1h slot 21:00Z missing in summer, 22:00Z missing in winter", () => {
    expect(cme.isExpected("1h", T("2024-06-11T21:00:00Z"))).toBe(false);
    expect(cme.isExpected("1h", T("2024-06-11T22:00:00Z"))).toBe(true);
    expect(cme.isExpected("1h", T("2024-01-09T22:00:00Z"))).toBe(false);
    expect(cme.isExpected("1h", T("2024-01-09T21:00:00Z"))).toBe(true);
    expect(cme.isExpected("1h", T("2024-01-09T23:00:00Z"))).toBe(true);
  });

  test("a 4h epoch slot straddling the halt is one expected bar", () => {
    const bars = [...cme.expected("4h", T("2024-01-09"), T("2024-01-10T23:59:00Z"))].map(ISO);
    expect(bars.filter((b) => b === "2024-01-09T20:00:00.000Z")).toHaveLength(1);
    expect(bars).toHaveLength(12);
  });

  test("March DST week: Sunday opens 22:00Z after the change, 23 hourly bars every regular session", () => {
    expect(ISO(session("2024-03-08")!.openMs)).toBe("2024-03-07T23:00:00.000Z");
    expect(ISO(session("2024-03-11")!.openMs)).toBe("2024-03-10T22:00:00.000Z");
    for (const d of ["2024-03-08", "2024-03-11", "2024-03-12"]) {
      const s = session(d)!;
      expect(cme.expected("1h", s.openMs, s.closeMs - 1).length).toBe(23);
      expect(cme.expected("1m", s.openMs, s.closeMs - 1).length).toBe(23 * 60);
    }
  });

  test("November DST week: Sunday opens 23:00Z", () => {
    expect(ISO(session("2024-11-01")!.openMs)).toBe("2024-10-31T22:00:00.000Z");
    expect(ISO(session("2024-11-04")!.openMs)).toBe("2024-11-03T23:00:00.000Z");
  });

  test("daily bars are labelled with the session date, Monday–Friday", () => {
    expect([...cme.expected("1d", T("2024-01-06"), T("2024-01-14"))].map((t) => ISO(t).slice(0, 10))).toEqual([
      "2024-01-08",
      "2024-01-09",
      "2024-01-10",
      "2024-01-11",
      "2024-01-12",
    ]);
  });
});

describe("CME holidays and early halts", () => {
  test.each(["2024-03-29", "2024-12-25", "2024-01-01", "2023-01-02", "2021-12-24"])("%s is closed", (d) => {
    expect(cme.isExpected("1d", T(d))).toBe(false);
  });

  test("New Year on Saturday: Friday Dec 31 trades regular hours", () => {
    expect(wall(session("2021-12-31")!.closeMs, CT)).toBe("2021-12-31 16:00");
  });

  test("after Good Friday the next session opens Sunday 17:00", () => {
    expect(ISO(session("2024-04-01")!.openMs)).toBe("2024-03-31T22:00:00.000Z");
    expect(cme.expected("1m", T("2024-03-28T21:00:00Z"), T("2024-03-31T21:59:00Z")).length).toBe(0);
  });

  test("Christmas: Dec 24 closes 12:15, Dec 26 opens 17:00 on Christmas Day", () => {
    expect(wall(session("2024-12-24")!.closeMs, CT)).toBe("2024-12-24 12:15");
    expect(wall(session("2024-12-26")!.openMs, CT)).toBe("2024-12-25 17:00");
  });

  test("Thanksgiving halts at 12:00, the Friday after closes at 12:15", () => {
    const thu = session("2024-11-28")!;
    expect(thu.early).toBe("Thanksgiving Day");
    expect(wall(thu.closeMs, CT)).toBe("2024-11-28 12:00");
    expect(wall(session("2024-11-29")!.openMs, CT)).toBe("2024-11-28 17:00");
    expect(wall(session("2024-11-29")!.closeMs, CT)).toBe("2024-11-29 12:15");
    expect(cme.isExpected("1m", T("2024-11-28T18:00:00Z"))).toBe(false);
    expect(cme.isExpected("1m", T("2024-11-28T17:59:00Z"))).toBe(true);
  });

  test.each(["2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02"])("%s halts at 12:00 Chicago", (d) => {
    expect(wall(session(d)!.closeMs, CT)).toBe(`${d} 12:00`);
  });
});
