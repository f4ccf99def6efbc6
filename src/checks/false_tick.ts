import type { Severity } from "../model/finding.ts";
import { iso } from "../model/finding.ts";
import { MAD_TO_SD, madLowerBound, type RobustStats, SortedWindow, zOf } from "./robust.ts";
import { adjustedPrior, type Resume } from "./scans.ts";
import { type Check, type CheckInput, type CheckMeta, type CheckOptions, finding, MAX_EVIDENCE } from "./types.ts";

/** Options under `checks.false_tick.*` and their defaults. */
export const FALSE_TICK_DEFAULTS = {
  /** Accepted log returns in the baseline (the previous N, flagged ones excluded). */
  window: 50,
  /** Robust z of the bar's log return against the baseline's median and MAD. */
  zThreshold: 6,
  /** Share of the move the next bar must undo: −r_next / r ≥ revertFraction (the other way, at least half of it). */
  revertFraction: 0.5,
  /** Materiality: the bar's |log return| must reach this (0.005 ≈ 0.5 %). */
  minJump: 0.005,
  /** Floor of the baseline's scale in log-return units, for baselines of identical returns (a stalled feed). */
  madFloor: 1e-4,
  /** A tick is an error when its z reaches errorZ … */
  errorZ: 18,
  /** … or when it is off the previous close by this factor or more (2: double or half). */
  errorRatio: 2,
} as const;

/** Thresholds of the false-tick rule. */
export type FalseTickParams = { -readonly [K in keyof typeof FALSE_TICK_DEFAULTS]: number };

/** One flagged bar: its index, the log return that reached it, the score and why it is a false tick. */
export interface Tick extends RobustStats {
  index: number;
  ret: number;
  z: number;
  /** `reverted`: the next bar undid the move; `envelope`: the close lies outside the bar's own high/low. */
  reason: "reverted" | "envelope";
  /** Share of the move the next bar undid (reverted ticks). */
  reverted?: number;
}

/** True when the move `next` undoes at least `fraction` of the move `x` (the other way; overshooting counts: it undid all of it). */
function undoes(x: number, next: number, fraction: number): boolean {
  return next === next && -next / x >= fraction;
}

/** The bar's extreme close cannot have traded inside it: the bar's own range excludes it (a stray close print). */
function outsideEnvelope(high: number, low: number, close: number): boolean {
  // Only a range that is itself sane can testify; a broken one is ohlc_inconsistent's or bad_value's.
  if (!(high >= low && low > 0 && high !== Infinity)) return false;
  return close > high || close < low;
}

/**
 * Log returns close to close, NaN where either close is not a usable price (bad_value's finding), with the
 * log of each split factor added back at its bar so a split is judged by the day's own return.
 */
export function logReturns(close: ArrayLike<number>, splits: CheckInput["splits"] = []): Float64Array {
  const r = new Float64Array(close.length).fill(Number.NaN);
  for (let i = 1; i < close.length; i++) {
    const p = close[i - 1]!;
    const c = close[i]!;
    if (p > 0 && c > 0 && p !== Infinity && c !== Infinity) r[i] = Math.log(c / p);
  }
  for (const s of splits) if (s.index < r.length) r[s.index] = r[s.index]! + Math.log(s.factor);
  return r;
}

/**
 * Flag false ticks: outlier candles whose log return is extreme against the median and MAD of the previous
 * `window` accepted returns (z ≥ zThreshold, |r| ≥ minJump) and that the next bar reverts, or whose close lies
 * outside their own high/low. A jump that holds is not a false tick: news, a split or a level shift, judged by
 * other checks; it joins the baseline as any real return does. A flagged bar leaves the baseline together with
 * the return that reverted it, so a burst of bad ticks cannot widen the scale and mask the next one.
 *
 * The latest bar cannot be judged for reversion: unless its own envelope convicts it, it raises no finding
 * until the next bar arrives (the next audit decides). Bars in `splits` are judged on their split-adjusted return.
 */
export function findFalseTicks(
  b: Pick<CheckInput["bars"], "high" | "low" | "close">,
  p: FalseTickParams,
  splits: CheckInput["splits"] = [],
  prior?: Resume<Tick>,
): Tick[] {
  const r = logReturns(b.close, splits);
  const n = r.length;
  const base = new SortedWindow(Math.max(1, Math.floor(p.window)));
  // A bar's decision reads the two returns after it: those of bars further from the prior's end are the prior's.
  const from = prior ? Math.max(1, prior.rows - 2) : 1;
  const ticks: Tick[] = prior ? prior.events.filter((t) => t.index < from) : [];
  const start = ticks.length && ticks[ticks.length - 1]!.index === from - 1 ? from + 1 : from; // the echo of a tick is skipped
  if (start > 1) warmBaseline(r, start, ticks, base);
  for (let i = start; i < n; i++) {
    const x = r[i]!;
    if (x !== x) continue;
    if (base.size < base.capacity || Math.abs(x) < p.minJump) {
      base.push(x);
      continue;
    }
    // Most bars stop here, before any MAD: a lower bound on the MAD already keeps z below the threshold.
    const med = base.median();
    const lb = madLowerBound(base.sorted, base.size, med);
    if (lb > 0 && Math.abs(x - med) / (MAD_TO_SD * lb) < p.zThreshold) {
      base.push(x);
      continue;
    }
    const s = base.stats(p.madFloor);
    const z = zOf(x - s.median, s.scale);
    if (z < p.zThreshold) {
      base.push(x);
      continue;
    }
    const next = i + 1 < n ? r[i + 1]! : Number.NaN;
    const reverted = undoes(x, next, p.revertFraction);
    // A big real move followed by a bad print the other way looks like two reverting bars: the bad one is the bar
    // that the bar after it undoes more closely (it returns the price nearer to where it was before the tick).
    if (reverted && i + 2 < n) {
      const after = r[i + 2]!;
      const later = Math.abs(next) >= p.minJump && zOf(next - s.median, s.scale) >= p.zThreshold && undoes(next, after, p.revertFraction);
      if (later && Math.abs(next + after) < Math.abs(x + next)) {
        base.push(x);
        continue;
      }
    }
    if (!reverted && !outsideEnvelope(b.high[i]!, b.low[i]!, b.close[i]!)) {
      base.push(x); // a jump that holds: a real move as far as this check can tell
      continue;
    }
    const t: Tick = { ...s, index: i, ret: x, z, reason: reverted ? "reverted" : "envelope" };
    if (reverted) t.reverted = -next / x;
    ticks.push(t);
    i++; // the return out of the bad bar is its echo: it neither joins the baseline nor is judged itself
  }
  return ticks;
}

/** The baseline as the scan leaves it before bar `start`: the last accepted returns (not a tick, not a tick's echo), in order. */
function warmBaseline(r: Float64Array, start: number, ticks: readonly Tick[], base: SortedWindow): void {
  const flagged = new Set(ticks.map((t) => t.index));
  const accepted: number[] = [];
  for (let i = start - 1; i >= 1 && accepted.length < base.capacity; i--) if (r[i] === r[i] && !flagged.has(i) && !flagged.has(i - 1)) accepted.push(r[i]!);
  for (let k = accepted.length - 1; k >= 0; k--) base.push(accepted[k]!);
}

/** Parameters of the rule from the options. */
export function falseTickParams(opts: CheckOptions): FalseTickParams {
  const D = FALSE_TICK_DEFAULTS;
  return {
    window: Math.max(1, Math.floor(opts.number("window", D.window))),
    zThreshold: opts.number("zThreshold", D.zThreshold),
    revertFraction: opts.number("revertFraction", D.revertFraction),
    minJump: opts.number("minJump", D.minJump),
    // A zero floor would let a baseline of identical returns give z = Infinity.
    madFloor: Math.max(opts.number("madFloor", D.madFloor), 1e-12),
    errorZ: opts.number("errorZ", D.errorZ),
    errorRatio: opts.number("errorRatio", D.errorRatio),
  };
}

/** Severity of one tick: error when z ≥ errorZ or the tick is errorRatio× (or 1/errorRatio×) off the previous close. */
export function tickSeverity(t: Pick<Tick, "z" | "ret">, p: FalseTickParams, base: Severity): Severity {
  return t.z >= p.errorZ || Math.abs(t.ret) >= Math.log(p.errorRatio) ? "error" : base;
}

const meta = {
  rule: "an outlier candle: a log return at least zThreshold robust σ (median/MAD of the previous window accepted returns) and minJump, that the next bar undoes by revertFraction — or a close outside its own bar's high/low; a jump that holds is news, a split or a level shift, never a false tick",
  severity: "warning; error when z reaches errorZ or the tick is errorRatio × (or ÷) the previous close",
  options: {
    window: { default: FALSE_TICK_DEFAULTS.window, min: 1, integer: true, description: "accepted log returns in the baseline (flagged ones excluded)" },
    zThreshold: { default: FALSE_TICK_DEFAULTS.zThreshold, min: 0, description: "robust z of the bar's log return that flags it" },
    revertFraction: { default: FALSE_TICK_DEFAULTS.revertFraction, min: 0, max: 1, description: "share of the move the next bar must undo" },
    minJump: { default: FALSE_TICK_DEFAULTS.minJump, min: 0, description: "smallest |log return| that can be a tick (0.005 ≈ 0.5 %)" },
    madFloor: { default: FALSE_TICK_DEFAULTS.madFloor, min: 0, description: "floor of the baseline's scale in log-return units (identical returns)" },
    errorZ: { default: FALSE_TICK_DEFAULTS.errorZ, min: 0, description: "a tick at this robust z is an error" },
    errorRatio: { default: FALSE_TICK_DEFAULTS.errorRatio, min: 1, description: "a tick this factor off the previous close is an error" },
  },
  example: "1 false tick (log return 12.4 robust σ off the previous 50 returns, undone by the next bar; largest 0.131)",
} as const satisfies CheckMeta;

/** `false_tick`: an outlier candle (robust z of its log return ≥ 6 against the previous 50) that the next bar reverts, or a stray close outside its bar; warning, error when extreme. */
export const falseTick: Check = {
  code: "false_tick",
  meta,
  run(input, opts) {
    const p = falseTickParams(opts);
    const b = input.bars;
    const ticks = findFalseTicks(b, p, input.splits, adjustedPrior(input.scans, "ticks"));
    if (input.scans) input.scans.ticks = ticks;
    if (!ticks.length) return [];
    const base = opts.severity("warning");
    let errors = 0;
    let maxJump = 0;
    const evidence: Record<string, unknown>[] = [];
    for (const t of ticks) {
      const sev = tickSeverity(t, p, base);
      if (sev === "error") errors++;
      maxJump = Math.max(maxJump, Math.abs(t.ret));
      if (evidence.length < MAX_EVIDENCE) {
        const ev: Record<string, unknown> = {
          timestamp: iso(b.timestamp[t.index]!),
          close: b.close[t.index]!,
          prevClose: b.close[t.index - 1]!,
          return: round(t.ret),
          z: round(t.z),
          median: round(t.median),
          scale: round(t.scale),
          reason: t.reason,
          severity: sev,
        };
        if (t.reason === "reverted") {
          ev.nextClose = b.close[t.index + 1]!;
          ev.reverted = round(t.reverted!);
        }
        evidence.push(ev);
      }
    }
    const pct = ((Math.exp(maxJump) - 1) * 100).toFixed(1);
    return [
      finding(
        input,
        "false_tick",
        errors ? "error" : base,
        `${ticks.length} false tick${ticks.length === 1 ? "" : "s"} (log return ≥ ${p.zThreshold} robust σ of the previous ${p.window}, undone by the next bar or outside the bar's own range; largest ${pct} %)`,
        { ticks: ticks.length, errors, maxJump: round(maxJump), window: p.window },
        { ticks: evidence },
      ),
    ];
  },
};

// Evidence is for people: 6 significant digits are plenty and keep the JSON readable.
function round(x: number): number {
  return Number(x.toPrecision(6));
}
