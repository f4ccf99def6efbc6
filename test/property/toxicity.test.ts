// Boundary invariants of the toxicity checks (SPEC §5), seeded so a failure reproduces.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { falseTick, falseTickScore, findFalseTicks } from "../../src/checks/false_tick.ts";
import { DEFAULT_STABLECOINS, priceStall } from "../../src/checks/price_stall.ts";
import { toxicReturn } from "../../src/checks/toxic_return.ts";
import type { Check } from "../../src/checks/types.ts";
import { volumeSpike, volumeThreshold } from "../../src/checks/volume_spike.ts";
import { makeBars, makeInput, makeOptions } from "../helpers/bars.ts";

const PARAMS = { seed: 20240101, numRuns: 300 };

/** The next representable double above x (x finite): step the IEEE-754 bit pattern by one. */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

const check = (c: Check, closes: readonly number[], bars = {}, input = {}) => c.run(makeInput(makeBars(closes, bars), input), makeOptions(c.code));

describe("nextUp", () => {
  test("steps exactly one ulp", () => {
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextUp(-1)).toBeGreaterThan(-1);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
  });
});

describe("volume_spike at mean + 10 sd", () => {
  // Real volumes, near-constant windows (where rounding bites) and exactly constant ones (sd 0).
  const volume = fc.double({ min: 0, max: 1e12, noNaN: true });
  const window = fc.oneof(
    fc.array(volume, { minLength: 20, maxLength: 20 }),
    fc.tuple(volume, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 20, maxLength: 20 })).map(([x, k]) => k.map((j) => x + j * x * Number.EPSILON)),
    volume.map((x) => Array.from({ length: 20 }, () => x)),
  );

  test("a volume exactly at the threshold does not fire; the next double above does, on the latest bar, toxic", () => {
    fc.assert(
      fc.property(window, (w) => {
        const t = volumeThreshold(Float64Array.from(w));
        fc.pre(Number.isFinite(t) && Number.isFinite(nextUp(t)));
        const closes = Array.from({ length: 21 }, () => 100);
        expect(check(volumeSpike, closes, { volume: [...w, t] })).toEqual([]);
        const [f] = check(volumeSpike, closes, { volume: [...w, nextUp(t)] });
        expect(f?.severity).toBe("error");
        expect(f?.toxic).toBe(true);
        expect((f?.details?.latest as { threshold: number }).threshold).toBe(t);
      }),
      PARAMS,
    );
  });

  test("over a whole series the check fires exactly where v > volumeThreshold(previous 20)", () => {
    const series = fc.array(fc.oneof(fc.constant(100), fc.double({ min: 0, max: 1e4, noNaN: true }), fc.constant(1e7)), { minLength: 21, maxLength: 80 });
    fc.assert(
      fc.property(series, (v) => {
        let expected = 0;
        for (let i = 20; i < v.length; i++) if (v[i]! > volumeThreshold(Float64Array.from(v.slice(i - 20, i)))) expected++;
        const found = check(volumeSpike, v.map(() => 1), { volume: v });
        expect(found[0]?.metrics?.spikes ?? 0).toBe(expected);
      }),
      PARAMS,
    );
  });
});

describe("toxic_return at ×6 and ÷6", () => {
  // prev × 6 is exact for these (integer below 2^50, times a power of two), so curr/prev is exactly 6.
  const prev = fc.tuple(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => m * 2 ** e);

  test("a ratio of exactly 6 does not fire, the next double above does; the mirror for drops", () => {
    fc.assert(
      fc.property(prev, (p) => {
        const up = p * 6;
        expect(up / p).toBe(6);
        expect(check(toxicReturn, [p, up])).toEqual([]);
        expect(check(toxicReturn, [p, nextUp(up)])[0]?.toxic).toBe(true);
        expect(check(toxicReturn, [up, p])).toEqual([]);
        const [drop] = check(toxicReturn, [nextUp(up), p]);
        expect(drop?.severity).toBe("error");
        expect(drop?.toxic).toBe(true);
      }),
      PARAMS,
    );
  });
});

describe("price_stall at 3 zero changes", () => {
  // A strictly rising series with `zeros` repeats of one close inserted after `before` bars.
  const series = fc.record({ before: fc.integer({ min: 1, max: 10 }), zeros: fc.integer({ min: 0, max: 8 }), after: fc.integer({ min: 0, max: 10 }) });
  const build = ({ before, zeros, after }: { before: number; zeros: number; after: number }) => {
    const rising = Array.from({ length: before }, (_, i) => 100 + i);
    const top = rising[rising.length - 1]!;
    return [...rising, ...Array.from({ length: zeros }, () => top), ...Array.from({ length: after }, (_, i) => top + 1 + i)];
  };

  test("a run of 2 does not stall, 3 does; error (toxic) only when the series ends stalled", () => {
    fc.assert(
      fc.property(series, (s) => {
        const found = check(priceStall, build(s));
        if (s.zeros < 3) return expect(found).toEqual([]);
        expect(found).toHaveLength(1);
        expect((found[0]!.details!.runs as { length: number }[])[0]!.length).toBe(s.zeros);
        expect(found[0]!.severity).toBe(s.after === 0 ? "error" : "warning");
        expect(found[0]!.toxic).toBe(s.after === 0 ? true : undefined);
      }),
      PARAMS,
    );
  });

  test("stablecoins never stall", () => {
    const quote = fc.constantFrom(...DEFAULT_STABLECOINS, "USD", "EUR", "TRY", "");
    const symbol = fc.tuple(fc.constantFrom("BINANCE", "COINBASE", "KRAKEN"), fc.constantFrom(...DEFAULT_STABLECOINS), quote).map(([ex, base, q]) => `${ex}:${base}${q}`);
    const closes = fc.array(fc.constantFrom(1, 0.9999, 1.0001), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(symbol, closes, (sym, c) => {
        expect(check(priceStall, c, {}, { symbol: sym })).toEqual([]);
      }),
      PARAMS,
    );
  });
});

describe("false_tick", () => {
  // Twenty closes 100·(1 + u), u uniform in [−amp, amp] from a seeded LCG: fast-check's own doubles
  // cluster on a few edge values, which makes MAD 0 almost always and never tests the MAD path.
  const noisy = (amp: number) =>
    fc.integer({ min: 1, max: 2 ** 31 - 2 }).map((seed) => {
      let x = seed;
      return Array.from({ length: 20 }, () => {
        x = (x * 48271) % 2147483647;
        return 100 * (1 + amp * (2 * (x / 2147483647) - 1));
      });
    });

  test("it fires exactly when z ≥ 6 and jump ≥ 2 % (the check and its exported score agree)", () => {
    // Moves scaled to the baseline's own noise, so z lands on both sides of 6 as often as the jump does of 2 %.
    const amp = fc.constantFrom(0, 0.0001, 0.005, 0.02, 0.2);
    const cases = amp.chain((a) => fc.tuple(noisy(a), fc.integer({ min: -1500, max: 1500 }).map((k) => Math.max(-0.95, (k / 100) * Math.max(a, 0.002)))));
    fc.assert(
      fc.property(cases, ([base, m]) => {
        const s = falseTickScore(base, 100 * (1 + m));
        const found = check(falseTick, [...base, 100 * (1 + m)]);
        expect(found.length).toBe(s.z >= 6 && s.jump >= 0.02 ? 1 : 0);
      }),
      { ...PARAMS, numRuns: 1000 },
    );
  });

  test("median and MAD are the textbook ones (sort the deviations, take the middle)", () => {
    const mid = (a: number[]) => (a.length % 2 ? a[a.length >> 1]! : (a[(a.length >> 1) - 1]! + a[a.length >> 1]!) / 2);
    const base = fc.array(fc.oneof(fc.constantFrom(99, 100, 101), fc.double({ min: 1e-3, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 41 });
    fc.assert(
      fc.property(base, (b) => {
        const median = mid([...b].sort((x, y) => x - y));
        const mad = mid(b.map((x) => Math.abs(x - median)).sort((x, y) => x - y));
        expect(falseTickScore(b, 100)).toMatchObject({ median, mad });
      }),
      PARAMS,
    );
  });

  test("z without the jump does not fire", () => {
    fc.assert(
      fc.property(noisy(0.0001), fc.double({ min: 0.003, max: 0.019, noNaN: true }), fc.boolean(), (base, j, down) => {
        const c = 100 * (down ? 1 - j : 1 + j);
        const s = falseTickScore(base, c);
        expect(s.z).toBeGreaterThanOrEqual(6);
        expect(s.jump).toBeLessThan(0.02);
        expect(check(falseTick, [...base, c])).toEqual([]);
      }),
      PARAMS,
    );
  });

  test("the jump without z does not fire", () => {
    const wide = fc.tuple(fc.double({ min: 0.1, max: 0.3, noNaN: true }), fc.shuffledSubarray([...Array(20).keys()], { minLength: 10, maxLength: 10 }));
    fc.assert(
      fc.property(wide, fc.double({ min: 0.02, max: 0.08, noNaN: true }), fc.boolean(), ([a, highs], j, down) => {
        const base = Array.from({ length: 20 }, (_, i) => (highs.includes(i) ? 100 * (1 + a) : 100 * (1 - a)));
        const s = falseTickScore(base, 100 * (down ? 1 - j : 1 + j));
        expect(s.jump).toBeGreaterThanOrEqual(0.02 * 0.999);
        fc.pre(s.jump >= 0.02);
        expect(s.z).toBeLessThan(6);
        expect(check(falseTick, [...base, 100 * (down ? 1 - j : 1 + j)])).toEqual([]);
      }),
      PARAMS,
    );
  });

  test("flagged ticks leave the baseline and do not mask the next one", () => {
    // Bursts of up to 4 bad ticks (below the 5-bar level-shift rule) between quiet stretches: dense
    // enough that, were ticks kept in the baseline, they would drag the median and hide the later ones.
    const burst = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.array(fc.oneof(fc.double({ min: 1.1, max: 3, noNaN: true }), fc.double({ min: 0.3, max: 0.9, noNaN: true })), { minLength: 1, maxLength: 4 }));
    fc.assert(
      fc.property(noisy(0.001), fc.array(burst, { minLength: 1, maxLength: 15 }), fc.double({ min: 0, max: 0.001, noNaN: true }), (base, bursts, wiggle) => {
        const closes = [...base];
        const expected: number[] = [];
        for (const [quiet, factors] of bursts) {
          for (let q = 0; q < quiet; q++) closes.push(100 * (1 + (q % 2 ? wiggle : -wiggle)));
          for (const f of factors) {
            expected.push(closes.length);
            closes.push(100 * f);
          }
        }
        const ticks = findFalseTicks(closes, { window: 20, zThreshold: 6, minJump: 0.02, madFloor: 1e-6, levelShiftBars: 5 });
        expect(ticks.map((t) => t.index)).toEqual(expected);
      }),
      PARAMS,
    );
  });

  test("z stays finite in JSON, even over constant baselines", () => {
    const closes = fc.array(fc.oneof(fc.constant(100), fc.double({ min: 1e-6, max: 1e9, noNaN: true })), { minLength: 21, maxLength: 60 });
    fc.assert(
      fc.property(closes, (c) => {
        const json = JSON.stringify(check(falseTick, c));
        expect(json).not.toContain("null");
        for (const f of JSON.parse(json) as { details: { ticks: { z: number }[] } }[]) for (const t of f.details.ticks) expect(Number.isFinite(t.z)).toBe(true);
      }),
      PARAMS,
    );
  });
});
