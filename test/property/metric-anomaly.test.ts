// The anomaly rules on the metric history (src/metrics/anomaly.ts) as properties: a constant history gives no
// anomaly, one run k robust σ off a noisy history gives exactly one anomaly, at it, and weekends do not count
// (a series growing one bar per session, audited every calendar day, never looks like a drop).
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { calendarFor } from "../../src/calendar/index.ts";
import { type AnomalyOptions, deviation, newBarsPerSession, perSession, scanAnomalies } from "../../src/metrics/anomaly.ts";

const O: AnomalyOptions = { window: 20, minHistory: 5, threshold: 4, minChange: 0.1 };
const SEED = 20;
const DAY = 86_400_000;

describe("metric_anomaly rules", () => {
  test("a constant history gives no anomaly", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 60 }), (v, n) => {
        expect(scanAnomalies(Array(n).fill(v), O)).toEqual([]);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  test("one run k robust σ off a noisy history gives exactly one anomaly, at that run", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: O.minHistory + 3, max: 40 }),
        fc.integer({ min: 0, max: 15 }),
        fc.double({ min: O.threshold * 1.5, max: 50, noNaN: true }),
        fc.boolean(),
        (base, amp, phase, at, after, k, up) => {
          // Noise: the cycle -1, 0, +1 (median 0, MAD 1 over any window of five or more).
          const values = Array.from({ length: at + 1 + after }, (_, i) => base + amp * (((i + phase) % 3) - 1));
          const sigma = 1.4826 * amp;
          const change = Math.max(k * sigma, O.minChange * (Math.abs(base) + 2 * amp + 1) * 2);
          values[at] = base + (up ? change : -change);
          expect(scanAnomalies(values, O)).toEqual([at]);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  test("no alarm before minHistory sessions of history", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: O.minHistory - 1 }), fc.double({ min: 1, max: 1e6, noNaN: true }), (n, jump) => {
        expect(deviation(Array(n).fill(0), jump, O)).toBeUndefined();
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  test("weekends do not count: one bar per session, audited every calendar day, gives no anomaly", () => {
    const cal = calendarFor("XNYS");
    const from = Date.UTC(2026, 0, 5);
    const opens = cal.expected("1d", from - 400 * DAY, from + 200 * DAY);
    const session = (t: number) => {
      const last = cal.lastCompleted("1d", t);
      return last === undefined ? 0 : opens.filter((o) => o <= last).length;
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 10, max: 60 }), fc.integer({ min: 0, max: 23 }), (start, days, hour) => {
        const runs = Array.from({ length: days }, (_, d) => from + (start + d) * DAY + hour * 3_600_000);
        // The rows a daily ingest leaves: one bar per closed session.
        const points = runs.map((at) => ({ session: session(at), value: 1000 + session(at) }));
        const rates = newBarsPerSession(perSession(points)).map((s) => s.value);
        expect(rates.every((r) => r === 1)).toBe(true);
        expect(scanAnomalies(rates, O)).toEqual([]);
        // Counted per calendar day instead, every Monday after a weekend would look like a drop to a third.
        const perDay = runs.slice(1).map((at, i) => (session(at) - session(runs[i]!)) / 1);
        if (days >= 14) expect(perDay.some((r) => r === 0)).toBe(true);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
