import { describe, expect, test } from "bun:test";
import { rng } from "../../../bench/gbm.ts";
import { FALSE_TICK_DEFAULTS, falseTick } from "../../../src/checks/false_tick.ts";
import type { CheckInput } from "../../../src/checks/types.ts";
import { makeBars, makeInput, makeOptions } from "../../helpers/bars.ts";

/** A seeded random walk of `n` closes from 100 with daily log returns uniform in ±√3·sd (sd ≈ `sd`). */
function walk(n: number, sd = 0.01, seed = 7): number[] {
  const r = rng(seed);
  const out = [100];
  for (let i = 1; i < n; i++) out.push(out[i - 1]! * Math.exp((2 * r() - 1) * Math.sqrt(3) * sd));
  return out;
}

type Tick = {
  timestamp: string;
  close: number;
  prevClose: number;
  nextClose?: number;
  return: number;
  z: number;
  reason: string;
  severity: string;
  reverted?: number;
};
const run = (closes: number[], opts: Record<string, unknown> = {}, bars = {}, input: Partial<CheckInput> = {}) =>
  falseTick.run(makeInput(makeBars(closes, bars), input), makeOptions("false_tick", opts));
const ticks = (closes: number[], opts = {}, bars = {}) => (run(closes, opts, bars)[0]?.details?.ticks as Tick[] | undefined) ?? [];
const day = (i: number) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString();

describe("false_tick: an outlier candle that the next bar reverts", () => {
  test("defaults are the documented ones", () => {
    expect(FALSE_TICK_DEFAULTS).toEqual({ window: 50, zThreshold: 6, revertFraction: 0.5, minJump: 0.005, madFloor: 1e-4, errorZ: 18, errorRatio: 2 });
  });

  test("a 10 % bad close in a 1 %-a-day walk, undone the next day, is one false tick (warning) with its evidence", () => {
    const closes = walk(80);
    closes[60] = closes[60]! * 1.1;
    const [f, ...rest] = run(closes);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expect(f!.metrics).toMatchObject({ ticks: 1, errors: 0, window: 50 });
    const [t] = f!.details!.ticks as Tick[];
    expect(t).toMatchObject({ timestamp: day(60), close: closes[60], prevClose: closes[59], nextClose: closes[61], reason: "reverted", severity: "warning" });
    expect(t!.z).toBeGreaterThan(6);
    expect(t!.z).toBeLessThan(18);
    expect(t!.reverted!).toBeGreaterThan(0.5);
  });

  test("the same jump that holds is not a false tick (news, a split, a level shift: other checks judge it)", () => {
    const closes = walk(80).map((c, i) => (i >= 60 ? c * 1.1 : c));
    expect(run(closes)).toEqual([]);
  });

  test("a move the next bar undoes less than half of is not reverted; one that overshoots is", () => {
    const base = walk(80);
    const up = (k: number) => base.map((c, i) => (i === 60 ? c * 1.1 : i > 60 ? c * k : c));
    expect(run(up(1.06))).toEqual([]); // the next bar keeps 6 of the 10 %
    expect(ticks(up(1.04))).toHaveLength(1); // it keeps only 4
    expect(ticks(up(0.95))).toHaveLength(1); // it falls 5 % below where it was
  });

  test("the latest bar raises nothing until the next bar shows whether it reverts", () => {
    const closes = walk(80);
    const pending = [...closes.slice(0, 79), closes[78]! * 1.1];
    expect(run(pending)).toEqual([]);
    expect(ticks([...pending, closes[78]!])).toMatchObject([{ timestamp: day(79), reason: "reverted" }]);
  });

  test("an extreme close outside its own bar's high/low is a false tick without waiting (the latest bar included)", () => {
    const closes = walk(80);
    const high = closes.map((c) => c * 1.005);
    const low = closes.map((c) => c * 0.995);
    const last = closes[78]! * 1.1; // its own bar's high stays at the old level
    const found = ticks(
      [...closes.slice(0, 79), last],
      {},
      { high: [...high.slice(0, 79), closes[78]! * 1.005], low: [...low.slice(0, 79), closes[78]! * 0.995] },
    );
    expect(found).toMatchObject([{ timestamp: day(79), reason: "envelope" }]);
    // Inside its range (a high that reached it), the latest bar waits like any other.
    expect(ticks([...closes.slice(0, 79), last], {}, { high: [...high.slice(0, 79), last], low })).toEqual([]);
  });

  test("error when extreme: z ≥ errorZ, or the tick is errorRatio × (or ÷) the previous close", () => {
    const closes = walk(80);
    const sev = (k: number, opts = {}) => {
      const c = [...closes];
      c[60] = c[60]! * k;
      return run(c, opts)[0]?.severity;
    };
    expect(sev(1.1)).toBe("warning");
    expect(sev(1.3)).toBe("error"); // z well above 18 at 1 % a day
    expect(sev(1.3, { errorZ: 1e9 })).toBe("warning");
    expect(sev(3, { errorZ: 1e9 })).toBe("error"); // ×3 ≥ errorRatio 2
    expect(sev(1 / 3, { errorZ: 1e9 })).toBe("error");
    expect(sev(3, { errorZ: 1e9, errorRatio: 4 })).toBe("warning");
  });

  test("a big real move followed by a bad print the other way: the print is the tick, not the move", () => {
    const closes = walk(80);
    const c = closes.map((x, i) => (i >= 60 ? x * 1.15 : x)); // a real +15 % day that holds
    c[61] = c[61]! / 1.3; // then one bad print 30 % down, undone the day after
    expect(ticks(c).map((t) => t.timestamp)).toEqual([day(61)]);
  });

  test("flagged ticks and their echo leave the baseline: a burst of bad ticks does not mask the next", () => {
    const c = walk(160);
    const bad = [60, 63, 66, 69, 72, 75, 78, 81, 84, 87, 90, 93];
    for (const i of bad) c[i] = c[i]! * (i % 2 ? 1.15 : 0.87);
    expect(ticks(c).map((t) => t.timestamp)).toEqual(bad.map(day));
  });

  test("over a baseline of identical returns (a frozen feed) the floor keeps z finite; minJump sets materiality", () => {
    const flat = Array.from({ length: 60 }, () => 50);
    const blip = (k: number) => flat.map((x, i) => (i === 55 ? x * k : x));
    const [t] = ticks(blip(1.01));
    expect(Number.isFinite(t!.z)).toBe(true);
    expect(JSON.parse(JSON.stringify(t)).z).toBe(t!.z);
    expect(ticks(blip(1.004))).toEqual([]); // below minJump 0.5 %
    expect(ticks(blip(1.004), { minJump: 0.001 })).toHaveLength(1);
  });

  test("a shorter series than the window is not judged; window is configurable", () => {
    const c = walk(40);
    c[30] = c[30]! * 1.2;
    expect(run(c)).toEqual([]);
    expect(ticks(c, { window: 20 })).toHaveLength(1);
  });

  test("a bar marked as a split is judged on its split-adjusted return", () => {
    // A 2:1 split on bar 61 whose close is also a bad print 15 % above the new level, undone the next day.
    const c = walk(80).map((x, i) => (i >= 61 ? x / 2 : x));
    c[61] = c[61]! * 1.15;
    expect(run(c)).toEqual([]); // unadjusted, bar 61 is a −55 % move that holds
    const marked = falseTick.run(makeInput(makeBars(c), { splits: [{ index: 61, factor: 2 }] }), makeOptions("false_tick"));
    expect((marked[0]!.details!.ticks as Tick[]).map((t) => t.timestamp)).toEqual([day(61)]);
  });
});
