import { describe, expect, test } from "bun:test";
import { stitch, type VendorSeries } from "../../../src/bootstrap/stitch.ts";
import { bootstrapOptions, type SeriesContext, validateSeries } from "../../../src/bootstrap/validate.ts";
import { calendarFor } from "../../../src/calendar/index.ts";
import { resolveCheckOptions } from "../../../src/checks/index.ts";
import type { Config } from "../../../src/config/schema.ts";
import { type RunContext, silentLogger, silentProgress } from "../../../src/context.ts";
import { Lakehouse } from "../../../src/lakehouse/store.ts";
import { allocBars, type Bars } from "../../../src/model/bars.ts";
import type { Profile } from "../../../src/model/profile.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import { assess } from "../../../src/pipeline/assess.ts";

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
  o: { profile?: Profile; start: string; end: string; now: string; config?: Config; flags?: Parameters<typeof bootstrapOptions>[1] },
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
  return validateSeries(sc, stitch(parts), parts, bootstrapOptions(o.config ?? {}, o.flags));
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

  test("missing weekdays: the engine's gap lists each range exactly; coverage warns below 0.9 and errors below 0.75", () => {
    // Bootstrap reported these as `missing_rows` before it ran the one check engine; audit calls them `gap`.
    const holes = new Set(["2024-01-10", "2024-01-11"]);
    const b = daily("2024-01-01", "2024-01-19", (d) => d.getUTCDay() % 6 !== 0 && !holes.has(d.toISOString().slice(0, 10)));
    const v = judge(b, { start: "2024-01-01", end: "2024-01-19", now: "2024-01-20T12:00:00Z" });
    expect(v.coverage).toEqual({ observed: 13, expected: 15, ratio: 13 / 15 });
    const gap = v.findings.find((f) => f.code === "gap")!;
    expect(gap.severity).toBe("warning");
    expect(gap.details!.ranges).toEqual([{ from: "2024-01-10T00:00:00.000Z", to: "2024-01-11T00:00:00.000Z", bars: 2 }]);
    expect(codes(v)).toContain("coverage:warning");
  });

  test("--minimum-coverage is coverage's warn ratio, above the config's", () => {
    const b = daily("2024-01-01", "2024-01-19", (d) => d.getUTCDay() % 6 !== 0 && d.getUTCDate() !== 10); // 14 of 15
    const base = { start: "2024-01-01", end: "2024-01-19", now: "2024-01-20T12:00:00Z" };
    expect(codes(judge(b, base))).toEqual(["gap:warning"]);
    const config: Config = { checks: { coverage: { warn: 0.5, byInterval: { "1d": { warn: 0.6 } } } } };
    expect(codes(judge(b, { ...base, config, flags: { minimumCoverage: 0.95 } }))).toEqual(["gap:warning", "coverage:warning"]);
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

  test("one session behind: the engine's stale error (session markets must hold the last closed session), as in audit", () => {
    // Bootstrap gave a `stale_series` notice here before it ran the one check engine; audit has always said stale,
    // and the quality score's freshness is 0 at a session of lag with no allowance.
    const v = judge(daily("2024-01-01", "2024-01-04"), { start: "2024-01-01", end: "2024-01-07", now: "2024-01-08T06:00:00Z", flags: { minimumCoverage: 0 } });
    expect(codes(v)).toEqual(["stale:error", "quality_score:error"]);
    expect(v.status).toBe("stale");
    const f = v.findings[0]!;
    expect(f.metrics!.lagSessions).toBe(1);
    expect(f.details).toEqual({ lastBar: "2024-01-04T00:00:00.000Z", lastExpected: "2024-01-05T00:00:00.000Z" });
    // --max-age-hours is stale's allowance: a day of lag allowed, nothing to report but the score.
    const allowed = judge(daily("2024-01-01", "2024-01-04"), {
      start: "2024-01-01",
      end: "2024-01-07",
      now: "2024-01-08T06:00:00Z",
      flags: { minimumCoverage: 0, maxAgeHours: 24 },
    });
    expect(codes(allowed)).toEqual(["quality_score:warning"]); // coverage 4 of 5 still costs score
    expect(allowed.status).toBe("degraded");
  });

  test("--staleness-warn-hours and --max-age-hours: a warning past the warn age, an error and status stale past the max age", () => {
    const base = { start: "2024-01-01", end: "2024-01-21", now: "2024-01-22T06:00:00Z" };
    const flags = { minimumCoverage: 0, stalenessWarnHours: 24, maxAgeHours: 72 };
    const two = judge(daily("2024-01-01", "2024-01-17"), { ...base, flags }); // 48 h behind
    expect(codes(two).filter((c) => c.startsWith("stale"))).toEqual(["stale:warning"]);
    expect(two.status).toBe("degraded");
    const four = judge(daily("2024-01-01", "2024-01-15"), { ...base, flags }); // 96 h > 72 h
    expect(codes(four).filter((c) => c.startsWith("stale"))).toEqual(["stale:error"]);
    expect(four.status).toBe("stale");
    const flagged = judge(daily("2024-01-01", "2024-01-17"), { ...base, flags: { minimumCoverage: 0, stalenessWarnHours: 12, maxAgeHours: 24 } });
    expect(flagged.findings.find((f) => f.code === "stale")!.severity).toBe("error");
    // The flags beat the config's own profile keys too.
    const config: Config = { checks: { stale: { forexAllowanceHours: 1000 } } };
    expect(judge(daily("2024-01-01", "2024-01-15"), { ...base, config, flags }).status).toBe("stale");
  });
});

describe("pipeline issues", () => {
  test("no bars: no_data error, status missing, no other finding", () => {
    const v = judge(allocBars(0), { start: "2024-01-01", end: "2024-01-07", now: "2024-01-08T06:00:00Z" });
    expect(codes(v)).toEqual(["no_data:error"]);
    expect(v.status).toBe("missing");
    expect(v.qualityScore).toBeNull();
  });

  test("flat prices and duplicate rows (per vendor, as delivered) are warnings; the stalled end is the engine's price_stall", () => {
    const b = daily("2024-01-01", "2024-01-05", undefined, () => 1.1);
    const dup = allocBars(6);
    for (const c of ["timestamp", "open", "high", "low", "close", "volume"] as const) {
      dup[c].set(b[c]);
      dup[c][5] = b[c][4]!;
    }
    const v = judge([{ vendor: "file", bars: dup }], { start: "2024-01-01", end: "2024-01-05", now: "2024-01-06T06:00:00Z" });
    // price_stall is new here: bootstrap runs every check audit runs, and a series ending on 4 unchanged closes stalls.
    expect(codes(v)).toEqual(["duplicate_rows:warning", "flat_prices:warning", "price_stall:error"]);
    expect(v.findings[0]!.message).toStartWith("file: 1 duplicate rows");
  });

  test("config checks.<code> tunes thresholds and severity; off disables", () => {
    const config: Config = { checks: { gap: { severity: "off" }, coverage: { warn: 0.5 } } };
    const holes = daily("2024-01-01", "2024-01-19", (d) => d.getUTCDay() % 6 !== 0 && d.getUTCDate() !== 10);
    const v = judge(holes, { start: "2024-01-01", end: "2024-01-19", now: "2024-01-20T12:00:00Z", config });
    expect(v.findings).toEqual([]);
  });
});

describe("one check engine: bootstrap and audit judge a series alike", () => {
  test("the same defects give the same codes and severities through assess (audit) and bootstrap", () => {
    // Weekdays of Jan–Mar 2024 with a two-week hole, a bar whose high is below its close, and the last week missing.
    const b = daily(
      "2024-01-01",
      "2024-03-22",
      (d) => d.getUTCDay() % 6 !== 0 && !(d >= new Date("2024-02-05") && d < new Date("2024-02-19")),
      (i) => 1.1 + 0.01 * Math.sin(i),
    );
    b.high[30] = b.close[30]! * 0.99;
    const now = "2024-04-01T06:00:00Z";
    const config: Config = { checks: { gap: { byClass: { forex: { maxGapSessions: 20 } } } } };
    const boot = judge(b, { start: "2024-01-01", end: "2024-03-31", now, config });
    const ctx: RunContext = {
      config,
      store: new Lakehouse("/nonexistent"),
      now: new Date(now),
      log: silentLogger,
      progress: silentProgress,
      waitLockMs: 0,
      runId: "t",
    };
    const target = { sym: parseSymbol("FX:EURUSD"), interval: "1d" as const, profile: "forex" as const, calendar: "FOREX" };
    const audit = assess(ctx, target, b, resolveCheckOptions(config), { fromMs: ms("2024-01-01"), toMs: ms("2024-03-29") });
    const sig = (fs: typeof boot.findings) => fs.map((f) => `${f.code}:${f.severity}`).sort();
    expect(sig(boot.findings)).toEqual(sig(audit.findings));
    expect(boot.status).toBe(audit.status);
    expect(boot.qualityScore).toBe(audit.qualityScore);
    // Every kind of defect planted is there, under the engine's codes (gap a warning by the class layer).
    expect(sig(boot.findings)).toEqual(["coverage:warning", "gap:warning", "ohlc_inconsistent:warning", "quality_score:error", "stale:error"]);
  });
});
