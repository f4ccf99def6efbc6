// Anomalies on the metric history: a metric of a series leaves its own recent range when it lies more than
// `threshold` robust σ (1.4826 × the median absolute deviation) from the median of its last `window` samples, and
// by more than `minChange` × max(|median|, 1). The unit is the session: runs are reduced to one sample per closed
// session of the series' calendar (the last run of a session stands), and new bars are counted per session, so a
// weekend or a holiday is never a drop. No alarm before `minHistory` sessions of history; a lasting shift alarms
// once (judgeAnomaly).
import type { CheckMeta, CheckOptions } from "../checks/types.ts";

export const METRIC_ANOMALY_META = {
  rule: "a metric of a series (new bars per session, coverage, lagSessions, findings, revisionRate = bars replaced on re-fetch ÷ rows) or of a vendor (latencyP95Ms, per run) lies more than `threshold` robust σ (1.4826 × MAD) from the median of its last `window` sessions of the same command's history, and by more than minChange × max(|median|, 1); one sample per closed session, so weekends and holidays never look like drops; silent before `minHistory` sessions; a lasting shift alarms once, at the shift, and becomes the new normal",
  severity: "warning",
  options: {
    window: { default: 20, min: 3, max: 1000, integer: true, description: "how many past sessions the median and MAD are taken over" },
    minHistory: { default: 5, min: 2, max: 1000, integer: true, description: "no alarm before this many past sessions are in the history" },
    threshold: { default: 4, min: 0.5, description: "how many robust σ from the median is an anomaly" },
    minChange: { default: 0.1, min: 0, description: "the least change that counts, × max(|median|, 1) (a constant history has σ 0)" },
  },
  example: "coverage 0.62 left its recent range: median 1 over the last 20 sessions, robust σ 0, change -0.38",
} as const satisfies CheckMeta;

/** The feed breaks per vendor × interval (judged in src/pipeline/audit-history.ts). */
export const FEED_STALLED_META = {
  rule: "no series of a vendor × interval got a new bar since the last audit although their calendars had sessions since (at least minSeries such series): the feed stopped, reported once",
  severity: "warning",
  options: { minSeries: { default: 2, min: 1, integer: true, description: "how many series of the vendor × interval must have been due" } },
  example: "vendor binance 1d: none of 12 series got a new bar since the last audit (2026-11-20T06:00:00.000Z) although sessions closed",
} as const satisfies CheckMeta;

export const FEED_STALE_META = {
  rule: "at least `share` of a vendor × interval's series (and minSeries of them) are stale together: one finding naming them replaces their `stale` findings (their statuses stay stale)",
  severity: "error when any stale finding it replaces is an error, else warning",
  options: {
    minSeries: { default: 3, min: 1, integer: true, description: "how many stale series of the vendor × interval it takes" },
    share: { default: 0.5, min: 0, max: 1, description: "the share of the vendor × interval's series that must be stale" },
  },
  example: "vendor yahoo 1d: 480 of 500 series stale together (a vendor outage), e.g. NASDAQ:AAPL, NYSE:IBM",
} as const satisfies CheckMeta;

export interface AnomalyOptions {
  window: number;
  minHistory: number;
  threshold: number;
  minChange: number;
}

/** The anomaly options as configured under `checks.metric_anomaly`. */
export function anomalyOptions(opts: CheckOptions): AnomalyOptions {
  const o = METRIC_ANOMALY_META.options;
  return {
    window: opts.number("window", o.window.default),
    minHistory: opts.number("minHistory", o.minHistory.default),
    threshold: opts.number("threshold", o.threshold.default),
    minChange: opts.number("minChange", o.minChange.default),
  };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** How `value` stands against `history` (oldest first; the last `window` count), or undefined when it is in range. */
export interface Deviation {
  median: number;
  sigma: number;
  /** Robust σ from the median (Infinity when σ is 0). */
  z: number;
  sessions: number;
}

export function deviation(history: readonly number[], value: number, o: AnomalyOptions): Deviation | undefined {
  if (history.length < o.minHistory) return undefined;
  const recent = history.slice(-o.window);
  const med = median(recent);
  const sigma = 1.4826 * median(recent.map((x) => Math.abs(x - med)));
  const change = Math.abs(value - med);
  if (!outside(change, med, sigma, o)) return undefined;
  return { median: med, sigma, z: sigma > 0 ? change / sigma : Number.POSITIVE_INFINITY, sessions: recent.length };
}

/**
 * Judge the newest `value` against its `history` (oldest first) as the rules do (see scanHistory): its deviation when
 * it is an anomaly, else undefined.
 */
export function judgeAnomaly(history: readonly number[], value: number, o: AnomalyOptions): Deviation | undefined {
  const alarms = scanHistory([...history, value], o);
  const last = alarms[alarms.length - 1];
  return last?.index === history.length ? last.deviation : undefined;
}

/**
 * The anomalies of a metric's samples (oldest first), each judged against the samples before it. A sample that
 * leaves the range opens an episode against the range it left: the samples after it that stay off that range, the
 * same way, are the same event, not new alarms. An episode that ends within `minHistory` samples was a spike; one
 * that lasts `minHistory` samples is a level shift: the history restarts at the shift, so the new level is normal
 * from then on (and a spike off it alarms again). So a lasting shift alarms once, at the shift.
 */
export function scanHistory(values: readonly number[], o: AnomalyOptions): { index: number; deviation: Deviation }[] {
  const out: { index: number; deviation: Deviation }[] = [];
  let start = 0;
  let episode: { at: number; median: number; sigma: number; dir: number } | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (episode) {
      const off = v - episode.median;
      const still = Math.sign(off) === episode.dir && outside(Math.abs(off), episode.median, episode.sigma, o);
      if (still && i - episode.at + 1 >= o.minHistory) {
        start = episode.at; // a level shift: the new level is the history from here on
        episode = undefined;
        continue;
      }
      if (still) continue;
      episode = undefined;
    }
    const d = deviation(values.slice(start, i), v, o);
    if (!d) continue;
    out.push({ index: i, deviation: d });
    episode = { at: i, median: d.median, sigma: d.sigma, dir: Math.sign(v - d.median) };
  }
  return out;
}

/** A change from the median beyond both thresholds. */
const outside = (change: number, median: number, sigma: number, o: AnomalyOptions) =>
  change > o.minChange * Math.max(Math.abs(median), 1) && (sigma > 0 ? change / sigma : Number.POSITIVE_INFINITY) > o.threshold;

/** One sample per session: `session(at)` numbers the closed sessions; the last run within a session stands. */
export interface Sample {
  session: number;
  value: number;
}

export function perSession<T extends Sample>(points: readonly T[]): T[] {
  const out: T[] = [];
  for (const p of [...points].sort((a, b) => a.session - b.session)) {
    if (out.length && out[out.length - 1]!.session === p.session) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** New bars per session between consecutive session samples of the row count. */
export function newBarsPerSession<T extends Sample>(rows: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    out.push({ ...b, value: (b.value - a.value) / (b.session - a.session) });
  }
  return out;
}

/** Indices of `values` that are anomalies (see scanHistory). */
export function scanAnomalies(values: readonly number[], o: AnomalyOptions): number[] {
  return scanHistory(values, o).map((a) => a.index);
}
