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

/** What to read: rows at or after `sinceMs` and before `beforeMs`, of this command, these symbols and metrics (absent: all). */
export interface MetricFilter {
  sinceMs?: number;
  beforeMs?: number;
  command?: string;
  symbols?: readonly string[];
  metrics?: readonly string[];
}

/** True when `r` passes `filter`. */
export function metricMatches(r: MetricRow, filter: MetricFilter): boolean {
  if (filter.sinceMs !== undefined && r.at < filter.sinceMs) return false;
  if (filter.beforeMs !== undefined && r.at >= filter.beforeMs) return false;
  if (filter.command !== undefined && r.command !== filter.command) return false;
  if (filter.symbols?.length && !filter.symbols.includes(r.symbol)) return false;
  if (filter.metrics?.length && !filter.metrics.includes(r.metric)) return false;
  return true;
}
