// split_suspected's evidence model: which bars are candidates, and how much their price and volume say for a split
// over an ordinary gap. split_suspected.ts turns what this finds into the finding.
import { MAD_TO_SD, madLowerBound, SortedWindow, zOf } from "./robust.ts";
import type { Resume } from "./scans.ts";
import type { CheckInput, CheckOptions, SplitMark } from "./types.ts";

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

export type SplitParams = { -readonly [K in keyof typeof SPLIT_SUSPECTED_DEFAULTS]: K extends "factors" ? readonly number[] : number };

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
export function splitParams(opts: CheckOptions): SplitParams {
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
 * d = |moved|/se). se comes from the log volumes on both sides, each around its own mean (a split moves the level,
 * not the noise, so both windows measure the same noise and pooling halves the chance of a lucky small sd): their
 * pooled sd, inflated by √((1+ρ)/(1−ρ)) for their pooled lag-1 autocorrelation ρ (volumes are persistent, so n bars
 * carry fewer than n bars' worth of information), times √(1/n_before + 1/n_after). The bars before start after the
 * last split found. A short after-window (the latest bars) gives a large se and so little evidence either way: the
 * check holds its judgement until more bars arrive rather than guessing.
 */
function candidateEvidence(
  lv: Float64Array,
  i: number,
  since: number,
  moved: number,
  gapZ: number,
  residualZ: number,
  p: SplitParams,
): SplitCandidate | undefined {
  const V = p.volumeWindow;
  const from = Math.max(i - V, since);
  const slots = i - Math.max(0, from);
  const before = volumeLevel(lv, from, i, Math.max(2, Math.ceil(slots / 2)));
  const after = volumeLevel(lv, i + 1, i + 1 + V, 1);
  if (!before || !after) return undefined;
  const lf = Math.abs(moved);
  const dof = Math.max(1, before.n + after.n - 2);
  const sd = Math.sqrt(((before.n - 1) * before.sd ** 2 + (after.n - 1) * after.sd ** 2) / dof);
  const rho = Math.min(0.9, Math.max(0, (before.rho * before.n + after.rho * after.n) / (before.n + after.n)));
  const se = Math.max(sd, 1e-6) * Math.sqrt((1 + rho) / (1 - rho)) * Math.sqrt(1 / before.n + 1 / after.n);
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
export function findSplits(b: CheckInput["bars"], p: SplitParams, onCandidate?: (c: SplitCandidate) => void, prior?: Resume<Split>): Split[] {
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
