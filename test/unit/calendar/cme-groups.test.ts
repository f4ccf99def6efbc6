import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calendarFor, loadReference } from "../../../src/calendar/index.ts";
import { T, wall } from "./_helpers.ts";

const CT = "America/Chicago";
const session = (cal: string, d: string) => calendarFor(cal).sessionsBetween(T(d), T(d))[0];
const hourly = (cal: string, d: string) => {
  const s = session(cal, d);
  return s ? calendarFor(cal).expected("1h", s.openMs, s.closeMs - 1).length : 0;
};

describe("CME by product group", () => {
  test("2025-01-09 (Carter): equity index until 08:30 CT, rates and grains until 12:15, energy, metals and FX normal", () => {
    expect(wall(session("CMES_EQUITY", "2025-01-09")!.closeMs, CT)).toBe("2025-01-09 08:30");
    expect(wall(session("CMES_RATES", "2025-01-09")!.closeMs, CT)).toBe("2025-01-09 12:15");
    expect(wall(session("CMES_AGRI", "2025-01-09")!.closeMs, CT)).toBe("2025-01-09 12:15");
    for (const g of ["CMES_ENERGY", "CMES_FX", "CMES"]) expect(wall(session(g, "2025-01-09")!.closeMs, CT)).toBe("2025-01-09 16:00");
  });

  test("an ES hourly series as traded on 2025-01-09 has 7 fewer expected bars than the all-products calendar gave", () => {
    expect(hourly("CMES", "2025-01-09") - hourly("CMES_EQUITY", "2025-01-09")).toBe(7);
    expect(hourly("CMES_ENERGY", "2025-01-09")).toBe(hourly("CMES", "2025-01-09"));
  });

  test("2018-12-05 (Bush): equity until 08:30, rates closed, the rest normal", () => {
    expect(wall(session("CMES_EQUITY", "2018-12-05")!.closeMs, CT)).toBe("2018-12-05 08:30");
    expect(session("CMES_RATES", "2018-12-05")).toBeUndefined();
    expect(wall(session("CMES_FX", "2018-12-05")!.closeMs, CT)).toBe("2018-12-05 16:00");
    // The next rates session opens as usual the evening of the closure.
    expect(wall(session("CMES_RATES", "2018-12-06")!.openMs, CT)).toBe("2018-12-05 17:00");
  });

  test("2007-01-02 (Ford) and 1994-04-27 (Nixon)", () => {
    expect(session("CMES_EQUITY", "2007-01-02")).toBeUndefined();
    expect(wall(session("CMES_FX", "2007-01-02")!.closeMs, CT)).toBe("2007-01-02 12:00");
    expect(wall(session("CMES_AGRI", "2007-01-02")!.closeMs, CT)).toBe("2007-01-02 06:00");
    for (const g of ["CMES", "CMES_EQUITY", "CMES_RATES", "CMES_ENERGY", "CMES_FX", "CMES_AGRI"]) expect(session(g, "1994-04-27")).toBeUndefined();
  });

  test("Good Friday on an employment-report day: abbreviated equity and rates sessions, energy closed", () => {
    expect(wall(session("CMES_EQUITY", "2023-04-07")!.closeMs, CT)).toBe("2023-04-07 08:15");
    expect(wall(session("CMES_RATES", "2023-04-07")!.closeMs, CT)).toBe("2023-04-07 10:15");
    expect(session("CMES_ENERGY", "2023-04-07")).toBeUndefined();
    expect(session("CMES_EQUITY", "2024-03-29")).toBeUndefined();
  });

  test("grains keep their own hours: 19:00 the evening before, a 07:45–08:30 break, 13:20 close", () => {
    const s = session("CMES_AGRI", "2024-06-12")!;
    expect(wall(s.openMs, CT)).toBe("2024-06-11 19:00");
    expect(wall(s.breakStartMs!, CT)).toBe("2024-06-12 07:45");
    expect(wall(s.breakEndMs!, CT)).toBe("2024-06-12 08:30");
    expect(wall(s.closeMs, CT)).toBe("2024-06-12 13:20");
    expect(session("CMES_AGRI", "2024-07-04")).toBeUndefined();
  });

  test("a holidays.json entry for one group leaves the others alone; the futures key still reaches every group", () => {
    const dir = mkdtempSync(join(tmpdir(), "dqctl-ref-"));
    writeFileSync(
      join(dir, "holidays.json"),
      JSON.stringify({ CMES_EQUITY: { closed: ["2026-03-10"] }, futures: { closed: ["2026-03-11"] }, TSE: { closed: ["2026-03-12"] } }),
    );
    const ref = loadReference(dir);
    expect(calendarFor("CMES_EQUITY", ref).isExpected("1d", T("2026-03-10"))).toBe(false);
    expect(calendarFor("CMES_ENERGY", ref).isExpected("1d", T("2026-03-10"))).toBe(true);
    for (const g of ["CMES", "CMES_EQUITY", "CMES_ENERGY", "CMES_AGRI"]) expect(calendarFor(g, ref).isExpected("1d", T("2026-03-11"))).toBe(false);
    // Keyed by an exchange alias: Tokyo changes, New York does not.
    expect(calendarFor("XTKS", ref).isExpected("1d", T("2026-03-12"))).toBe(false);
    expect(calendarFor("XNYS", ref).isExpected("1d", T("2026-03-12"))).toBe(true);
  });
});
