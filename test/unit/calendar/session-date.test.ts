import { describe, expect, test } from "bun:test";
import { calendarFor } from "../../../src/calendar/index.ts";
import { DailyLabeler, readDailyStamp, sessionDate } from "../../../src/calendar/session-date.ts";
import { parseTimestamp as parse } from "../../../src/vendors/file/timestamps.ts";
import { T } from "./_helpers.ts";

/** A vendor stamp as the file vendor reads it (UTC ms). */
function parseTimestamp(s: string): number {
  const t = parse(s);
  if (typeof t !== "number") throw new Error(`${s}: ${t.reason}`);
  return t;
}
const D = (cal: string, s: string) => new Date(sessionDate(calendarFor(cal), parseTimestamp(s))!).toISOString().slice(0, 10);

describe("daily stamps become the session date of the exchange", () => {
  test.each([
    ["XTKS", "2023-03-15 00:00:00+09:00", "2023-03-15", "local-midnight"],
    ["XTKS", "2023-03-15", "2023-03-15", "utc-midnight"],
    ["XTKS", "2023-03-15T00:00:00Z", "2023-03-15", "utc-midnight"],
    ["XLON", "2023-03-15 00:00:00+00:00", "2023-03-15", "utc-midnight"],
    ["XLON", "2023-06-14 00:00:00+01:00", "2023-06-14", "local-midnight"],
    ["XETR", "2023-06-14 00:00:00+02:00", "2023-06-14", "local-midnight"],
    ["XETR", "2023-01-11 00:00:00+01:00", "2023-01-11", "local-midnight"],
    ["XNYS", "2023-03-15 00:00:00-04:00", "2023-03-15", "local-midnight"],
    ["XNYS", "2023-01-11 00:00:00-05:00", "2023-01-11", "local-midnight"],
    ["XNYS", "2023-01-11T14:30:00Z", "2023-01-11", "session-open"],
    ["XASX", "2023-01-11T23:00:00Z", "2023-01-12", "session-open"],
    ["CMES_EQUITY", "2024-01-07T23:00:00Z", "2024-01-08", "session-open"],
    ["FOREX", "2024-06-09T21:00:00Z", "2024-06-10", "session-open"],
    ["CRYPTO", "2024-06-09T00:00:00Z", "2024-06-09", "utc-midnight"],
  ])("%s %s → %s (%s)", (name, stamp, date, how) => {
    expect(D(name, stamp)).toBe(date);
    expect(readDailyStamp(calendarFor(name), parseTimestamp(stamp))!.how).toBe(how as never);
  });

  test("a Tokyo week of local midnights is Monday–Friday, not Sunday–Thursday", () => {
    const days = ["2023-03-13", "2023-03-14", "2023-03-15", "2023-03-16", "2023-03-17"].map((d) => parseTimestamp(`${d} 00:00:00+09:00`));
    const cal = calendarFor("XTKS");
    expect(days.map((t) => new Date(sessionDate(cal, t)!).getUTCDay())).toEqual([1, 2, 3, 4, 5]);
    for (const t of days) expect(cal.isExpected("1d", sessionDate(cal, t)!)).toBe(true);
  });

  test("the zone the vendor says it stamps in also counts (Yahoo FX at London midnight)", () => {
    const t = T("2024-06-09T23:00:00Z");
    expect(sessionDate(calendarFor("FOREX"), t)).toBeUndefined();
    expect(sessionDate(calendarFor("FOREX"), t, "Europe/London")).toBe(T("2024-06-10"));
  });

  test("a stamp that matches no rule is kept as it is and reported once, naming the first row", () => {
    const lab = new DailyLabeler(calendarFor("XTKS"));
    const odd = T("2023-03-15T05:17:00Z");
    expect(lab.label(T("2023-03-14T15:00:00Z"), () => "row 1")).toBe(T("2023-03-15"));
    expect(lab.label(odd, () => "file.csv:3")).toBe(odd);
    expect(lab.label(odd + 86_400_000, () => "file.csv:4")).toBe(odd + 86_400_000);
    expect(lab.unmatched).toBe(2);
    const w = lab.warning("TSE:7203 1d")!;
    expect(w).toContain("2 daily timestamps");
    expect(w).toContain("file.csv:3");
    expect(w).toContain("XTKS");
    expect(new DailyLabeler(calendarFor("XTKS")).warning("x")).toBeUndefined();
  });
});
