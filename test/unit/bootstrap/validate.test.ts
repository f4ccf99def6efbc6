import { describe, expect, test } from "bun:test";
import { stitch, type VendorSeries } from "../../../src/bootstrap/stitch.ts";
import { type SeriesContext, validateSeries, validationOptions } from "../../../src/bootstrap/validate.ts";
import { calendarFor } from "../../../src/calendar/index.ts";
import type { Config } from "../../../src/config/schema.ts";
import { allocBars, type Bars } from "../../../src/model/bars.ts";
import type { Profile } from "../../../src/model/profile.ts";

const DAY = 86_400_000;
const ms = (d: string) => Date.parse(d.length === 10 ? `${d}T00:00:00Z` : d);

/** Daily bars on every date in [from, to] that `keep` accepts (default: Monday–Friday). */
function daily(from: string, to: string, keep = (d: Date) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6, close = (i: number) => 1.1 + i / 1000): Bars {
  const ts: number[] = [];
  for (let t = ms(from); t <= ms(to); t += DAY) if (keep(new Date(t))) ts.push(t);
  const b = allocBars(ts.length);
  ts.forEach((t, i) => {
    b.timestamp[i] = t;
    b.open[i] = b.high[i] = b.low[i] = b.close[i] = close(i);
  });
  return b;
}

function judge(
  b: Bars | VendorSeries[],
  o: { profile?: Profile; start: string; end: string; now: string; config?: Config; flags?: Parameters<typeof validationOptions>[2] },
) {
  const profile = o.profile ?? "forex";
  const parts = Array.isArray(b) ? b : [{ vendor: "file", bars: b }];
  const sc: SeriesContext = {
    symbol: "FX:EURUSD",
    interval: "1d",
    profile,
    calendar: calendarFor(profile),
    startMs: ms(o.start),
    endMs: ms(o.end),
    nowMs: ms(o.now),
    config: o.config ?? {},
  };
  return validateSeries(sc, stitch(parts), parts, validationOptions(o.config ?? {}, profile, o.flags));
}
const codes = (v: ReturnType<typeof judge>) => v.findings.map((f) => `${f.code}:${f.severity}`);

describe("coverage against the calendar", () => {
  test("a complete Monday–Friday forex series scores 1.0: weekends are never counted", () => {
    // 2024-01-06 is a Saturday; the window starts and ends on weekends on purpose.
    const v = judge(daily("2024-01-06", "2024-03-31"), { start: "2024-01-06", end: "2024-03-31", now: "2024-04-01T06:00:00Z" });
    expect(v.coverage).toEqual({ observed: 60, expected: 60, ratio: 1 });
    expect(v.findings).toEqual([]);
    expect(v.status).toBe("healthy");
    expect(v.qualityScore).toBe(1);
  });

  test("an equity series is not missing NYSE holidays (Independence Day 2024)", () => {
    const b = daily("2024-07-01", "2024-07-31", (d) => d.getUTCDay() % 6 !== 0 && d.toISOString() !== "2024-07-04T00:00:00.000Z");
    const v = judge(b, { profile: "equity", start: "2024-07-01", end: "2024-07-31", now: "2024-08-01T12:00:00Z" });
    expect(v.coverage.ratio).toBe(1);
    expect(v.findings).toEqual([]);
  });

  test("crypto expects every day", () => {
    const v = judge(daily("2024-01-01", "2024-01-31"), { profile: "crypto", start: "2024-01-01", end: "2024-01-31", now: "2024-02-01T06:00:00Z" });
    expect(v.coverage.expected).toBe(31);
    expect(codes(v)).toContain("coverage:error"); // 23 of 31 < 0.75
  });

  test("missing weekdays: missing_rows lists each range exactly; coverage warns below 0.9 and errors below 0.75", () => {
    const holes = new Set(["2024-01-10", "2024-01-11"]);
    const b = daily("2024-01-01", "2024-01-19", (d) => d.getUTCDay() % 6 !== 0 && !holes.has(d.toISOString().slice(0, 10)));
    const v = judge(b, { start: "2024-01-01", end: "2024-01-19", now: "2024-01-20T12:00:00Z" });
    expect(v.coverage).toEqual({ observed: 13, expected: 15, ratio: 13 / 15 });
    const missing = v.findings.find((f) => f.code === "missing_rows")!;
    expect(missing.severity).toBe("warning");
    expect(missing.details!.ranges).toEqual([{ from: "2024-01-10T00:00:00.000Z", to: "2024-01-11T00:00:00.000Z", bars: 2 }]);
    expect(codes(v)).toContain("coverage:warning");
    const strict = judge(b, { start: "2024-01-01", end: "2024-01-19", now: "2024-01-20T12:00:00Z", flags: { minimumCoverage: 0.95 } });
    expect(strict.findings.find((f) => f.code === "coverage")!.metrics!.warn).toBe(0.95);
  });

  test("a session still trading is not missing: the window is judged up to the last completed bar", () => {
    // Wednesday 12:00 UTC: Wednesday's forex session closes 17:00 New York, so Tuesday is the last bar due.
    const v = judge(daily("2024-01-01", "2024-01-09"), { start: "2024-01-01", end: "2024-01-10", now: "2024-01-10T12:00:00Z" });
    expect(v.coverage.ratio).toBe(1);
    expect(v.findings).toEqual([]);
  });
});

describe("staleness in market time", () => {
  test("Friday's bar on Monday morning is fresh (lag 0), though 60 wall-clock hours old", () => {
    const v = judge(daily("2024-01-01", "2024-01-05"), { start: "2024-01-01", end: "2024-01-07", now: "2024-01-08T06:00:00Z" });
    expect(v.lagHours).toBe(0);
    expect(v.findings).toEqual([]);
  });

  test("one session behind: a stale_series notice with context", () => {
    const v = judge(daily("2024-01-01", "2024-01-04"), { start: "2024-01-01", end: "2024-01-07", now: "2024-01-08T06:00:00Z", flags: { minimumCoverage: 0 } });
    expect(codes(v)).toEqual(["missing_rows:warning", "stale_series:warning"]);
    const f = v.findings[1]!;
    expect(f.metrics!.barsBehind).toBe(1);
    expect(f.details).toMatchObject({ lastBar: "2024-01-04T00:00:00.000Z", lastExpected: "2024-01-05T00:00:00.000Z" });
  });

  test("past the warn age a staleness warning replaces the notice; past the max age an error and status stale", () => {
    const base = { start: "2024-01-01", end: "2024-01-21", now: "2024-01-22T06:00:00Z", flags: { minimumCoverage: 0 } };
    const two = judge(daily("2024-01-01", "2024-01-17"), base); // 2 sessions = 48 market hours
    expect(codes(two).filter((c) => c.startsWith("stale"))).toEqual(["staleness:warning"]);
    const four = judge(daily("2024-01-01", "2024-01-15"), base); // 4 sessions = 96 h > 72 h
    expect(codes(four).filter((c) => c.startsWith("stale"))).toEqual(["staleness:error"]);
    expect(four.status).toBe("stale");
    const flagged = judge(daily("2024-01-01", "2024-01-17"), { ...base, flags: { minimumCoverage: 0, stalenessWarnHours: 12, maxAgeHours: 24 } });
    expect(flagged.findings.find((f) => f.code === "staleness")!.severity).toBe("error");
  });
});

describe("pipeline issues", () => {
  test("no bars: no_data error, status missing, no other finding", () => {
    const v = judge(allocBars(0), { start: "2024-01-01", end: "2024-01-07", now: "2024-01-08T06:00:00Z" });
    expect(codes(v)).toEqual(["no_data:error"]);
    expect(v.status).toBe("missing");
    expect(v.qualityScore).toBeNull();
  });

  test("flat prices and duplicate rows (per vendor, as delivered) are warnings", () => {
    const b = daily("2024-01-01", "2024-01-05", undefined, () => 1.1);
    const dup = allocBars(6);
    for (const c of ["timestamp", "open", "high", "low", "close", "volume"] as const) {
      dup[c].set(b[c]);
      dup[c][5] = b[c][4]!;
    }
    const v = judge([{ vendor: "file", bars: dup }], { start: "2024-01-01", end: "2024-01-05", now: "2024-01-06T06:00:00Z" });
    expect(codes(v)).toEqual(["duplicate_rows:warning", "flat_prices:warning"]);
    expect(v.findings[0]!.message).toStartWith("file: 1 duplicate rows");
  });

  test("config checks.<code> tunes thresholds and severity; off disables", () => {
    const config: Config = { checks: { cross_source_drift: { tolerance: 0.5, warn: 0.2 }, missing_rows: { severity: "off" }, coverage: { warn: 0.5 } } };
    const o = validationOptions(config, "forex");
    expect([o.driftWarn, o.driftTolerance, o.coverageWarn, o.coverageError]).toEqual([0.2, 0.5, 0.5, 0.5]);
    const holes = daily("2024-01-01", "2024-01-19", (d) => d.getUTCDay() % 6 !== 0 && d.getUTCDate() !== 10);
    const v = judge(holes, { start: "2024-01-01", end: "2024-01-19", now: "2024-01-20T12:00:00Z", config });
    expect(v.findings).toEqual([]);
  });
});
