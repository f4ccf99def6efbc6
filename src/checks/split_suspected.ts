import { recordedSplit } from "../model/bars.ts";
import { iso } from "../model/finding.ts";
import { MEAN_AD_TO_SD, medianOfSorted, SortedWindow, zOf } from "./robust.ts";
import { type Check, type CheckInput, type CheckMeta, type CheckOptions, finding, MAX_EVIDENCE, type SplitMark } from "./types.ts";

/** Options under `checks.split_suspected.*` and their defaults. */
export const SPLIT_SUSPECTED_DEFAULTS = {
  /** Split factors looked for; each also as a reverse split (1/factor). */
  factors: [2, 3, 4, 5, 10, 1.5, 1.25] as readonly number[],
  /** Previous bars whose open gaps and close-to-close returns measure the series' own noise. */
  window: 50,
  /** The jump at the open must be at least this many robust σ of the previous open gaps … */
  minGapZ: 40,
  /** … and below this many, the volume step must also stand out from the volume's noise by `volumeZ`. */
  strongGapZ: 100,
  /** Standard errors of the volume step required when the gap is between minGapZ and strongGapZ. */
  volumeZ: 3,
  /** Floor of the residual tolerance, in log units (0.05 ≈ 5 %): how far gap and close may sit from the factor. */
  tolerance: 0.05,
  /** The residual tolerance in robust σ (the split day carries its own move on top of the factor). */
  residualZ: 12,
  /** Floor of the gap scale in log units: markets that trade around the clock open at the previous close. */
  gapFloor: 0.001,
  /** Bars on each side whose median volumes give the volume step. */
  volumeWindow: 20,
  /** The volume must step by at least factor^(1 − volumeTolerance), beyond the noise allowance. */
  volumeTolerance: 0.5,
  /** Noise allowance of the volume step, in standard errors of the difference of the two medians. */
  volumeNoiseZ: 5,
};

type Params = { -readonly [K in keyof typeof SPLIT_SUSPECTED_DEFAULTS]: K extends "factors" ? readonly number[] : number };

/** One suspected split, with the evidence that makes it one. */
export interface Split extends SplitMark {
  /** Close-to-close ratio and the open's ratio to the previous close. */
  ratio: number;
  gapRatio: number;
  gapZ: number;
  /** Median volume after ÷ median volume before. */
  volumeRatio: number;
}

/** Parameters of the rule from the options. */
export function splitParams(opts: CheckOptions): Params {
  const D = SPLIT_SUSPECTED_DEFAULTS;
  return {
    factors: opts.numbers("factors", D.factors).filter((f) => f > 1),
    window: Math.max(2, Math.floor(opts.number("window", D.window))),
    minGapZ: opts.number("minGapZ", D.minGapZ),
    strongGapZ: opts.number("strongGapZ", D.strongGapZ),
    volumeZ: opts.number("volumeZ", D.volumeZ),
    tolerance: opts.number("tolerance", D.tolerance),
    residualZ: opts.number("residualZ", D.residualZ),
    gapFloor: Math.max(opts.number("gapFloor", D.gapFloor), 1e-12),
    volumeWindow: Math.max(1, Math.floor(opts.number("volumeWindow", D.volumeWindow))),
    volumeTolerance: opts.number("volumeTolerance", D.volumeTolerance),
    volumeNoiseZ: opts.number("volumeNoiseZ", D.volumeNoiseZ),
  };
}

const usable = (x: number) => x > 0 && x !== Infinity;

/** Median and robust sd of the finite log volumes in [from, to), or undefined when fewer than `min` bars carry volume. */
function volumeLevel(lv: Float64Array, from: number, to: number, min: number): { median: number; sd: number; n: number } | undefined {
  const xs: number[] = [];
  for (let k = Math.max(0, from); k < Math.min(lv.length, to); k++) if (lv[k] === lv[k]) xs.push(lv[k]!);
  if (xs.length < min) return undefined;
  const s = Float64Array.from(xs).sort();
  const median = medianOfSorted(s);
  let dev = 0;
  for (const x of s) dev += Math.abs(x - median);
  return { median, sd: MEAN_AD_TO_SD * (dev / s.length), n: s.length };
}

/**
 * Unadjusted splits. A split moves every price of the bar by the factor at once, between the previous close and
 * this bar's open, and the share volume by its inverse, for good; a crash or a rally rarely sits on a factor, does
 * not happen all at the open, and does not step the volume. So a bar is a suspected split when:
 * - its open is a factor × (or ÷) the previous close within the tolerance, and that jump is ≥ `minGapZ` robust σ of
 *   the previous `window` open gaps. In markets that open at the previous close (24/7 crypto) that is any factor;
 *   in session markets, whose overnight gaps are real and heavy-tailed, only a jump that dwarfs the series' own
 *   gaps: a 2:1 split in a stock with 3 % daily volatility is about 50 σ of its gaps, a 5:4 split about 20 σ;
 * - its close-to-close ratio is within the tolerance of the same factor (the level held for the bar), and the next
 *   bar opens at the new level rather than undoing at least half the jump (a bad candle reverting is a false tick;
 *   so the latest bar, whose next bar has not arrived, raises no split until it does);
 * - the median volume of the next `volumeWindow` bars (from this one) over that of the previous ones steps the
 *   other way by at least factor^(1 − volumeTolerance), less `volumeNoiseZ` standard errors of that step; and,
 *   when the jump is below `strongGapZ` σ (heavy tails make 40–100 σ gaps rare but real), by at least `volumeZ`
 *   standard errors as well: the volume must then testify on its own. Without volume (fewer than half the previous
 *   bars carry any, or none from this bar on) a split cannot be told from a unit error and none is claimed:
 *   toxic_return and false_tick judge such bars.
 * The factor is the one nearest the open's jump (the less noisy of the two moves). Split bars leave the baselines.
 */
export function findSplits(b: CheckInput["bars"], p: Params): Split[] {
  const { open, close, volume } = b;
  const n = close.length;
  const gaps = new SortedWindow(p.window);
  const rets = new SortedWindow(p.window);
  const lv = new Float64Array(n);
  for (let i = 0; i < n; i++) lv[i] = volume[i]! > 0 && volume[i] !== Infinity ? Math.log(volume[i]!) : Number.NaN;
  const logs = p.factors.map(Math.log);
  const out: Split[] = [];
  if (!logs.length) return out;
  for (let i = 1; i < n; i++) {
    const prev = close[i - 1]!;
    if (!usable(prev) || !usable(close[i]!) || !usable(open[i]!)) continue;
    const g = Math.log(open[i]! / prev);
    const r = Math.log(close[i]! / prev);
    const admit = () => {
      gaps.push(g);
      rets.push(r);
    };
    // Most bars stop here, before any MAD: the gap scale is never below gapFloor, so a jump under minGapZ floors
    // cannot reach minGapZ.
    if (gaps.size < p.window || Math.abs(g - gaps.median()) < p.minGapZ * p.gapFloor) {
      admit();
      continue;
    }
    let k = 0;
    for (let j = 1; j < logs.length; j++) if (Math.abs(Math.abs(g) - logs[j]!) < Math.abs(Math.abs(g) - logs[k]!)) k = j;
    const lf = logs[k]!;
    const sg = gaps.stats(p.gapFloor);
    const sr = rets.stats(1e-4);
    const gapZ = zOf(g - sg.median, sg.scale);
    const moved = Math.sign(g) * lf; // the factor's move in log price
    const fits = (x: number, scale: number) => Math.abs(x - moved) <= Math.max(p.tolerance, p.residualZ * scale);
    if (gapZ < p.minGapZ || !fits(g, sg.scale) || !fits(r, sr.scale)) {
      admit();
      continue;
    }
    // The level must hold: the next bar opens where this one left off, not back at the old level (that is a bad
    // candle reverting: false_tick's). The latest bar cannot show it yet, so it raises no split until the next arrives.
    if (i + 1 >= n || !usable(open[i + 1]!) || !usable(close[i]!)) {
      admit();
      continue;
    }
    const back = Math.log(open[i + 1]! / close[i]!);
    if (Math.sign(back) === -Math.sign(g) && Math.abs(g + back) <= Math.abs(g) / 2) {
      admit();
      continue;
    }
    const half = Math.max(1, Math.ceil(p.volumeWindow / 2));
    const before = volumeLevel(lv, i - p.volumeWindow, i, half);
    const after = volumeLevel(lv, i, i + p.volumeWindow, 1);
    if (!before || !after) {
      admit();
      continue;
    }
    const step = -(after.median - before.median) * Math.sign(g); // volume moves against the price
    const se = before.sd * Math.sqrt(1 / before.n + 1 / after.n);
    // The volume can only contradict a split whose step would stand out of its noise (not a 5:4 split in a noisy
    // series: there it neither confirms nor refutes), and in the grey zone of gaps it must confirm the split.
    const contradicts = lf >= p.volumeNoiseZ * se && step < (1 - p.volumeTolerance) * lf - p.volumeNoiseZ * se;
    if (contradicts || (gapZ < p.strongGapZ && step < p.volumeZ * se)) {
      admit();
      continue;
    }
    const factor = g < 0 ? p.factors[k]! : 1 / p.factors[k]!;
    out.push({ index: i, factor, ratio: close[i]! / prev, gapRatio: open[i]! / prev, gapZ, volumeRatio: Math.exp(after.median - before.median) });
  }
  return out;
}

const meta = {
  rule: "an unadjusted split: the open is a split factor away from the previous close (at least minGapZ robust σ of the series' own open gaps), the close holds the factor, the next bar opens at the new level and the volume steps the other way; the split bar is reported once, as this",
  severity: "error, toxic",
  options: {
    factors: { default: SPLIT_SUSPECTED_DEFAULTS.factors, description: "split factors looked for, each also as a reverse split (a list of numbers)" },
    window: { default: SPLIT_SUSPECTED_DEFAULTS.window, min: 2, integer: true, description: "previous bars whose gaps and returns measure the series' noise" },
    minGapZ: { default: SPLIT_SUSPECTED_DEFAULTS.minGapZ, min: 0, description: "robust σ of open gaps the jump must reach" },
    strongGapZ: { default: SPLIT_SUSPECTED_DEFAULTS.strongGapZ, min: 0, description: "below this many σ the volume step must also stand out" },
    volumeZ: { default: SPLIT_SUSPECTED_DEFAULTS.volumeZ, min: 0, description: "standard errors of the volume step required below strongGapZ" },
    tolerance: { default: SPLIT_SUSPECTED_DEFAULTS.tolerance, min: 0, description: "floor of how far gap and close may sit from the factor (log units)" },
    residualZ: { default: SPLIT_SUSPECTED_DEFAULTS.residualZ, min: 0, description: "the residual tolerance in robust σ" },
    gapFloor: { default: SPLIT_SUSPECTED_DEFAULTS.gapFloor, min: 0, description: "floor of the gap scale in log units" },
    volumeWindow: {
      default: SPLIT_SUSPECTED_DEFAULTS.volumeWindow,
      min: 1,
      integer: true,
      description: "bars on each side whose median volumes give the step",
    },
    volumeTolerance: { default: SPLIT_SUSPECTED_DEFAULTS.volumeTolerance, min: 0, max: 1, description: "the volume must step by at least factor^(1 − this)" },
    volumeNoiseZ: { default: SPLIT_SUSPECTED_DEFAULTS.volumeNoiseZ, min: 0, description: "noise allowance of the volume step, in standard errors" },
  },
  example: "unadjusted 5:1 split suspected at 2024-06-10T00:00:00.000Z (close ratio 0.2031, volume × 4.9)",
} as const satisfies CheckMeta;

/** `split_suspected`: an unadjusted split (open and close × or ÷ a split factor, volume stepping the other way); error, asset toxic. */
export const splitSuspected: Check = {
  code: "split_suspected",
  meta,
  run(input, opts) {
    const p = splitParams(opts);
    const b = input.bars;
    // A bar the vendor records as a split is judged by split_unadjusted, which knows the factor.
    const splits = findSplits(b, p).filter((s) => recordedSplit(b, s.index) === undefined);
    if (!splits.length) return [];
    const evidence = splits.slice(0, MAX_EVIDENCE).map((s) => ({
      timestamp: iso(b.timestamp[s.index]!),
      prevClose: b.close[s.index - 1]!,
      open: b.open[s.index]!,
      close: b.close[s.index]!,
      ratio: round(s.ratio),
      gapRatio: round(s.gapRatio),
      nearestFactor: round(s.factor),
      split: label(s.factor),
      volumeRatio: round(s.volumeRatio),
      gapZ: round(s.gapZ),
    }));
    const first = evidence[0]!;
    const f = finding(
      input,
      "split_suspected",
      opts.severity("error"),
      `${splits.length === 1 ? "an unadjusted" : `${splits.length} unadjusted`} split${splits.length === 1 ? "" : "s"} suspected: ${first.split} on ${first.timestamp.slice(0, 10)} (close ${first.prevClose} → ${first.close}, ratio ${first.ratio}; volume × ${first.volumeRatio}); fetch split-adjusted bars`,
      { splits: splits.length },
      { splits: evidence },
    );
    // Every return across an unadjusted split is wrong by the factor: the series is not fit to be read as golden.
    f.toxic = true;
    return [f];
  },
};

/** "5:1" for a forward split of 5, "1:4" for a reverse split of 4, "3:2" for 1.5, "5:4" for 1.25. */
export function label(factor: number): string {
  const f = factor >= 1 ? factor : 1 / factor;
  let num = f;
  let den = 1;
  while (den < 100 && Math.abs(num - Math.round(num)) > 1e-9) {
    den++;
    num = f * den;
  }
  const [a, b] = [Math.round(num), den];
  return factor >= 1 ? `${a}:${b}` : `${b}:${a}`;
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
