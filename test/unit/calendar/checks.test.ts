import { describe, expect, test } from "bun:test";
import { calendarFor } from "../../../src/calendar/index.ts";
import { coverage, coverageRatio } from "../../../src/checks/coverage.ts";
import { barsPerSession, gap, missingRanges } from "../../../src/checks/gap.ts";
import { offCalendar } from "../../../src/checks/off_calendar.ts";
import { allowanceHours, defaultAllowanceHours, freshness, stale } from "../../../src/checks/stale.ts";
import { makeOptions } from "../../helpers/bars.ts";
import { inputFor, opts, T } from "./_helpers.ts";

const H = 3_600_000;
const DAY = 86_400_000;
const hours = (from: string, n: number, skip: number[] = []) => Array.from({ length: n }, (_, i) => T(from) + i * H).filter((_, i) => !skip.includes(i));

describe("gap", () => {
  test("lists each missing range exactly, newest first", () => {
    const f = gap.run(inputFor("crypto", "1h", hours("2024-03-01", 48, [3, 10, 11, 12])), opts());
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toBe("4 missing bars in 2 gaps");
    expect(f[0]!.severity).toBe("warning");
    expect(f[0]!.metrics).toMatchObject({ missingBars: 4, gaps: 2 });
    expect(f[0]!.details!.ranges).toEqual([
      { from: "2024-03-01T10:00:00.000Z", to: "2024-03-01T12:00:00.000Z", bars: 3 },
      { from: "2024-03-01T03:00:00.000Z", to: "2024-03-01T03:00:00.000Z", bars: 1 },
    ]);
  });

  test("weekends and holidays are not gaps for equities", () => {
    const days = ["2024-03-27", "2024-03-28", "2024-04-01", "2024-04-02"].map(T);
    expect(gap.run(inputFor("equity", "1d", days), opts())).toEqual([]);
    const f = gap.run(inputFor("equity", "1d", [T("2024-03-27"), T("2024-04-02")]), opts());
    expect(f[0]!.details!.ranges).toEqual([{ from: "2024-03-28T00:00:00.000Z", to: "2024-04-01T00:00:00.000Z", bars: 2 }]);
  });

  test("more than 5 missing sessions in one gap is an error (maxGapSessions; maxGapDays still read as its alias)", () => {
    const days = Array.from({ length: 30 }, (_, i) => T("2024-03-01") + i * DAY);
    const six = days.filter((_, i) => i < 10 || i >= 16);
    expect(gap.run(inputFor("crypto", "1d", six), opts())[0]!.severity).toBe("error");
    const five = days.filter((_, i) => i < 10 || i >= 15);
    expect(gap.run(inputFor("crypto", "1d", five), opts())[0]!.severity).toBe("warning");
    expect(gap.run(inputFor("crypto", "1d", five), opts({ maxGapSessions: 4 }))[0]!.severity).toBe("error");
    expect(gap.run(inputFor("crypto", "1d", five), opts({ maxGapDays: 4 }))[0]!.severity).toBe("error");
    expect(gap.run(inputFor("crypto", "1d", five), opts({ maxGapDays: 4, maxGapSessions: 5 }))[0]!.severity).toBe("warning");
  });

  test("sessions, not calendar days: 5 missing Mon–Fri and 4 missing over a weekend and Good Friday are both warnings", () => {
    const week = gap.run(inputFor("equity", "1d", [T("2024-03-08"), T("2024-03-18")]), opts());
    expect(week[0]!.severity).toBe("warning");
    expect(week[0]!.metrics).toMatchObject({ missingBars: 5, longestGapSessions: 5, longestGapDays: 5 });
    const easter = gap.run(inputFor("equity", "1d", [T("2024-03-27"), T("2024-04-04")]), opts());
    expect(easter[0]!.severity).toBe("warning");
    expect(easter[0]!.metrics).toMatchObject({ missingBars: 4, longestGapSessions: 4, longestGapDays: 7 });
    expect(gap.run(inputFor("equity", "1d", [T("2024-03-08"), T("2024-03-19")]), opts())[0]!.severity).toBe("error");
  });

  test("intraday gaps count in sessions' worth of expected bars: 120 missing 1h crypto bars are 5 sessions, 121 more", () => {
    const at = (missing: number) =>
      gap.run(
        inputFor(
          "crypto",
          "1h",
          hours(
            "2024-03-01",
            200 + missing,
            Array.from({ length: missing }, (_, i) => 50 + i),
          ),
        ),
        opts(),
      );
    expect(at(120)[0]!.severity).toBe("warning");
    expect(at(120)[0]!.metrics!.longestGapSessions).toBe(5);
    expect(at(121)[0]!.severity).toBe("error");
    expect(barsPerSession(calendarFor("crypto"), "1m", T("2024-03-29"))).toBe(1440);
    expect(barsPerSession(calendarFor("equity"), "1d", T("2024-03-29"))).toBe(1);
    const nyse = barsPerSession(calendarFor("equity"), "1m", T("2024-03-29"));
    expect(nyse).toBeGreaterThan(385);
    expect(nyse).toBeLessThanOrEqual(390);
  });

  test("genesis earlier than the first bar opens the window; bars before genesis are never expected", () => {
    const ts = hours("2024-03-01T05:00:00Z", 10);
    expect(missingRanges(inputFor("crypto", "1h", ts, { genesisMs: T("2024-03-01T02:00:00Z") }))).toEqual([
      { fromMs: T("2024-03-01T02:00:00Z"), toMs: T("2024-03-01T04:00:00Z"), bars: 3 },
    ]);
    expect(missingRanges(inputFor("crypto", "1h", ts, { genesisMs: T("2024-03-01T08:00:00Z") }))).toEqual([]);
  });
});

describe("coverage", () => {
  test("observed ÷ expected, off-calendar bars do not count", () => {
    const ts = [...hours("2024-03-01", 10, [1, 2]), T("2024-03-01T09:30:00Z")];
    expect(coverageRatio(inputFor("crypto", "1h", ts))).toEqual({ observed: 8, expected: 10, ratio: 0.8 });
    const f = coverage.run(inputFor("crypto", "1h", ts), opts());
    expect(f[0]!.severity).toBe("warning");
    expect(f[0]!.metrics).toEqual({ coverage: 0.8, observed: 8, expected: 10 });
  });

  test("the audit window counts missing bars before the first and after the last bar", () => {
    const input = inputFor("crypto", "1h", hours("2024-03-01T02:00:00Z", 4), { fromMs: T("2024-03-01"), toMs: T("2024-03-01T07:00:00Z") });
    expect(coverageRatio(input)).toEqual({ observed: 4, expected: 8, ratio: 0.5 });
    expect(coverage.run(input, opts())[0]!.severity).toBe("error");
    expect(coverage.run(inputFor("crypto", "1h", hours("2024-03-01", 10)), opts())).toEqual([]);
  });
});

describe("stale and freshness", () => {
  const ts = hours("2024-03-01", 24);
  test("crypto: the last bar may trail the last completed bar by 24 h", () => {
    const ok = inputFor("crypto", "1h", ts, { nowMs: T("2024-03-03T00:00:00Z") });
    expect(stale.run(ok, opts())).toEqual([]);
    expect(freshness(ok)).toBe(1);
    const late = inputFor("crypto", "1h", ts, { nowMs: T("2024-03-03T12:00:00Z") });
    const f = stale.run(late, opts());
    expect(f[0]!.severity).toBe("error");
    expect(f[0]!.metrics).toEqual({ ageHours: 37, lagHours: 36, lagDays: 1.5, allowanceHours: 24 });
    // People read the lag in days (crypto) or sessions (markets with sessions), never in raw hours.
    expect(f[0]!.message).toBe("last bar 2024-03-01 23:00 UTC, 1.5 days behind (last expected 2024-03-03 11:00 UTC, allowance 1 day)");
    expect(f[0]!.details).toEqual({ lastBar: "2024-03-01T23:00:00.000Z", lastExpected: "2024-03-03T11:00:00.000Z" });
    expect(freshness(late)).toBeCloseTo(0.5, 10);
    expect(freshness(inputFor("crypto", "1h", ts, { nowMs: T("2024-03-04T12:00:00Z") }))).toBe(0);
    expect(stale.run(late, opts({ allowanceHours: 48 }))).toEqual([]);
    expect(stale.run(late, opts({ allowanceHours: 48, cryptoAllowanceHours: 1 }))).toHaveLength(1);
  });

  test("equity: only the last completed session must be there, not the one in progress", () => {
    const tue = [T("2024-03-11T13:30:00Z"), T("2024-03-11T19:59:00Z")];
    // Tuesday 15:00 New York: Monday's session is the last completed one.
    expect(stale.run(inputFor("equity", "1m", tue, { nowMs: T("2024-03-12T19:00:00Z") }), opts())).toEqual([]);
    const f = stale.run(inputFor("equity", "1m", tue, { nowMs: T("2024-03-12T20:00:00Z") }), opts());
    expect(f[0]!.details).toEqual({ lastBar: "2024-03-11T19:59:00.000Z", lastExpected: "2024-03-12T19:59:00.000Z" });
    expect(f[0]!.metrics?.lagSessions).toBe(1);
    expect(f[0]!.message).toBe("last bar 2024-03-11 19:59 UTC, 1 session behind (last expected 2024-03-12 19:59 UTC)");
    // Over a weekend and Good Friday, Thursday's bar is still fresh on Sunday.
    expect(stale.run(inputFor("equity", "1d", [T("2024-03-28")], { nowMs: T("2024-03-31T12:00:00Z") }), opts())).toEqual([]);
    const d = inputFor("equity", "1d", [T("2024-03-28")], { nowMs: T("2024-04-01T20:00:00Z") });
    expect(stale.run(d, opts())).toHaveLength(1);
    // Good Friday is no session: Thursday's bar on Monday evening is one session (Monday's) behind.
    expect(stale.run(d, opts())[0]!.message).toBe("last bar 2024-03-28, 1 session behind (last expected 2024-04-01)");
    const weeks = stale.run(inputFor("equity", "1d", [T("2024-03-28")], { nowMs: T("2024-04-12T22:00:00Z") }), opts())[0]!;
    expect(weeks.metrics).toMatchObject({ lagSessions: 10, lagDays: 15 });
    expect(freshness(d)).toBe(0);
    expect(freshness(inputFor("equity", "1m", [T("2024-03-12T19:58:00Z")], { nowMs: T("2024-03-12T21:00:00Z") }))).toBeCloseTo(1 - 1 / 1440, 10);
  });
});

describe("stale: warnHours, and per-class and per-symbol allowances", () => {
  const ts = hours("2024-03-01", 24);
  const late = inputFor("crypto", "1h", ts, { nowMs: T("2024-03-02T12:00:00Z") }); // 12 h behind, within the 24 h allowance
  test("a lag above warnHours but within the allowance is a warning; beyond the allowance still an error", () => {
    expect(stale.run(late, opts({ warnHours: 12 }))).toEqual([]); // exactly the warn age: fine
    const [w] = stale.run(late, opts({ warnHours: 6 }));
    expect(w!.severity).toBe("warning");
    expect(w!.metrics).toMatchObject({ lagHours: 12, allowanceHours: 24, warnHours: 6 });
    expect(w!.message).toContain("over the warn age 6 h");
    expect(stale.run(late, opts({ warnHours: 6, allowanceHours: 10 }))[0]!.severity).toBe("error");
  });

  test("byClass and bySymbol layers set the allowance a series sees", () => {
    const o = makeOptions("stale", { allowanceHours: 1, byClass: { crypto: { allowanceHours: 48 } }, bySymbol: { "BINANCE:BTCUSDT": { allowanceHours: 2 } } });
    expect(stale.run({ ...late, symbol: "BINANCE:ETHUSDT" }, o)).toEqual([]);
    expect(stale.run({ ...late, symbol: "BINANCE:BTCUSDT" }, o)).toHaveLength(1);
    expect(freshness({ ...late, symbol: "BINANCE:ETHUSDT" }, o)).toBe(1);
  });
});

describe("stale: intraday crypto", () => {
  const MIN = 60_000;
  const minutes = Array.from({ length: 120 }, (_, i) => T("2024-03-01") + i * MIN);
  const last = minutes[minutes.length - 1]!;
  test("a 1m series may trail by 24 bars (24 min): at 24 min it is fresh, at 25 min stale; 20 h behind is stale", () => {
    const at = (lagMin: number) => stale.run(inputFor("crypto", "1m", minutes, { nowMs: last + MIN + lagMin * MIN }), opts());
    expect(at(24)).toEqual([]);
    expect(at(25)[0]!.metrics).toMatchObject({ lagHours: 0.42, allowanceHours: 0.4 });
    expect(at(20 * 60)).toHaveLength(1);
  });

  test("defaults by interval: 24 bars, at most 24 h; 0 for session markets", () => {
    const hoursOf = (iv: "1m" | "5m" | "15m" | "30m" | "1h" | "4h" | "1d") => defaultAllowanceHours("crypto", iv);
    expect((["1m", "5m", "15m", "30m", "1h", "4h", "1d"] as const).map(hoursOf)).toEqual([0.4, 2, 6, 12, 24, 24, 24]);
    expect(defaultAllowanceHours("equity", "1m")).toBe(0);
    expect(allowanceHours("crypto", opts({ allowanceHours: 3 }), "1m")).toBe(3);
  });
});

describe("off_calendar", () => {
  test("weekend padding and off-grid bars are flagged with evidence", () => {
    const ts = ["2024-03-08", "2024-03-09", "2024-03-10", "2024-03-11"].map(T).concat(T("2024-03-11T12:00:00Z"));
    const f = offCalendar.run(inputFor("equity", "1d", ts), opts());
    expect(f[0]!.metrics).toEqual({ bars: 3 });
    expect(f[0]!.details!.timestamps).toEqual(["2024-03-09T00:00:00.000Z", "2024-03-10T00:00:00.000Z", "2024-03-11T12:00:00.000Z"]);
    expect(offCalendar.run(inputFor("equity", "1d", [T("2024-03-08"), T("2024-03-11")]), opts())).toEqual([]);
  });
});
