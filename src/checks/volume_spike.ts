import { iso } from "../model/finding.ts";
import { type Check, type CheckMeta, finding, MAX_EVIDENCE } from "./types.ts";

/** Mean and population standard deviation of a window. */
export interface MeanSd {
  mean: number;
  sd: number;
}

/**
 * Mean and population sd (divide by n, the window is the whole population being compared
 * against), computed two-pass around a shift of the first value. The shift makes a constant
 * window give mean = that value and sd = 0 exactly; a naive sum of e.g. twenty 0.1s does
 * not, and a spurious tiny sd would turn the "sd 0 → 2 × mean" rule into "any uptick fires".
 */
export function meanSd(w: ArrayLike<number>): MeanSd {
  const n = w.length;
  if (n === 0) return { mean: NaN, sd: NaN };
  const k = w[0]!;
  let d = 0;
  for (let i = 0; i < n; i++) d += w[i]! - k;
  const mean = k + d / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const e = w[i]! - mean;
    ss += e * e;
  }
  return { mean, sd: Math.sqrt(ss / n) };
}

/** The volume a bar must exceed to spike against `window`: mean + sigmas·sd, or zeroSdMultiple·mean when sd is 0. */
export function volumeThreshold(window: ArrayLike<number>, sigmas = 10, zeroSdMultiple = 2): number {
  return thresholdOf(meanSd(window), sigmas, zeroSdMultiple);
}

function thresholdOf(s: MeanSd, sigmas: number, zeroSdMultiple: number): number {
  return s.sd === 0 ? zeroSdMultiple * s.mean : s.mean + sigmas * s.sd;
}

/**
 * A cheap exact "cannot fire" test: by Samuelson's inequality max(w) − mean ≤ sd·√(n−1), so with
 * sigmas ≥ √(n−1) (10 ≥ √19) and zeroSdMultiple ≥ 1 the threshold is never below the window's
 * maximum for non-negative volumes; a bar at or below that maximum needs no mean/sd at all.
 * It only skips work (the full rule still decides), so it is used only where it is sound.
 */
function screenIsSound(window: number, sigmas: number, zeroSdMultiple: number): boolean {
  return sigmas >= Math.sqrt(window - 1) + 1 && zeroSdMultiple >= 1;
}

/** `volume_spike`: volume above mean + 10 sd of the previous 20 bars (sd 0: above 2 × mean); error and toxic on the latest bar, warning earlier. */
const meta = {
  rule: "volume above the mean + sigmas × sd of the previous window bars (sd 0: above zeroSdMultiple × the mean)",
  severity: "error and toxic on the latest bar; warning on earlier bars",
  options: {
    window: { default: 20, min: 1, integer: true, description: "bars in the baseline before each bar" },
    sigmas: { default: 10, min: 0, description: "standard deviations above the mean that count as a spike" },
    zeroSdMultiple: { default: 2, min: 0, description: "with a constant baseline, a volume above this × the mean is a spike" },
  },
  example: "latest bar volume 1250000 above 25000.0 (mean + 10 sd of the previous 20 bars; 2 × mean when sd is 0)",
} as const satisfies CheckMeta;

export const volumeSpike: Check = {
  code: "volume_spike",
  meta,
  run(input, opts) {
    const window = Math.max(1, Math.floor(opts.number("window", meta.options.window.default)));
    const sigmas = opts.number("sigmas", meta.options.sigmas.default);
    const zeroSdMultiple = opts.number("zeroSdMultiple", meta.options.zeroSdMultiple.default);
    const b = input.bars;
    const v = b.volume;
    const n = v.length;
    if (n <= window) return [];
    const screen = screenIsSound(window, sigmas, zeroSdMultiple);
    const spikes: Record<string, unknown>[] = [];
    let count = 0;
    let latest: Record<string, unknown> | undefined;
    let maxIdx = -1; // index of the window maximum, kept while it stays in the window
    for (let i = window; i < n; i++) {
      const x = v[i]!;
      if (screen) {
        const lo = i - window;
        if (maxIdx < lo) {
          maxIdx = lo;
          for (let j = lo + 1; j < i; j++) if (v[j]! > v[maxIdx]!) maxIdx = j;
        } else if (v[i - 1]! > v[maxIdx]!) maxIdx = i - 1;
        // A negative or NaN maximum voids the inequality's premise: fall through to the full rule.
        const top = v[maxIdx]!;
        if (top >= 0 && x <= top) continue;
      }
      const s = meanSd(v.subarray(i - window, i));
      const threshold = thresholdOf(s, sigmas, zeroSdMultiple);
      if (!(x > threshold) || !Number.isFinite(threshold)) continue;
      count++;
      const ev = { timestamp: iso(b.timestamp[i]!), volume: x, mean: s.mean, sd: s.sd, threshold };
      if (i === n - 1) latest = ev;
      if (spikes.length < MAX_EVIDENCE) spikes.push(ev);
    }
    if (!count) return [];
    // Only the latest bar vetoes the asset: an old spike is history, a spike now is what a model would trade on.
    const severity = latest ? "error" : opts.severity("warning");
    const what = latest ? `latest bar volume ${latest.volume} above ${fmt(latest.threshold as number)}` : `${count} volume spikes`;
    const details: Record<string, unknown> = { spikes };
    if (latest) details.latest = latest;
    const f = finding(
      input,
      "volume_spike",
      severity,
      `${what} (mean + ${sigmas} sd of the previous ${window} bars; ${zeroSdMultiple} × mean when sd is 0)`,
      { spikes: count, window, sigmas, zeroSdMultiple },
      details,
    );
    if (latest) f.toxic = true;
    return [f];
  },
};

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(6);
}
