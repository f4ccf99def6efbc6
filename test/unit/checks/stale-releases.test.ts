/** stale by a release calendar (FRED series): due only when a scheduled release passed without a newer observation. */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { observationPeriodMs, type ReleaseSchedule } from "../../../src/checks/releases.ts";
import { freshness, stale, staleness } from "../../../src/checks/stale.ts";
import { inputFor, opts, T } from "../calendar/_helpers.ts";

const DAY = 86_400_000;
const SEED = 20261204;
const CPI = ["2026-09-11", "2026-10-14", "2026-11-13", "2026-12-10", "2027-01-13"].map(T);
const schedule = (dates: readonly number[], from = "2026-01-01", to = "2027-06-30"): ReleaseSchedule => ({
  releaseId: 10,
  name: "Consumer Price Index",
  dates,
  fromMs: T(from),
  toMs: T(to),
});
/** A monthly series (observations dated the first of the month) whose last observation is `last`. */
const monthly = (last: string, now: string, releases?: ReleaseSchedule) => {
  const end = T(last);
  const ts = [end - 61 * DAY, end - 30 * DAY, end].map((t) => {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  });
  return inputFor("equity", "1d", ts, { symbol: "FRED:CPIAUCSL", nowMs: T(now), ...(releases ? { releases } : {}) });
};

describe("stale by release calendar", () => {
  test("the release that published the last observation has passed, the next has not: fresh, however many days old", () => {
    // October's CPI (dated 10-01) came out 11-13; the next release is 12-10.
    const input = monthly("2026-10-01", "2026-12-09T23:00:00Z", schedule(CPI));
    expect(stale.run(input, opts())).toEqual([]);
    expect(freshness(input, opts())).toBe(1);
    // The session calendar alone would call the same series weeks behind.
    const sessions = stale.run(monthly("2026-10-01", "2026-12-09T23:00:00Z"), opts());
    expect(sessions[0]?.severity).toBe("error");
  });

  test("a release passed without a newer observation: stale once its day is over (allowance 24 h)", () => {
    expect(stale.run(monthly("2026-10-01", "2026-12-10T20:00:00Z", schedule(CPI)), opts())).toEqual([]);
    const f = stale.run(monthly("2026-10-01", "2026-12-11T00:00:01Z", schedule(CPI)), opts());
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe("error");
    expect(f[0]!.message).toBe("last bar 2026-10-01, 1 release behind: Consumer Price Index released 2026-12-10 without a newer observation (allowance 1 day)");
    expect(f[0]!.metrics).toMatchObject({ lagReleases: 1, releaseId: 10 });
    const two = stale.run(monthly("2026-10-01", "2027-01-20", schedule(CPI)), opts());
    expect(two[0]!.metrics).toMatchObject({ lagReleases: 2 });
  });

  test("the allowance is checks.stale.allowanceHours as for any series", () => {
    const input = monthly("2026-10-01", "2026-12-12T12:00:00Z", schedule(CPI));
    expect(stale.run(input, opts({ allowanceHours: 72 }))).toEqual([]);
    expect(staleness(input, opts({ allowanceHours: 72 }))).toMatchObject({ releasesMissed: 1, lastExpected: T("2026-12-10"), allowanceMs: 72 * 3_600_000 });
  });

  test("a calendar that does not cover the last observation…now is not used: the session calendar decides", () => {
    const late = schedule(CPI, "2026-12-01");
    expect(staleness(monthly("2026-10-01", "2026-12-09", late), opts())?.releasesMissed).toBeUndefined();
    const early = schedule(CPI, "2026-01-01", "2026-11-30");
    expect(staleness(monthly("2026-10-01", "2026-12-09", early), opts())?.releasesMissed).toBeUndefined();
  });

  // Properties over random schedules, observation dates and nows (fixed seed).
  const scenario = fc.record({
    releaseDays: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { minLength: 0, maxLength: 40 }),
    lastDay: fc.integer({ min: 0, max: 400 }),
    nowOffsetMs: fc.integer({ min: 0, max: 500 * DAY }),
  });
  const base = T("2026-01-01");
  const build = (s: { releaseDays: number[]; lastDay: number; nowOffsetMs: number }) => {
    const dates = s.releaseDays.map((d) => base + d * DAY).sort((a, b) => a - b);
    const now = base + s.lastDay * DAY + s.nowOffsetMs;
    const sch = { releaseId: 18, name: "H.15", dates, fromMs: base, toMs: base + 1000 * DAY };
    return { dates, now, input: inputFor("equity", "1d", [base + s.lastDay * DAY], { nowMs: now, releases: sch }) };
  };

  test("property: stale exactly when a second release after the last observation began more than 24 h ago", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { dates, now, input } = build(s);
        const after = dates.filter((d) => d > input.bars.timestamp[0]! && d <= now);
        const due = after.length >= 2 && now - after[1]! > DAY;
        const f = stale.run(input, opts());
        expect(f.length).toBe(due ? 1 : 0);
        if (due) expect(f[0]!.metrics!.lagReleases).toBe(after.length - 1);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  test("property: no release since the one after the last observation → never stale, however many days pass", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 600 }), (lastDay, gap, days) => {
        const last = base + lastDay * DAY;
        // Releases up to the last observation, and at most the one that published it after.
        const dates = [last - 40 * DAY, last - 10 * DAY, last, ...(gap > 0 ? [last + gap * DAY] : [])];
        const sch = { releaseId: 50, name: "Employment Situation", dates, fromMs: base - 100 * DAY, toMs: last + 1000 * DAY };
        const input = inputFor("equity", "1d", [last], { nowMs: last + days * DAY, releases: sch });
        expect(stale.run(input, opts())).toEqual([]);
        expect(freshness(input, opts())).toBe(1);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  test("property: a newer observation never makes a series more stale", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 60 }), (s, step) => {
        const a = build(s);
        const b = build({ ...s, lastDay: s.lastDay + step, nowOffsetMs: Math.max(0, s.nowOffsetMs - step * DAY) });
        // Same now: b's last observation is `step` days newer.
        if (a.now !== b.now) return;
        expect(staleness(b.input, opts())!.releasesMissed!).toBeLessThanOrEqual(staleness(a.input, opts())!.releasesMissed!);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  test("the observation period is the median spacing of the last observations (one day for a single one)", () => {
    const weekdays = Array.from({ length: 30 }, (_, i) => T("2026-11-02") + i * DAY).filter((t) => new Date(t).getUTCDay() % 6 !== 0);
    expect(observationPeriodMs(weekdays)).toBe(DAY);
    expect(observationPeriodMs([0, 7, 14, 21].map((d) => T("2026-11-06") + d * DAY))).toBe(7 * DAY);
    expect(observationPeriodMs(["2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01"].map(T))).toBe(31 * DAY);
    expect(observationPeriodMs([T("2026-10-01")])).toBe(DAY);
  });

  test("a daily series (H.15, published the next business day): Friday's value is due Monday, late after Tuesday's release", () => {
    const h15 = Array.from({ length: 60 }, (_, i) => T("2026-11-01") + i * DAY).filter((t) => new Date(t).getUTCDay() % 6 !== 0);
    const obs = h15.filter((t) => t <= T("2026-11-27"));
    const at = (now: string) => inputFor("equity", "1d", obs, { nowMs: T(now), releases: { ...schedule(h15), releaseId: 18, name: "H.15" } });
    expect(stale.run(at("2026-11-30T23:00:00Z"), opts())).toEqual([]);
    expect(stale.run(at("2026-12-01T23:59:59Z"), opts())).toEqual([]);
    // Tuesday's release is a day old, Wednesday's has begun: two releases behind.
    expect(stale.run(at("2026-12-02T00:00:01Z"), opts())[0]!.metrics).toMatchObject({ lagReleases: 2 });
  });

  test("property: a series holding every observation whose release has passed is never stale; missing m of them is m releases behind", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 7, 30, 91),
        fc.integer({ min: 0, max: 89 }),
        fc.integer({ min: 8, max: 40 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 3 * DAY }),
        (period, lagSeed, published, dropped, extra) => {
          const P = period * DAY;
          const L = (lagSeed % period) * DAY; // release of observation k on day (k+1)·P + L
          const obsAt = (k: number) => base + k * P;
          const relAt = (k: number) => obsAt(k + 1) + L;
          const now = relAt(published - 1) + extra; // observations 0…published-1 are out
          const dates = Array.from({ length: published + 5 }, (_, k) => relAt(k));
          const sch = { releaseId: 1, name: "R", dates, fromMs: base, toMs: relAt(published + 5) };
          const kept = Array.from({ length: published - dropped }, (_, k) => obsAt(k));
          const f = stale.run(inputFor("equity", "1d", kept, { nowMs: now, releases: sch }), opts());
          // Missing: every observation from kept.length on whose release day has begun by now.
          const missing = dates.filter((d, k) => k >= kept.length && d <= now).length;
          const late = missing > 0 && now - relAt(kept.length) > DAY;
          expect(f.length).toBe(late ? 1 : 0);
          if (late) expect(f[0]!.metrics!.lagReleases).toBe(missing);
          if (dropped === 0 && extra < P) expect(f).toEqual([]); // current: the next release has not come yet
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });
});
