// The anomaly rules on the metric history (src/metrics/anomaly.ts) as properties: a constant history gives no
// anomaly, one run k robust σ off a noisy history gives exactly one anomaly, at it, and weekends do not count
// (a series growing one bar per session, audited every calendar day, never looks like a drop).
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { calendarFor } from "../../src/calendar/index.ts";
import { type AnomalyOptions, deviation, newBarsPerSession, perSession, scanAnomalies } from "../../src/metrics/anomaly.ts";
import { seriesSamples } from "../../src/metrics/history.ts";

const O: AnomalyOptions = { window: 20, minHistory: 5, threshold: 4, minChange: 0.1 };
const SEED = 20;
const DAY = 86_400_000;

// A noisy history: the cycle -1, 0, +1 around base (median 0, MAD 1 over any window of five or more), so its
// robust σ is 1.4826·amp.
const noise = (base: number, amp: number, phase: number, i: number) => base + amp * (((i + phase) % 3) - 1);
// A change of k robust σ, and never below minChange of the largest value the history can reach.
const jump = (k: number, base: number, amp: number) => Math.max(k * 1.4826 * amp, O.minChange * (Math.abs(base) + 2 * amp + 1) * 2);
// base, amp, phase, the index of the change, how many values follow it, k, and its direction.
const offHistory = (after: fc.Arbitrary<number>) =>
  [
    fc.double({ min: -1000, max: 1000, noNaN: true }),
    fc.double({ min: 1, max: 100, noNaN: true }),
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: O.minHistory + 3, max: 40 }),
    after,
    fc.double({ min: O.threshold * 1.5, max: 50, noNaN: true }),
    fc.boolean(),
  ] as const;

/** XNYS, from 2026-01-05: the number of daily sessions closed by a time (the metric history's session index). */
function xnysSessions(from: number, ahead: number): (t: number) => number {
  const cal = calendarFor("XNYS");
  const opens = cal.expected("1d", from - 400 * DAY, from + ahead * DAY);
  return (t) => {
    const last = cal.lastCompleted("1d", t);
    return last === undefined ? 0 : opens.filter((o) => o <= last).length;
  };
}

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
      fc.property(...offHistory(fc.integer({ min: 0, max: 15 })), (base, amp, phase, at, after, k, up) => {
        const values = Array.from({ length: at + 1 + after }, (_, i) => noise(base, amp, phase, i));
        const change = jump(k, base, amp);
        values[at] = base + (up ? change : -change);
        expect(scanAnomalies(values, O)).toEqual([at]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  test("a lasting level shift of k robust σ alarms once, at the shift, and the new level becomes normal", () => {
    fc.assert(
      fc.property(...offHistory(fc.integer({ min: O.window * 2, max: O.window * 4 })), (base, amp, phase, at, after, k, up) => {
        const change = jump(k, base, amp);
        const level = (i: number) => (i < at ? base : base + (up ? change : -change));
        const values = Array.from({ length: at + after }, (_, i) => noise(level(i), amp, phase, i));
        expect(scanAnomalies(values, O)).toEqual([at]);
        // Long after the shift a spike off the new level is an anomaly again.
        const spike = [...values, level(at) + (up ? change : -change)];
        expect(scanAnomalies(spike, O)).toEqual([at, values.length]);
      }),
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
    const from = Date.UTC(2026, 0, 5);
    const session = xnysSessions(from, 200);
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
  test("revision rate: a constant share of bars revised, run every calendar day, is quiet; a step is one anomaly at its session", () => {
    const from = Date.UTC(2026, 0, 5);
    const session = xnysSessions(from, 400);
    fc.assert(
      fc.property(fc.integer({ min: 40, max: 80 }), fc.double({ min: 0, max: 0.05, noNaN: true }), fc.integer({ min: 12, max: 30 }), (days, rate, stepDay) => {
        const runs = Array.from({ length: days }, (_, d) => from + d * DAY + 22 * 3_600_000);
        const stepSession = session(runs[stepDay]!);
        const rows = (at: number) => 1000 + session(at);
        const past = (replaced: (at: number) => number) =>
          new Map([
            ["rows", runs.map((at) => ({ at, value: rows(at) }))],
            ["barsReplaced", runs.map((at) => ({ at, value: replaced(at) }))],
          ]);
        const rates = (replaced: (at: number) => number) => (seriesSamples(past(replaced), session, undefined).get("revisionRate") ?? []).map((s) => s.value);
        expect(
          scanAnomalies(
            rates((at) => Math.round(rate * rows(at))),
            O,
          ),
        ).toEqual([]);
        // From the step's session on, half the series is revised on every re-fetch: one alarm, at that session.
        const stepped = rates((at) => (session(at) >= stepSession ? rows(at) / 2 : Math.round(rate * rows(at))));
        const sessions = (
          seriesSamples(
            past(() => 0),
            session,
            undefined,
          ).get("revisionRate") ?? []
        ).map((s) => s.session);
        expect(scanAnomalies(stepped, O).map((i) => sessions[i])).toEqual([stepSession]);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
