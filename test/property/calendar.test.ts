import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { calendarFor, type MarketCalendar } from "../../src/calendar/index.ts";
import { coverage, coverageRatio } from "../../src/checks/coverage.ts";
import { gap, missingRanges } from "../../src/checks/gap.ts";
import { offCalendar } from "../../src/checks/off_calendar.ts";
import { stale } from "../../src/checks/stale.ts";
import { INTERVAL_NAMES, type Interval, intervalMs } from "../../src/model/interval.ts";
import { PROFILES, type Profile } from "../../src/model/profile.ts";
import { keepMask, naiveMissingRuns } from "../helpers/missing-runs.ts";
import { inputFor, opts, wall } from "../unit/calendar/_helpers.ts";

fc.configureGlobal({ seed: 42, numRuns: 20 });

const DAY = 86_400_000;
/** Window length per interval: enough sessions to matter, few enough bars to stay quick. */
const SPAN_DAYS: Record<Interval, number> = { "1m": 3, "5m": 6, "15m": 9, "30m": 12, "1h": 16, "4h": 30, "1d": 120 };
const ZONE: Record<Profile, string> = { crypto: "UTC", equity: "America/New_York", futures: "America/Chicago", forex: "America/New_York" };

/** Window starts: any day 2018–2027, or a few days before a DST switch or a year end (where tables meet). */
const startDay = fc.oneof(
  fc.integer({ min: Date.UTC(2018, 0, 1) / DAY, max: Date.UTC(2027, 11, 1) / DAY }).map((d) => d * DAY),
  fc
    .record({ year: fc.integer({ min: 2018, max: 2027 }), which: fc.constantFrom(0, 1, 2), back: fc.integer({ min: 0, max: 4 }) })
    .map(({ year, which, back }) => {
      // Second Sunday of March, first Sunday of November, or Dec 31.
      const anchor = which === 0 ? nthSunday(year, 2, 2) : which === 1 ? nthSunday(year, 10, 1) : Date.UTC(year, 11, 31);
      return anchor - back * DAY;
    }),
);

function nthSunday(year: number, month0: number, n: number): number {
  const first = Date.UTC(year, month0, 1);
  return first + (((7 - new Date(first).getUTCDay()) % 7) + (n - 1) * 7) * DAY;
}

/** Expected opens rebuilt independently from the listed sessions (grid rules as documented in sessions.ts). */
function referenceExpected(cal: MarketCalendar, interval: Interval, fromMs: number, toMs: number): number[] {
  if (interval === "1d") return cal.sessionsBetween(fromMs, toMs).map((s) => s.label);
  const step = intervalMs(interval);
  const out = new Set<number>();
  for (const s of cal.sessionsBetween(fromMs - 2 * DAY, toMs + 2 * DAY)) {
    let t = cal.profile === "equity" ? s.openMs : Math.floor(s.openMs / step) * step;
    for (; t < s.closeMs; t += step) if (t >= fromMs && t <= toMs) out.add(t);
  }
  return [...out].sort((a, b) => a - b);
}

/** Removals as contiguous runs (real gaps) and single bars, positions as fractions of the series. */
const removals = fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 40 }) }), { maxLength: 6 });
/** Candidate extra bars, as a fraction of the window plus a sub-step nudge (to land off-grid or off-session). */
const extras = fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), nudge: fc.integer({ min: 0, max: 59 }) }), { minLength: 1, maxLength: 8 });

for (const profile of PROFILES) {
  const cal = calendarFor(profile);
  for (const interval of INTERVAL_NAMES) {
    const step = intervalMs(interval);
    const span = SPAN_DAYS[interval] * DAY;
    const windowOf = (start: number) => cal.expected(interval, start, start + span);

    describe(`${profile} ${interval}`, () => {
      test("expected() equals the bars rebuilt from sessions, and isExpected agrees (DST and year ends included)", () => {
        fc.assert(
          fc.property(startDay, (start) => {
            const exp = windowOf(start);
            expect([...exp]).toEqual(referenceExpected(cal, interval, start, start + span));
            for (const t of exp) expect(cal.isExpected(interval, t)).toBe(true);
            for (const t of exp) expect(cal.isExpected(interval, t + (interval === "1d" ? DAY / 2 : step / 2))).toBe(false);
          }),
        );
      });

      test("sessions open and close at their local wall-clock times across DST", () => {
        fc.assert(
          fc.property(startDay, (start) => {
            for (const s of cal.sessionsBetween(start, start + span)) {
              const open = wall(s.openMs, ZONE[profile]).slice(11);
              const close = wall(s.closeMs, ZONE[profile]).slice(11);
              if (profile === "equity") expect(open).toBe("09:30");
              if (profile === "futures" || profile === "forex") expect(open).toBe("17:00");
              if (!s.early) expect(close).toBe({ crypto: "00:00", equity: "16:00", futures: "16:00", forex: "17:00" }[profile]);
              // Regular sessions hold the same number of minutes whatever the UTC offset.
              if (!s.early && interval === "1m") {
                const minutes = { crypto: 1440, equity: 390, futures: 1380, forex: 1440 }[profile];
                expect(cal.expected("1m", s.openMs, s.closeMs - 1).length).toBe(minutes);
              }
            }
          }),
        );
      });

      test("a complete series has no gap and no off-calendar bar; coverage is 1", () => {
        fc.assert(
          fc.property(startDay, (start) => {
            const exp = windowOf(start);
            fc.pre(exp.length > 1);
            const input = inputFor(profile, interval, exp);
            expect(gap.run(input, opts())).toEqual([]);
            expect(offCalendar.run(input, opts())).toEqual([]);
            expect(coverageRatio(input).ratio).toBe(1);
          }),
        );
      });

      test("removed bars come back exactly as missing ranges; extra off-session bars never hide them; duplicates change nothing", () => {
        fc.assert(
          fc.property(startDay, removals, extras, fc.array(fc.nat(), { maxLength: 5 }), (start, cuts, adds, dupes) => {
            const exp = windowOf(start);
            fc.pre(exp.length > 2);
            const keep = keepMask(exp.length, cuts);
            const kept = [...exp].filter((_, i) => keep[i]);
            const genesisMs = exp[0]!;
            const want = naiveMissingRuns(exp, keep);

            const base = inputFor(profile, interval, kept, { genesisMs });
            expect(missingRanges(base)).toEqual(want);
            const g = gap.run(base, opts());
            expect(g.length).toBe(want.length ? 1 : 0);
            if (want.length) expect(g[0]!.metrics!.missingBars).toBe(exp.length - kept.length);

            const c = coverageRatio({ ...base, fromMs: exp[0]!, toMs: exp[exp.length - 1]! });
            expect(c).toEqual({ observed: kept.length, expected: exp.length, ratio: kept.length / exp.length });

            // Off-session extras: minute (or, for crypto, second) offsets the calendar does not expect.
            const first = exp[0]!;
            const last = exp[exp.length - 1]!;
            const unit = profile === "crypto" ? 1000 : 60_000;
            const off = new Set<number>();
            for (const a of adds) {
              const t = first + Math.floor((a.at * (last - first)) / unit) * unit + a.nudge * unit;
              if (t > first && t < last && !cal.isExpected(interval, t)) off.add(t);
            }
            const padded = inputFor(profile, interval, [...kept, ...off], { genesisMs });
            expect(missingRanges(padded)).toEqual(want);
            const o = offCalendar.run(padded, opts());
            expect(o.length).toBe(off.size ? 1 : 0);
            if (off.size) expect(o[0]!.metrics!.bars).toBe(off.size);

            // Repeated rows: the normalised series, hence every calendar finding, is unchanged.
            const rows = [...kept, ...kept.filter((_, i) => dupes.includes(i % 7))];
            const dup = inputFor(profile, interval, rows, { genesisMs, nowMs: last + 30 * DAY });
            const plain = inputFor(profile, interval, kept, { genesisMs, nowMs: last + 30 * DAY });
            for (const check of [gap, coverage, offCalendar, stale]) expect(check.run(dup, opts())).toEqual(check.run(plain, opts()));
          }),
        );
      });
    });
  }
}
