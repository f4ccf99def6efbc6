// What the metric history holds: one value of one metric of one series (or vendor) in one run. Every store keeps
// them (the lakehouse as Parquet under metrics/, PostgreSQL in a table); see Store.appendMetrics.

/** One metric of one series (or of a vendor, with symbol "") in one run. */
export interface MetricRow {
  runId: string;
  command: string;
  /** When the run measured it (the run's `now`), epoch ms. */
  at: number;
  vendor: string;
  symbol: string;
  interval: string;
  metric: string;
  value: number;
}

/**
 * What to read: rows at or after `sinceMs` and before `beforeMs` (a store skips what is outside without reading it:
 * the lakehouse its day partitions, PostgreSQL by index), of these commands, symbols and metrics (absent: all).
 */
export interface MetricFilter {
  sinceMs?: number;
  beforeMs?: number;
  symbols?: readonly string[];
  metrics?: readonly string[];
  commands?: readonly string[];
}

/** True when `r` passes `filter`. */
export function metricMatches(r: MetricRow, filter: MetricFilter): boolean {
  if (filter.sinceMs !== undefined && r.at < filter.sinceMs) return false;
  if (filter.beforeMs !== undefined && r.at >= filter.beforeMs) return false;
  if (filter.symbols?.length && !filter.symbols.includes(r.symbol)) return false;
  if (filter.metrics?.length && !filter.metrics.includes(r.metric)) return false;
  if (filter.commands?.length && !filter.commands.includes(r.command)) return false;
  return true;
}
