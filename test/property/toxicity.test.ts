// Boundary invariants of the toxicity checks (SPEC §5 and issue 17): every threshold is tested at the first double
// that crosses it and the one before, seeded so a failure reproduces.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { gauss, plantSplit, rng } from "../../bench/gbm.ts";
import { FALSE_TICK_DEFAULTS, falseTick } from "../../src/checks/false_tick.ts";
import { gap } from "../../src/checks/gap.ts";
import { OFF_TICK_DEFAULTS, offTick } from "../../src/checks/off_tick.ts";
import { DEFAULT_MIN_RUN, DEFAULT_STABLECOINS, priceStall } from "../../src/checks/price_stall.ts";
import { madOfSorted, medianOfSorted, robustStats, zOf } from "../../src/checks/robust.ts";
import { findSplits, SPLIT_SUSPECTED_DEFAULTS, type SplitCandidate, splitParams } from "../../src/checks/split_evidence.ts";
import { splitSuspected } from "../../src/checks/split_suspected.ts";
import { defaultAllowanceHours, stale } from "../../src/checks/stale.ts";
import { toxicReturn } from "../../src/checks/toxic_return.ts";
import type { Check } from "../../src/checks/types.ts";
import { VOLUME_SPIKE_DEFAULTS, volumeSpike } from "../../src/checks/volume_spike.ts";
import type { Bars } from "../../src/model/bars.ts";
import { INTERVAL_NAMES, intervalMs } from "../../src/model/interval.ts";
import { makeBars, makeInput, makeOptions } from "../helpers/bars.ts";
import { firstTrue, nextDown, nextUp } from "../helpers/doubles.ts";
import { cryptoSeries, nyseSeries } from "../helpers/gbm-series.ts";
import { inputFor, opts } from "../unit/calendar/_helpers.ts";

const PARAMS = { seed: 20240101, numRuns: 300 };

const check = (c: Check, closes: readonly number[], bars = {}, input = {}, o: Record<string, unknown> = {}) =>
  c.run(makeInput(makeBars(closes, bars), input), makeOptions(c.code, o));
const fires = (c: Check, b: Bars, o: Record<string, unknown> = {}) => c.run(makeInput(b), makeOptions(c.code, o)).length > 0;

/** `n` seeded lognormal volumes with log-sd `sd`; sd 0 gives a constant window. */
const lognormal = (seed: number, n: number, sd: number) => {
  const r = rng(seed);
  return Array.from({ length: n }, () => 1e5 * Math.exp(sd * gauss(r)));
};

describe("doubles", () => {
  test("nextUp and nextDown step exactly one ulp; firstTrue finds the first double of a predicate", () => {
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextDown(1)).toBe(1 - Number.EPSILON / 2);
    expect(nextUp(-1)).toBeGreaterThan(-1);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(firstTrue(1, 2, (x) => x >= 1.5)).toBe(1.5);
    expect(firstTrue(1, 2, (x) => x > 1.5)).toBe(nextUp(1.5));
  });
});

describe("robust statistics", () => {
  test("median and MAD are the textbook ones (sort the deviations, take the middle)", () => {
    const mid = (a: number[]) => (a.length % 2 ? a[a.length >> 1]! : (a[(a.length >> 1) - 1]! + a[a.length >> 1]!) / 2);
    const sample = fc.array(fc.oneof(fc.constantFrom(99, 100, 101), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 61 });
    fc.assert(
      fc.property(sample, (b) => {
        const median = mid([...b].sort((x, y) => x - y));
        const mad = mid(b.map((x) => Math.abs(x - median)).sort((x, y) => x - y));
        expect(robustStats(b, 0)).toMatchObject({ median, mad });
        const s = Float64Array.from(b).sort();
        expect(madOfSorted(s, medianOfSorted(s))).toBe(mad);
      }),
      PARAMS,
    );
  });
});

describe("volume_spike at 6 robust σ of log volume and 10 × the median", () => {
  const D = VOLUME_SPIKE_DEFAULTS;
  // The documented rule, from the window's volumes: v ≥ 10 × median volume (the geometric middle for an even count),
  // and (ln v − median ln) ÷ scale ≥ 6, the scale being 1.4826 × MAD of the logs (floor 0.1, mean-AD when MAD is 0).
  const rule = (w: number[]) => {
    const s = Float64Array.from(w).sort();
    const h = s.length >> 1;
    const med = s.length % 2 ? s[h]! : Math.sqrt(s[h - 1]! * s[h]!);
    const st = robustStats(w.map(Math.log), D.scaleFloor);
    return (v: number) => v >= D.minMultiple * med && zOf(Math.log(v) - st.median, st.scale) >= D.sigmas;
  };
  const windows = fc.tuple(fc.integer({ min: 1, max: 2 ** 30 }), fc.constantFrom(0, 0.02, 0.1, 0.3, 0.6, 1.2), fc.constantFrom(20, 21));

  test("the first volume at which the latest bar is toxic is exactly where the rule says, and the double below is clean", () => {
    fc.assert(
      fc.property(windows, ([seed, sd, len]) => {
        // A 21-bar window with the default window 20: the oldest bar is outside it, as in a real series.
        const w = lognormal(seed, len, sd);
        const within = w.slice(-20);
        const p = rule(within);
        const v = firstTrue(Math.min(...within), 1e300, p);
        const closes = Array.from({ length: len + 1 }, () => 100);
        const at = (x: number) => check(volumeSpike, closes, { volume: [...w, x] });
        const [f] = at(v);
        expect(f?.severity).toBe("error");
        expect(f?.toxic).toBe(true);
        expect(at(nextDown(v))).toEqual([]);
      }),
      { ...PARAMS, numRuns: 150 },
    );
  });

  test("a series that reports no volume is never judged, whatever comes next", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e12, noNaN: true }), { minLength: 1, maxLength: 30 }), (tail) => {
        const v = [...Array.from({ length: 30 }, () => 0), ...tail];
        // Judged only once ≥ 10 of the previous 20 bars carry volume.
        const judged = v.some((_, i) => i >= 20 && v.slice(i - 20, i).filter((x) => x > 0).length >= 10);
        fc.pre(!judged);
        expect(
          check(
            volumeSpike,
            v.map(() => 1),
            { volume: v },
          ),
        ).toEqual([]);
      }),
      PARAMS,
    );
  });
});

describe("false_tick at z 6, minJump, revertFraction and the error rule", () => {
  const D = FALSE_TICK_DEFAULTS;
  /** 51 closes whose 50 log returns are seeded uniform noise of size `sd`, then a candidate and a reverting bar. */
  const baseline = (seed: number, sd: number) => {
    const r = rng(seed);
    const closes = [100];
    for (let i = 0; i < 50; i++) closes.push(closes[i]! * Math.exp((2 * r() - 1) * sd));
    const rets = closes.slice(1).map((c, i) => Math.log(c / closes[i]!));
    return { closes, stats: robustStats(rets, D.madFloor), last: closes[50]! };
  };
  const cases = fc.tuple(fc.integer({ min: 1, max: 2 ** 30 }), fc.constantFrom(0, 1e-5, 0.002, 0.01, 0.05), fc.boolean());
  const ticks = (closes: number[], o = {}) =>
    (falseTick.run(makeInput(makeBars(closes)), makeOptions("false_tick", o))[0]?.details?.ticks as { severity: string }[] | undefined) ?? [];

  test("z and minJump: the first close that is a false tick (undone by the next bar) is where the rule says", () => {
    fc.assert(
      fc.property(cases, ([seed, sd, down]) => {
        const { closes, stats, last } = baseline(seed, sd);
        const x = (c: number) => Math.log(c / last);
        const p = (m: number) => {
          const c = down ? last / m : last * m;
          return Math.abs(x(c)) >= D.minJump && zOf(x(c) - stats.median, stats.scale) >= D.zThreshold;
        };
        fc.pre(!p(1 + 1e-12));
        const m = firstTrue(1 + 1e-12, 1e6, p);
        const at = (k: number) => ticks([...closes, down ? last / k : last * k, last]);
        expect(at(m)).toHaveLength(1);
        expect(at(nextDown(m))).toEqual([]);
      }),
      PARAMS,
    );
  });

  test("revertFraction: the next bar must undo at least half the move; the first close that keeps more is no tick", () => {
    fc.assert(
      fc.property(cases, ([seed, sd, down]) => {
        const { closes, last } = baseline(seed, Math.max(sd, 1e-5));
        const tick = down ? last / 1.5 : last * 1.5;
        const x = Math.log(tick / last);
        // Q(k): the next close at k of the way back undoes less than half of the move (monotone in k).
        const nextAt = (k: number) => tick * Math.exp(-x * (1 - k));
        const q = (k: number) => !(-Math.log(nextAt(k) / tick) / x >= D.revertFraction);
        const k = firstTrue(0.01, 0.99, q);
        expect(ticks([...closes, tick, nextAt(nextDown(k))])).toHaveLength(1);
        expect(ticks([...closes, tick, nextAt(k)])).toEqual([]);
      }),
      PARAMS,
    );
  });

  test("severity: error from the first close errorRatio × off the previous one, or with z ≥ errorZ", () => {
    fc.assert(
      fc.property(cases, ([seed, sd, down]) => {
        const { closes, stats, last } = baseline(seed, sd);
        const sev = (k: number, o = {}) => ticks([...closes, down ? last / k : last * k, last], o)[0]?.severity;
        const ratio = firstTrue(1.1, 10, (k) => Math.abs(Math.log(down ? last / k / last : (last * k) / last)) >= Math.log(D.errorRatio));
        fc.pre(sev(nextDown(ratio), { errorZ: 1e300 }) !== undefined);
        expect(sev(ratio, { errorZ: 1e300 })).toBe("error");
        expect(sev(nextDown(ratio), { errorZ: 1e300 })).toBe("warning");
        fc.pre(sd > 0);
        const ret = (k: number) => Math.log((down ? last / k : last * k) / last);
        const zed = (k: number) => Math.abs(ret(k)) >= D.minJump && zOf(ret(k) - stats.median, stats.scale) >= D.errorZ;
        fc.pre(!zed(1 + 1e-12));
        const kz = firstTrue(1 + 1e-12, 1e6, zed);
        fc.pre(Math.abs(ret(nextDown(kz))) >= D.minJump); // the boundary is errorZ's, not minJump's
        expect(sev(kz, { errorRatio: 1e300 })).toBe("error");
        expect(sev(nextDown(kz), { errorRatio: 1e300 })).not.toBe("error");
      }),
      PARAMS,
    );
  });

  test("z stays finite in JSON, even over constant baselines", () => {
    const closes = fc.array(fc.oneof(fc.constant(100), fc.double({ min: 1e-6, max: 1e9, noNaN: true })), { minLength: 52, maxLength: 90 });
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

describe("split_suspected at the factor's tolerance and minGapZ", () => {
  const series = (seed: number) => cryptoSeries(120, 0.02, seed);
  const cases = fc.tuple(fc.integer({ min: 1, max: 2 ** 30 }), fc.constantFrom(...SPLIT_SUSPECTED_DEFAULTS.factors), fc.boolean());

  test("the open may sit up to `tolerance` (log) from the factor: the first open beyond it is no split, the double below is", () => {
    fc.assert(
      fc.property(cases, ([seed, f, reverse]) => {
        const b = plantSplit(series(seed), 80, reverse ? 1 / f : f);
        const prev = b.close[79]!;
        const moved = reverse ? Math.log(f) : -Math.log(f);
        // A 24/7 series: the gap scale is at its floor, so the tolerance is its 0.05 floor.
        const out = (o: number) => Math.abs(Math.log(o / prev) - moved) > SPLIT_SUSPECTED_DEFAULTS.tolerance;
        const level = prev * Math.exp(moved);
        const withOpen = (x: number) => {
          const c = { ...b, open: b.open.slice() };
          c.open[80] = x;
          return c;
        };
        // Past the factor's level, away from the old price (so minGapZ holds throughout): the boundary double.
        if (reverse) {
          const o = firstTrue(level, level * 1.2, out); // the first open out of tolerance
          expect(fires(splitSuspected, withOpen(nextDown(o)))).toBe(true);
          expect(fires(splitSuspected, withOpen(o))).toBe(false);
        } else {
          const o = firstTrue(level * 0.8, level, (x) => !out(x)); // the first open back within tolerance
          expect(fires(splitSuspected, withOpen(o))).toBe(true);
          expect(fires(splitSuspected, withOpen(nextDown(o)))).toBe(false);
        }
      }),
      { ...PARAMS, numRuns: 40 },
    );
  });

  test("minGapZ: with the threshold set at the bar's own gap z, it is a split; one double above, it is not", () => {
    fc.assert(
      fc.property(cases, ([seed, f, reverse]) => {
        const b = plantSplit(series(seed), 80, reverse ? 1 / f : f);
        const [f0] = splitSuspected.run(makeInput(b), makeOptions("split_suspected"));
        const z = (f0!.details!.splits as { gapZ: number }[])[0]!.gapZ;
        // gapZ is rounded to 6 digits in the evidence: find the exact one by asking the check itself.
        const exact = firstTrue(z * 0.99, z * 1.01, (t) => !fires(splitSuspected, b, { minGapZ: t, strongGapZ: 0 }));
        expect(fires(splitSuspected, b, { minGapZ: nextDown(exact), strongGapZ: 0 })).toBe(true);
        expect(fires(splitSuspected, b, { minGapZ: exact, strongGapZ: 0 })).toBe(false);
        expect(exact / z).toBeCloseTo(1, 5);
      }),
      { ...PARAMS, numRuns: 40 },
    );
  });
});

describe("split_suspected at minEvidence (below strongGapZ: price and volume together)", () => {
  const session = (seed: number, sigma: number) => nyseSeries(800, sigma, seed);
  const cases = fc.tuple(fc.integer({ min: 1, max: 2 ** 30 }), fc.constantFrom(1.25, 1.5, 2), fc.boolean(), fc.double({ min: 0.01, max: 0.05, noNaN: true }));
  const candidate = (b: Bars, i: number): SplitCandidate | undefined => {
    let hit: SplitCandidate | undefined;
    findSplits(b, splitParams(makeOptions("split_suspected")), (c) => {
      if (c.index === i) hit = c;
    });
    return hit;
  };

  test("with minEvidence at the bar's own evidence it is a split; one double above, it is not", () => {
    fc.assert(
      fc.property(cases, ([seed, f, reverse, sigma]) => {
        const b = plantSplit(session(seed, sigma), 400, reverse ? 1 / f : f);
        const c = candidate(b, 400);
        fc.pre(c !== undefined && !c.contradicts);
        const o = { strongGapZ: 1e300 };
        expect(fires(splitSuspected, b, { ...o, minEvidence: c!.evidence })).toBe(true);
        expect(fires(splitSuspected, b, { ...o, minEvidence: nextUp(c!.evidence) })).toBe(false);
        // The evidence is the price's and the volume's log-likelihood ratios; the price's grows with the jump's z.
        expect(c!.evidence).toBe(c!.priceEvidence + c!.volumeEvidence);
      }),
      { ...PARAMS, numRuns: 40 },
    );
  });

  test("the volume's evidence: positive when the step is past half the factor, negative short of it, −d²/2 with no step", () => {
    fc.assert(
      fc.property(cases, ([seed, f, reverse, sigma]) => {
        const clean = session(seed, sigma);
        const b = plantSplit(clean, 400, reverse ? 1 / f : f);
        const c = candidate(b, 400);
        fc.pre(c !== undefined);
        const lf = Math.log(f);
        expect(Math.sign(c!.volumeEvidence)).toBe(Math.sign(c!.step - lf / 2));
        // Prices moved, volumes kept as they were: the step is exactly the clean series' own, the evidence falls by d·lf/se.
        const still = { ...b, volume: clean.volume.slice() };
        const s = candidate(still, 400);
        fc.pre(s !== undefined);
        const d = lf / s!.se;
        expect(s!.volumeEvidence).toBeCloseTo(d * (s!.step / s!.se - d / 2), 6);
        expect(s!.step).toBeCloseTo(c!.step - lf, 1);
      }),
      { ...PARAMS, numRuns: 40 },
    );
  });
});

describe("off_tick at its tolerance", () => {
  test("the first price more than `tolerance` ticks off the grid is off-tick; the double below is not", () => {
    const cases = fc.tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom(0.01, 0.25, 0.00001, 0.5, 1, 0.0001), fc.boolean());
    fc.assert(
      fc.property(cases, ([k, tick, up]) => {
        const on = Math.round(k) * tick;
        const off = (p: number) => Math.abs(p / tick - Math.round(p / tick)) > OFF_TICK_DEFAULTS.tolerance + Math.abs(p / tick) * 2 ** -50;
        fc.pre(!off(on));
        const p = up ? firstTrue(on, on + tick / 2, off) : firstTrue(on - tick / 2, on, (x) => !off(x));
        const at = (x: number) => offTick.run(makeInput(makeBars([x]), { tickSize: tick }), makeOptions("off_tick")).length;
        if (up) {
          expect(at(p)).toBe(1);
          expect(at(nextDown(p))).toBe(0);
        } else {
          expect(at(p)).toBe(0);
          expect(at(nextDown(p))).toBe(1);
        }
        expect(Math.abs(p - on) / tick).toBeCloseTo(OFF_TICK_DEFAULTS.tolerance, 4);
        expect(offTick.run(makeInput(makeBars([p + tick / 3])), makeOptions("off_tick"))).toEqual([]); // no tickSize, no judgement
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

describe("price_stall at minRun zero changes (3 on 1d)", () => {
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
    const symbol = fc
      .tuple(fc.constantFrom("BINANCE", "COINBASE", "KRAKEN"), fc.constantFrom(...DEFAULT_STABLECOINS), quote)
      .map(([ex, base, q]) => `${ex}:${base}${q}`);
    const closes = fc.array(fc.constantFrom(1, 0.9999, 1.0001), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(symbol, closes, (sym, c) => {
        expect(check(priceStall, c, {}, { symbol: sym })).toEqual([]);
      }),
      PARAMS,
    );
  });
});

describe("interval-aware thresholds", () => {
  test("price_stall: minRun − 1 zero changes never stall, minRun do, on every interval", () => {
    fc.assert(
      fc.property(fc.constantFrom(...INTERVAL_NAMES), fc.integer({ min: 1, max: 5 }), (iv, after) => {
        const n = DEFAULT_MIN_RUN[iv];
        const closes = (zeros: number) => [100, 101, ...Array.from({ length: zeros + 1 }, () => 102), ...Array.from({ length: after }, (_, i) => 103 + i)];
        expect(check(priceStall, closes(n - 1), {}, { interval: iv })).toEqual([]);
        expect(check(priceStall, closes(n), {}, { interval: iv })).toHaveLength(1);
      }),
      { ...PARAMS, numRuns: 50 },
    );
  });

  test("stale (crypto): a lag of exactly the allowance is fresh, one bar more is stale, on every interval", () => {
    fc.assert(
      fc.property(fc.constantFrom(...INTERVAL_NAMES), (iv) => {
        const step = intervalMs(iv);
        const ts = Array.from({ length: 10 }, (_, i) => Date.UTC(2024, 2, 1) + i * step);
        const allowance = defaultAllowanceHours("crypto", iv) * 3_600_000;
        const at = (lag: number) => stale.run(inputFor("crypto", iv, ts, { nowMs: ts[9]! + step + lag }), opts());
        expect(at(allowance)).toEqual([]);
        expect(at(allowance + step)).toHaveLength(1);
      }),
      { ...PARAMS, numRuns: 30 },
    );
  });

  test("gap: one gap of maxGapSessions missing sessions is a warning, one more an error", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }), (missing, max) => {
        const days = Array.from({ length: 40 }, (_, i) => Date.UTC(2024, 2, 1) + i * 86_400_000).filter((_, i) => i < 10 || i >= 10 + missing);
        const limit = max ?? 5;
        const [f] = gap.run(inputFor("crypto", "1d", days), opts(max === undefined ? {} : { maxGapSessions: max }));
        expect(f!.severity).toBe(missing > limit ? "error" : "warning");
      }),
      PARAMS,
    );
  });
});
