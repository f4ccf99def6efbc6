// Anomalies on the metric history: a metric of a series leaves its own recent range when it lies more than
// `threshold` robust σ (1.4826 × the median absolute deviation) from the median of its last `window` samples, and
// by more than `minChange` × max(|median|, 1). The unit is the session: runs are reduced to one sample per closed
// session of the series' calendar (the last run of a session stands), and new bars are counted per session, so a
// weekend or a holiday is never a drop. No alarm before `minHistory` sessions of history.
import type { CheckMeta, CheckOptions } from "../checks/types.ts";

export const METRIC_ANOMALY_META = {
  rule: "a metric of a series (new bars per session, coverage, lagSessions, findings) lies more than `threshold` robust σ (1.4826 × MAD) from the median of its last `window` sessions in the metric history, and by more than minChange × max(|median|, 1); one sample per closed session, so weekends and holidays never look like drops; silent before `minHistory` sessions",
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
  if (change <= o.minChange * Math.max(Math.abs(med), 1)) return undefined;
  const z = sigma > 0 ? change / sigma : Number.POSITIVE_INFINITY;
  return z > o.threshold ? { median: med, sigma, z, sessions: recent.length } : undefined;
}

/** One sample per session: `session(at)` numbers the closed sessions; the last run within a session stands. */
export interface Sample {
  session: number;
  value: number;
}

export function perSession(points: readonly { session: number; value: number }[]): Sample[] {
  const out: Sample[] = [];
  for (const p of [...points].sort((a, b) => a.session - b.session)) {
    if (out.length && out[out.length - 1]!.session === p.session) out[out.length - 1] = p;
    else out.push({ session: p.session, value: p.value });
  }
  return out;
}

/** New bars per session between consecutive session samples of the row count. */
export function newBarsPerSession(rows: readonly Sample[]): Sample[] {
  const out: Sample[] = [];
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    out.push({ session: b.session, value: (b.value - a.value) / (b.session - a.session) });
  }
  return out;
}

/** Indices of `values` that leave the range of the values before them (each judged as the audit judges its run). */
export function scanAnomalies(values: readonly number[], o: AnomalyOptions): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (deviation(values.slice(0, i), values[i]!, o)) out.push(i);
  return out;
}
