import type { Severity } from "../model/finding.ts";
import { iso } from "../model/finding.ts";
import { type Check, type CheckMeta, finding, MAX_EVIDENCE } from "./types.ts";

/** 1/Φ⁻¹(3/4): scales a MAD to a standard deviation for normal data, so z reads as "sigmas". */
export const MAD_TO_SD = 1.4826;
/** √(π/2): scales a mean absolute deviation to a standard deviation, the fallback when MAD is 0. */
export const MEAN_AD_TO_SD = 1.2533;

/** The robust score of a close against its baseline. */
export interface TickScore {
  median: number;
  mad: number;
  /** The sd estimate z divides by (never 0: see `scoreSorted`). */
  scale: number;
  z: number;
  jump: number;
}

/**
 * Score `close` against an ascending-sorted, positive baseline. MAD is 0 whenever more than half
 * the baseline is one price (a quiet or rounded feed), which would make z infinite: then the mean
 * absolute deviation stands in (the usual modified-z fallback), and a floor of madFloor × median
 * keeps z finite when every baseline close is identical, where in effect only the jump decides.
 */
export function scoreSorted(sorted: Float64Array, close: number, madFloor = 1e-6): TickScore {
  const median = middle(sorted);
  const mad = madOfSorted(sorted, median);
  const scale = scaleOf(sorted, median, mad, madFloor);
  const diff = Math.abs(close - median);
  return { median, mad, scale, z: zOf(diff, scale), jump: diff / median };
}

function scaleOf(sorted: Float64Array, median: number, mad: number, madFloor: number): number {
  let spread = MAD_TO_SD * mad;
  if (mad === 0) {
    let sumDev = 0;
    for (let i = 0; i < sorted.length; i++) sumDev += Math.abs(sorted[i]! - median);
    spread = MEAN_AD_TO_SD * (sumDev / sorted.length);
  }
  return Math.max(spread, MAD_TO_SD * madFloor * median);
}

// The cap only matters for absurd inputs (a subnormal median): JSON has no Infinity.
function zOf(diff: number, scale: number): number {
  return Math.min(diff / scale, Number.MAX_VALUE);
}

/**
 * A lower bound on the MAD from two order statistics, a = (n − h) >> 1 and b = a + h (h = n >> 1):
 * only the b − a − 1 < h closes strictly between them can deviate less than min(m − s[a], s[b] − m),
 * so the middle-ranked deviation cannot. Rounding is monotone, so the bound holds in floats too,
 * and a z computed from it can only overstate the real one: below the threshold, skip the MAD.
 */
function madLowerBound(s: Float64Array, median: number): number {
  const h = s.length >> 1;
  const a = (s.length - h) >> 1;
  return Math.min(median - s[a]!, s[a + h]! - median);
}

/**
 * Median absolute deviation of a sorted array without sorting the deviations: those left of the
 * median grow leftwards, those right of it grow rightwards, so merging the two runs reaches the
 * middle ranks in O(n). Same values as sorting |x − median| (fl(m − x) = |fl(x − m)|).
 */
function madOfSorted(s: Float64Array, median: number): number {
  const n = s.length;
  let l = 0;
  while (l < n && s[l]! < median) l++;
  let j = l; // next right-hand index (deviation s[j] − median)
  l--; // next left-hand index (deviation median − s[l])
  const h = n >> 1;
  let prev = 0;
  let cur = 0;
  for (let rank = 0; rank <= h; rank++) {
    prev = cur;
    if (l >= 0 && (j >= n || median - s[l]! <= s[j]! - median)) cur = median - s[l--]!;
    else cur = s[j++]! - median;
  }
  return n % 2 ? cur : (prev + cur) / 2;
}

/** Robust score of `close` against an unsorted baseline (the check's exact arithmetic, for tests and tools). */
export function falseTickScore(baseline: ArrayLike<number>, close: number, madFloor = 1e-6): TickScore {
  return scoreSorted(Float64Array.from(baseline).sort(), close, madFloor);
}

function middle(s: Float64Array): number {
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** Thresholds of the false-tick rule. */
export interface FalseTickParams {
  window: number;
  zThreshold: number;
  minJump: number;
  madFloor: number;
  /** Consecutive same-side flagged closes that make a level shift rather than ticks. */
  levelShiftBars: number;
}

/** One flagged close: bar index, its score and side (+1 above the median, −1 below). */
export interface Tick extends TickScore {
  index: number;
  close: number;
  side: number;
}

/**
 * Flag false ticks. The baseline is the last `window` accepted closes: a flagged close leaves
 * it, so a burst of bad ticks cannot drag the median towards itself and mask the next one.
 * Excluding forever would freeze the baseline after a real move (an earnings gap), flagging
 * every later bar; so `levelShiftBars` consecutive flagged closes on the same side are a new
 * level: they are unflagged, become the baseline, and checking resumes once it is full again.
 */
export function findFalseTicks(close: ArrayLike<number>, p: FalseTickParams): Tick[] {
  const w = p.window;
  const ticks: Tick[] = [];
  const sorted = new Float64Array(w); // the baseline, ascending: updated in place, no per-bar sort
  const ring = new Float64Array(w); // the baseline in arrival order, to know which close leaves
  let size = 0;
  let head = 0; // ring index of the oldest close
  let run: Tick[] = []; // the current streak of consecutive flagged closes
  const admit = (x: number) => {
    if (size === w) {
      replace(sorted, w, ring[head]!, x);
      ring[head] = x;
      head = head + 1 === w ? 0 : head + 1;
      return;
    }
    ring[(head + size) % w] = x;
    insert(sorted, size, x);
    size++;
  };
  for (let i = 0; i < close.length; i++) {
    const x = close[i]!;
    if (!(x > 0) || x === Infinity) continue; // bad_value's finding; neither baseline nor candidate
    if (size < w) {
      admit(x);
      continue;
    }
    const median = middle(sorted);
    const diff = Math.abs(x - median);
    const jump = diff / median;
    let mad = 0;
    let scale = 0;
    let z = 0;
    // Most bars stop at the jump test (it needs only the median) or at the MAD bound, before any MAD.
    if (jump >= p.minJump && !(diff / (MAD_TO_SD * madLowerBound(sorted, median)) < p.zThreshold)) {
      mad = madOfSorted(sorted, median);
      scale = scaleOf(sorted, median, mad, p.madFloor);
      z = zOf(diff, scale);
    }
    if (jump < p.minJump || z < p.zThreshold) {
      if (run.length) run = [];
      admit(x);
      continue;
    }
    const tick: Tick = { median, mad, scale, z, jump, index: i, close: x, side: Math.sign(x - median) };
    if (run.length && run[0]!.side !== tick.side) run = [];
    run.push(tick);
    ticks.push(tick);
    if (run.length >= p.levelShiftBars) {
      ticks.length -= run.length;
      size = 0;
      head = 0;
      for (const t of run) admit(t.close);
      run = [];
    }
  }
  return ticks;
}

function insert(s: Float64Array, n: number, x: number): void {
  let k = n;
  for (; k > 0 && s[k - 1]! > x; k--) s[k] = s[k - 1]!;
  s[k] = x;
}

// Swap `old` for `x` in a full sorted window by sliding only the values between them: a day's
// close rarely moves far in rank, so this is a few steps rather than a remove and an insert.
function replace(s: Float64Array, n: number, old: number, x: number): void {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (s[m]! < old) lo = m + 1;
    else hi = m;
  }
  let k = lo;
  if (x > old) for (; k + 1 < n && s[k + 1]! < x; k++) s[k] = s[k + 1]!;
  else for (; k > 0 && s[k - 1]! > x; k--) s[k] = s[k - 1]!;
  s[k] = x;
}

/** `false_tick`: robust z (median and MAD of the previous 20 accepted closes) ≥ 6 and jump ≥ 2 %; warning, error at 1.5 × z or 3 × jump. */
const meta = {
  rule: "a close whose robust z-score (median and MAD of the previous window accepted closes) reaches zThreshold and that jumps at least minJump; flagged ticks leave the baseline, a move that holds levelShiftBars is a level shift, not a tick",
  severity: "warning; error at errorZMultiple × zThreshold or errorJumpMultiple × minJump",
  options: {
    window: { default: 20, min: 1, integer: true, description: "accepted closes in the baseline" },
    zThreshold: { default: 6, min: 0, description: "robust z-score that flags a tick" },
    minJump: { default: 0.02, min: 0, description: "relative move a tick needs as well (0.02 = 2 %)" },
    madFloor: { default: 1e-6, min: 0, description: "smallest MAD used (a constant baseline would give z = ∞)" },
    levelShiftBars: { default: 5, min: 2, integer: true, description: "bars a new level must hold to count as a level shift" },
    errorZMultiple: { default: 1.5, min: 1, description: "z at this × zThreshold makes the finding an error" },
    errorJumpMultiple: { default: 3, min: 1, description: "a jump of this × minJump makes the finding an error" },
  },
  example: "1 false ticks (robust z ≥ 6 and jump ≥ 2 % off the median of the previous 20 closes; largest jump 15.0 %)",
} as const satisfies CheckMeta;

export const falseTick: Check = {
  code: "false_tick",
  meta,
  run(input, opts) {
    const params: FalseTickParams = {
      window: Math.max(1, Math.floor(opts.number("window", meta.options.window.default))),
      zThreshold: opts.number("zThreshold", meta.options.zThreshold.default),
      minJump: opts.number("minJump", meta.options.minJump.default),
      // A zero floor would let a constant baseline give z = Infinity.
      madFloor: Math.max(opts.number("madFloor", meta.options.madFloor.default), 1e-12),
      levelShiftBars: Math.max(2, Math.floor(opts.number("levelShiftBars", meta.options.levelShiftBars.default))),
    };
    const errorZ = params.zThreshold * opts.number("errorZMultiple", meta.options.errorZMultiple.default);
    const errorJump = params.minJump * opts.number("errorJumpMultiple", meta.options.errorJumpMultiple.default);
    const b = input.bars;
    const ticks = findFalseTicks(b.close, params);
    if (!ticks.length) return [];
    let severity: Severity = opts.severity("warning");
    let errors = 0;
    const evidence: Record<string, unknown>[] = [];
    for (const t of ticks) {
      const sev: Severity = t.z >= errorZ || t.jump >= errorJump ? "error" : severity;
      if (sev === "error") errors++;
      if (evidence.length < MAX_EVIDENCE) {
        evidence.push({ timestamp: iso(b.timestamp[t.index]!), close: t.close, median: t.median, mad: t.mad, z: round(t.z), jump: round(t.jump), severity: sev });
      }
    }
    if (errors) severity = "error";
    const maxJump = ticks.reduce((m, t) => Math.max(m, t.jump), 0);
    return [
      finding(
        input,
        "false_tick",
        severity,
        `${ticks.length} false ticks (robust z ≥ ${params.zThreshold} and jump ≥ ${round(params.minJump * 100)} % off the median of the previous ${params.window} closes; largest jump ${(maxJump * 100).toFixed(1)} %)`,
        { ticks: ticks.length, errors, maxJump: round(maxJump), window: params.window },
        { ticks: evidence },
      ),
    ];
  },
};

// Evidence is for people: 6 significant digits are plenty and keep the JSON readable.
function round(x: number): number {
  return Number(x.toPrecision(6));
}
