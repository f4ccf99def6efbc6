import { recordedSplit } from "../model/bars.ts";
import { iso } from "../model/finding.ts";
import { MAD_TO_SD, madLowerBound, SortedWindow, zOf } from "./robust.ts";
import type { Resume } from "./scans.ts";
import { type Check, type CheckInput, type CheckMeta, type CheckOptions, finding, MAX_EVIDENCE, type SplitMark } from "./types.ts";

/** Options under `checks.split_suspected.*` and their defaults. */
export const SPLIT_SUSPECTED_DEFAULTS = {
  /** Split factors looked for; each also as a reverse split (1/factor). */
  factors: [2, 3, 4, 5, 10, 1.5, 1.25] as readonly number[],
  /** Previous bars whose open gaps and close-to-close returns measure the series' own noise. */
  window: 50,
  /** The jump at the open must be at least this many robust σ of the previous open gaps, whatever the volume says … */
  minGapZ: 8,
  /** … and from this many on the price alone is evidence enough (unless the volume contradicts the split). */
  strongGapZ: 100,
  /** Below strongGapZ, the log-likelihood ratio (nats) of "split" over "ordinary gap" the price and volume must reach. */
  minEvidence: 17,
  /** Floor of the residual tolerance, in log units (0.05 ≈ 5 %): how far gap and close may sit from the factor. */
  tolerance: 0.05,
  /** The residual tolerance in robust σ (the split day carries its own move on top of the factor). */
  residualZ: 12,
  /** Floor of the gap scale in log units: markets that trade around the clock open at the previous close. */
  gapFloor: 0.001,
  /** Bars on each side (the split bar itself left out) whose mean log volumes give the volume step. */
  volumeWindow: 500,
  /** The volume must step by at least factor^(1 − volumeTolerance), beyond the noise allowance. */
  volumeTolerance: 0.5,
  /** Noise allowance of the volume step, in standard errors of the difference of the two means. */
  volumeNoiseZ: 5,
};

type Params = { -readonly [K in keyof typeof SPLIT_SUSPECTED_DEFAULTS]: K extends "factors" ? readonly number[] : number };

/** One suspected split, with the evidence that makes it one. */
export interface Split extends SplitMark {
  /** Close-to-close ratio and the open's ratio to the previous close. */
  ratio: number;
  gapRatio: number;
  gapZ: number;
  /** exp(mean log volume after − mean log volume before), the split bar left out of both. */
  volumeRatio: number;
  /** Log-likelihood ratio (nats) of a split over an ordinary gap, price and volume together (see candidateEvidence). */
  evidence: number;
}

/** A bar whose open sits on a split factor, with the evidence for and against it being a split (see findSplits). */
export interface SplitCandidate {
  index: number;
  /** ± log of the nearest factor: the move a split of it makes in log price. */
  moved: number;
  gapZ: number;
  /** How far the open's jump sits from the factor, in robust σ of the gaps. */
  residualZ: number;
  /** The volume step against the price (log units, positive when the volume moves the way a split moves it) and its standard error. */
  step: number;
  se: number;
  volumeRatio: number;
  /** Log-likelihood ratios (nats): the price's, the volume's, and their sum. */
  priceEvidence: number;
  volumeEvidence: number;
  evidence: number;
  /** The volume step is far short of the factor: prices moved, shares did not (a unit error, not a split). */
  contradicts: boolean;
}

/** Parameters of the rule from the options. */
export function splitParams(opts: CheckOptions): Params {
  const D = SPLIT_SUSPECTED_DEFAULTS;
  return {
    factors: opts.numbers("factors", D.factors).filter((f) => f > 1),
    window: Math.max(2, Math.floor(opts.number("window", D.window))),
    minGapZ: opts.number("minGapZ", D.minGapZ),
    strongGapZ: opts.number("strongGapZ", D.strongGapZ),
    minEvidence: opts.number("minEvidence", D.minEvidence),
    tolerance: opts.number("tolerance", D.tolerance),
    residualZ: opts.number("residualZ", D.residualZ),
    gapFloor: Math.max(opts.number("gapFloor", D.gapFloor), 1e-12),
    volumeWindow: Math.max(1, Math.floor(opts.number("volumeWindow", D.volumeWindow))),
    volumeTolerance: opts.number("volumeTolerance", D.volumeTolerance),
    volumeNoiseZ: opts.number("volumeNoiseZ", D.volumeNoiseZ),
  };
}

const usable = (x: number) => x > 0 && x !== Infinity;

/** Mean, sd and lag-1 autocorrelation of the finite log volumes in [from, to), or undefined when fewer than `min` carry volume. */
function volumeLevel(lv: Float64Array, from: number, to: number, min: number): { mean: number; sd: number; rho: number; n: number } | undefined {
  const lo = Math.max(0, from);
  const hi = Math.min(lv.length, to);
  let n = 0;
  let sum = 0;
  for (let k = lo; k < hi; k++)
    if (lv[k] === lv[k]) {
      n++;
      sum += lv[k]!;
    }
  if (n < Math.max(1, min)) return undefined;
  const mean = sum / n;
  let ss = 0;
  let cross = 0;
  for (let k = lo; k < hi; k++) {
    if (lv[k] !== lv[k]) continue;
    ss += (lv[k]! - mean) ** 2;
    if (k > lo && lv[k - 1] === lv[k - 1]) cross += (lv[k]! - mean) * (lv[k - 1]! - mean);
  }
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, rho: ss > 0 ? cross / ss : 0, n };
}

/**
 * The t₄ density's log (up to a constant) at a robust z: a standard t₄ has MAD 0.7407, so its robust σ is
 * 1.098 and z robust σ is T = 1.098·z; ln p(T) = −2.5·ln(1 + T²/4). Daily returns and gaps are about this heavy-tailed.
 */
const T4_Z2 = (0.7407 * MAD_TO_SD) ** 2 / 4;
const lnT4 = (z: number) => -2.5 * Math.log1p(T4_Z2 * z * z);

/**
 * The evidence for a split of log size `moved` at bar `i`, given the open gap's robust z and the gap scale: how
 * likely the jump is as the factor plus an ordinary gap over how likely it is as an ordinary gap (t₄ in robust σ:
 * a 20 σ gap is about 2.5·ln(1 + 0.3·20²) ≈ 12 nats less likely than a 0 σ one), plus how likely the volume step
 * is as the factor's step over no step (both Gaussian with the step's standard error se: d·(step/se − d/2) for
 * d = |moved|/se). se comes from the log volumes before the bar: their sd, inflated by √((1+ρ)/(1−ρ)) for their
 * lag-1 autocorrelation ρ (volumes are persistent, so n bars carry fewer than n bars' worth of information), times
 * √(1/n_before + 1/n_after). The bars before start after the last split found. A short after-window (the latest bars) gives a large se and so little evidence either
 * way: the check holds its judgement until more bars arrive rather than guessing.
 */
function candidateEvidence(lv: Float64Array, i: number, since: number, moved: number, gapZ: number, residualZ: number, p: Params): SplitCandidate | undefined {
  const V = p.volumeWindow;
  const from = Math.max(i - V, since);
  const slots = i - Math.max(0, from);
  const before = volumeLevel(lv, from, i, Math.max(2, Math.ceil(slots / 2)));
  const after = volumeLevel(lv, i + 1, i + 1 + V, 1);
  if (!before || !after) return undefined;
  const lf = Math.abs(moved);
  const rho = Math.min(0.9, Math.max(0, before.rho));
  const se = Math.max(before.sd, 1e-6) * Math.sqrt((1 + rho) / (1 - rho)) * Math.sqrt(1 / before.n + 1 / after.n);
  const step = -(after.mean - before.mean) * Math.sign(moved); // volume moves against the price
  const d = lf / se;
  const priceEvidence = lnT4(residualZ) - lnT4(gapZ);
  const volumeEvidence = d * (step / se - d / 2);
  // The volume can only contradict a split whose step would stand out of its noise (not a 5:4 split in a noisy
  // series: there it neither confirms nor refutes).
  const contradicts = lf >= p.volumeNoiseZ * se && step < (1 - p.volumeTolerance) * lf - p.volumeNoiseZ * se;
  return {
    index: i,
    moved,
    gapZ,
    residualZ,
    step,
    se,
    volumeRatio: Math.exp(after.mean - before.mean),
    priceEvidence,
    volumeEvidence,
    evidence: priceEvidence + volumeEvidence,
    contradicts,
  };
}

/**
 * Unadjusted splits. A split moves every price of the bar by the factor at once, between the previous close and
 * this bar's open, and the share volume by its inverse, for good; a crash or a rally rarely sits on a factor, does
 * not happen all at the open, and does not step the volume. A bar is a candidate when:
 * - its open is a factor × (or ÷) the previous close within the tolerance, a jump ≥ `minGapZ` robust σ of the
 *   previous `window` open gaps, and its close-to-close ratio is within the tolerance of the same factor;
 * - the next bar opens at the new level rather than undoing at least half the jump (a bad candle reverting is a
 *   false tick; so the latest bar, whose next bar has not arrived, raises no split until it does), and the jump
 *   does not undo at least half of the previous bar's own open jump (the second half of a bad candle);
 * - the volume has at least half the previous `volumeWindow` bars' worth of data before it and a bar after it.
 * A candidate is a split unless its volume contradicts it (the mean log volume over up to `volumeWindow` bars after
 * over that before, the split bar left out of both, steps by less than factor^(1 − volumeTolerance) less
 * `volumeNoiseZ` standard errors), and when its jump is ≥ `strongGapZ` σ or its evidence (candidateEvidence: the
 * price's and the volume's log-likelihood ratios together) reaches `minEvidence` nats. In 24/7 markets, which open
 * at the previous close, any factor is hundreds of σ; in session markets, whose overnight gaps are real and
 * heavy-tailed, a 5:4 split in a volatile stock is 10–20 σ and needs the volume's testimony, which long windows
 * give. Without volume a split cannot be told from a unit error and none is claimed: toxic_return and false_tick
 * judge such bars. The factor is the one nearest the open's jump (the less noisy of the two moves). Split bars
 * leave the gap baseline. `onCandidate` sees every candidate (the benchmark prints their separation).
 */
export function findSplits(b: CheckInput["bars"], p: Params, onCandidate?: (c: SplitCandidate) => void, prior?: Resume<Split>): Split[] {
  const { open, close, volume } = b;
  const n = close.length;
  const gaps = new SortedWindow(p.window);
  const rets = new SortedWindow(p.window);
  // A bar's decision reads the bars up to volumeWindow after it: those of bars further from the prior's end are the
  // prior's (its splits kept), and the scan resumes there with the windows as they were (see warmSplitWindows).
  const from = prior ? Math.max(1, prior.rows - p.volumeWindow) : 1;
  const out: Split[] = prior ? prior.events.filter((s) => s.index < from) : [];
  const lv = new Float64Array(n);
  for (let i = Math.max(0, from - p.volumeWindow - 1); i < n; i++) lv[i] = volume[i]! > 0 && volume[i] !== Infinity ? Math.log(volume[i]!) : Number.NaN;
  const logs = p.factors.map(Math.log);
  if (!logs.length) return [];
  if (from > 1) warmSplitWindows(b, from, out, gaps, rets);
  for (let i = from; i < n; i++) {
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
    const dev = gaps.size < p.window ? 0 : Math.abs(g - gaps.median());
    if (dev < p.minGapZ * p.gapFloor) {
      admit();
      continue;
    }
    // … and a lower bound on the MAD (robust.ts) skips it for most of the rest of a session market's bars.
    const lb = madLowerBound(gaps.sorted, gaps.size, gaps.median());
    if (lb > 0 && dev < p.minGapZ * Math.max(MAD_TO_SD * lb, p.gapFloor)) {
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
    if (i + 1 >= n || !usable(open[i + 1]!)) {
      admit();
      continue;
    }
    const back = Math.log(open[i + 1]! / close[i]!);
    if (Math.sign(back) === -Math.sign(g) && Math.abs(g + back) <= Math.abs(g) / 2) {
      admit();
      continue;
    }
    // Nor is the bar that undoes the previous bar's jump (the second half of a bad candle: the open returns to the
    // close before it).
    const before = i >= 2 && usable(close[i - 2]!) && usable(open[i - 1]!) ? Math.log(open[i - 1]! / close[i - 2]!) : 0;
    if (Math.sign(before) === -Math.sign(g) && Math.abs(g + before) <= Math.abs(g) / 2) {
      admit();
      continue;
    }
    // The volume before starts after the last split found (its own step would blur this one's).
    const since = out.length ? out[out.length - 1]!.index : 0;
    const c = candidateEvidence(lv, i, since, moved, gapZ, zOf(g - sg.median - moved, sg.scale), p);
    if (!c) {
      admit();
      continue;
    }
    onCandidate?.(c);
    if (c.contradicts || (gapZ < p.strongGapZ && !(c.evidence >= p.minEvidence))) {
      admit();
      continue;
    }
    const factor = g < 0 ? p.factors[k]! : 1 / p.factors[k]!;
    out.push({ index: i, factor, ratio: close[i]! / prev, gapRatio: open[i]! / prev, gapZ, volumeRatio: c.volumeRatio, evidence: c.evidence });
  }
  return out;
}

/**
 * The gap and return windows as the scan leaves them before bar `from`: the last `capacity` bars admitted before it
 * (usable prices, not a split), pushed in order, the same values the scan computes.
 */
function warmSplitWindows(b: CheckInput["bars"], from: number, splits: readonly Split[], gaps: SortedWindow, rets: SortedWindow): void {
  const { open, close } = b;
  const split = new Set(splits.map((s) => s.index));
  const admitted: number[] = [];
  for (let i = from - 1; i >= 1 && admitted.length < gaps.capacity; i--)
    if (usable(close[i - 1]!) && usable(close[i]!) && usable(open[i]!) && !split.has(i)) admitted.push(i);
  for (let k = admitted.length - 1; k >= 0; k--) {
    const i = admitted[k]!;
    gaps.push(Math.log(open[i]! / close[i - 1]!));
    rets.push(Math.log(close[i]! / close[i - 1]!));
  }
}

const meta = {
  rule: "an unadjusted split: the open is a split factor away from the previous close (within the tolerance, at least minGapZ robust σ of the series' own open gaps), the close holds the factor and the next bar opens at the new level; a split when the volume does not contradict it (the mean log volume over volumeWindow bars each side, the split bar left out, steps the other way by at least factor^(1 − volumeTolerance) less volumeNoiseZ standard errors) and either the jump is ≥ strongGapZ σ or the evidence reaches minEvidence nats: the log-likelihood ratio of split over ordinary gap, from the gap (t₄ tails in robust σ: ln p(residual) − ln p(gap)) plus the volume step (Gaussian, its standard error from the volume's own sd and lag-1 autocorrelation); a short after-window gives little evidence, so the check waits for more bars; the split bar is reported once, as this",
  severity: "error, toxic",
  options: {
    factors: { default: SPLIT_SUSPECTED_DEFAULTS.factors, description: "split factors looked for, each also as a reverse split (a list of numbers)" },
    window: { default: SPLIT_SUSPECTED_DEFAULTS.window, min: 2, integer: true, description: "previous bars whose gaps and returns measure the series' noise" },
    minGapZ: { default: SPLIT_SUSPECTED_DEFAULTS.minGapZ, min: 0, description: "robust σ of open gaps the jump must reach, whatever the volume says" },
    strongGapZ: { default: SPLIT_SUSPECTED_DEFAULTS.strongGapZ, min: 0, description: "from this many σ the price alone is evidence enough" },
    minEvidence: {
      default: SPLIT_SUSPECTED_DEFAULTS.minEvidence,
      description: "below strongGapZ, the log-likelihood ratio (nats) of split over ordinary gap that price and volume must reach",
    },
    tolerance: { default: SPLIT_SUSPECTED_DEFAULTS.tolerance, min: 0, description: "floor of how far gap and close may sit from the factor (log units)" },
    residualZ: { default: SPLIT_SUSPECTED_DEFAULTS.residualZ, min: 0, description: "the residual tolerance in robust σ" },
    gapFloor: { default: SPLIT_SUSPECTED_DEFAULTS.gapFloor, min: 0, description: "floor of the gap scale in log units" },
    volumeWindow: {
      default: SPLIT_SUSPECTED_DEFAULTS.volumeWindow,
      min: 1,
      integer: true,
      description: "bars on each side (the split bar left out) whose mean log volumes give the step",
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
    const b = input.bars;
    // runChecks found them for the split marks (scans.splits); a bar the vendor records as a split is judged by
    // split_unadjusted, which knows the factor.
    const found = input.scans?.splits ?? findSplits(b, splitParams(opts));
    const splits = found.filter((s) => recordedSplit(b, s.index) === undefined);
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
      evidence: round(s.evidence),
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
