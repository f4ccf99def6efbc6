import { iso } from "../model/finding.ts";
import { madOfSorted, medianOfSorted, robustScale, SortedWindow, zOf } from "./robust.ts";
import { adjustedPrior, type Resume } from "./scans.ts";
import { type Check, type CheckInput, type CheckMeta, type CheckOptions, finding, MAX_EVIDENCE } from "./types.ts";

/** Options under `checks.volume_spike.*` and their defaults. */
export const VOLUME_SPIKE_DEFAULTS = {
  /** Previous bars the baseline is taken from. */
  window: 20,
  /** Robust z of the bar's log volume against the median and MAD of the window's log volumes. */
  sigmas: 6,
  /** Materiality: the volume must also reach this multiple of the window's median volume. */
  minMultiple: 10,
  /** Share of the window's bars that must carry volume (> 0) before any bar is judged against it. */
  minActive: 0.5,
  /** Floor of the scale in log units (0.1 ≈ 10 %), for windows of identical volumes. */
  scaleFloor: 0.1,
} as const;

type Params = { -readonly [K in keyof typeof VOLUME_SPIKE_DEFAULTS]: number };

/** One spike: bar index, its volume, the window's median volume and the robust z on the log scale. */
export interface Spike {
  index: number;
  volume: number;
  median: number;
  multiple: number;
  z: number;
}

/** Parameters of the rule from the options. */
export function volumeSpikeParams(opts: CheckOptions): Params {
  const D = VOLUME_SPIKE_DEFAULTS;
  return {
    window: Math.max(1, Math.floor(opts.number("window", D.window))),
    sigmas: opts.number("sigmas", D.sigmas),
    minMultiple: opts.number("minMultiple", D.minMultiple),
    minActive: opts.number("minActive", D.minActive),
    scaleFloor: Math.max(opts.number("scaleFloor", D.scaleFloor), 1e-12),
  };
}

/**
 * Volumes as judged: NaN for bars without volume (0, negative or not finite: nothing to compare on a log scale),
 * and volumes before each split mark multiplied by its factor, so the series reads as split-adjusted.
 */
export function adjustedVolumes(volume: ArrayLike<number>, splits: CheckInput["splits"] = [], from = 0): Float64Array {
  const v = new Float64Array(volume.length);
  for (let i = from; i < volume.length; i++) v[i] = volume[i]! > 0 && volume[i] !== Infinity ? volume[i]! : Number.NaN;
  for (const s of splits) for (let i = from; i < s.index && i < v.length; i++) v[i] = v[i]! * s.factor;
  return v;
}

/** The window's median volume: the middle one, or the geometric mean of the middle two (the median of the logs, exactly). */
function medianVolume(s: Float64Array, n: number): number {
  const h = n >> 1;
  return n % 2 ? s[h]! : Math.sqrt(s[h - 1]! * s[h]!);
}

/**
 * Volume spikes. The seed's rule is volume > mean + 10 sd of the previous 20 bars; volumes are heavy-tailed
 * (roughly lognormal), so on the raw scale one busy day in the window sets the sd and a quiet window makes any
 * ordinary busy day a spike. Here the same idea runs on log volume with median and MAD: a spike is ≥ `sigmas`
 * robust σ above the window's median log volume AND at least `minMultiple` × its median volume, so an earnings
 * day (3–8 ×) never is one. Bars without volume are left out of the window, and a window where fewer than
 * `minActive` of the bars carry volume judges nothing: a series that does not report volume (FX) has no
 * baseline, and its first bar with volume is not a spike against nothing.
 */
export function findVolumeSpikes(volume: ArrayLike<number>, p: Params, splits: CheckInput["splits"] = [], prior?: Resume<Spike>): Spike[] {
  // A bar's decision reads the window bars before it and no bar after: the prior's bars keep the prior's decisions,
  // and the scan resumes at its end with the window refilled from the bars before.
  const from = prior?.rows ?? 0;
  const lo = Math.max(0, from - p.window);
  const v = adjustedVolumes(volume, splits, lo);
  const w = new SortedWindow(p.window); // raw volumes: sorted raw is sorted log, and the multiple compares exactly
  const logs = new Float64Array(p.window);
  const needed = Math.max(1, Math.ceil(p.minActive * p.window));
  const spikes: Spike[] = prior ? prior.events.filter((s) => s.index < from) : [];
  for (let i = lo; i < v.length; i++) {
    const x = v[i]!;
    if (i >= from && w.filled === p.window && w.size >= needed && x === x) {
      const med = medianVolume(w.sorted, w.size);
      // Most bars stop at the multiple, which needs only the median; the log scale is built for the few left.
      if (x >= p.minMultiple * med) {
        for (let k = 0; k < w.size; k++) logs[k] = Math.log(w.sorted[k]!);
        const medLog = medianOfSorted(logs, w.size);
        const scale = robustScale(logs, medLog, madOfSorted(logs, medLog, w.size), p.scaleFloor, w.size);
        const z = zOf(Math.log(x) - medLog, scale);
        if (z >= p.sigmas) spikes.push({ index: i, volume: volume[i]!, median: med, multiple: x / med, z });
      }
    }
    w.push(x);
  }
  return spikes;
}

const meta = {
  rule: "a bar's log volume at least sigmas robust σ above the previous window bars (median/MAD of log volume) and at least minMultiple × their median volume; bars without volume leave the window, and a window where fewer than minActive of the bars carry volume judges nothing",
  severity: "error and toxic on the latest bar; warning on earlier bars",
  options: {
    window: { default: VOLUME_SPIKE_DEFAULTS.window, min: 1, integer: true, description: "bars in the baseline before each bar" },
    sigmas: { default: VOLUME_SPIKE_DEFAULTS.sigmas, min: 0, description: "robust z of log volume that counts as a spike" },
    minMultiple: { default: VOLUME_SPIKE_DEFAULTS.minMultiple, min: 1, description: "the volume must also reach this × the window's median" },
    minActive: { default: VOLUME_SPIKE_DEFAULTS.minActive, min: 0, max: 1, description: "share of the window's bars that must carry volume" },
    scaleFloor: { default: VOLUME_SPIKE_DEFAULTS.scaleFloor, min: 0, description: "floor of the scale in log units (identical volumes)" },
  },
  example: "latest bar volume 1250000 is 48.2 × the median of the previous 20 bars (robust z 9.1)",
} as const satisfies CheckMeta;

/** `volume_spike`: log volume ≥ 6 robust σ above the previous 20 bars' and ≥ 10 × their median; error and toxic on the latest bar, warning earlier. */
export const volumeSpike: Check = {
  code: "volume_spike",
  meta,
  run(input, opts) {
    const p = volumeSpikeParams(opts);
    const b = input.bars;
    const spikes = findVolumeSpikes(b.volume, p, input.splits, adjustedPrior(input.scans, "spikes"));
    if (input.scans) input.scans.spikes = spikes;
    if (!spikes.length) return [];
    const ev = (s: Spike) => ({ timestamp: iso(b.timestamp[s.index]!), volume: s.volume, median: round(s.median), multiple: round(s.multiple), z: round(s.z) });
    const last = spikes[spikes.length - 1]!;
    // Only the latest bar vetoes the asset: an old spike is history, a spike now is what a model would trade on.
    const latest = last.index === b.volume.length - 1 ? ev(last) : undefined;
    const details: Record<string, unknown> = { spikes: spikes.slice(-MAX_EVIDENCE).map(ev) };
    if (latest) details.latest = latest;
    const what = latest
      ? `latest bar volume ${latest.volume} is ${latest.multiple} × the median`
      : `${spikes.length} volume spike${spikes.length === 1 ? "" : "s"}`;
    const f = finding(
      input,
      "volume_spike",
      latest ? "error" : opts.severity("warning"),
      `${what} (≥ ${p.sigmas} robust σ of log volume and ≥ ${p.minMultiple} × the median of the previous ${p.window} bars)`,
      { spikes: spikes.length, window: p.window, sigmas: p.sigmas, minMultiple: p.minMultiple },
      details,
    );
    if (latest) f.toxic = true;
    return [f];
  },
};

function round(x: number): number {
  return Number(x.toPrecision(6));
}
