// The metric history as people read it (a table) and as spreadsheets do (CSV); --json prints the rows themselves.
import type { MetricRow } from "./types.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const COLUMNS = ["at", "run", "command", "vendor", "symbol", "interval", "metric", "value"] as const;
const cells = (r: MetricRow) => [iso(r.at), r.runId, r.command, r.vendor, r.symbol, r.interval, r.metric, String(r.value)];

/** Aligned columns, oldest first. */
export function metricsTable(rows: readonly MetricRow[]): string {
  if (!rows.length) return "no metrics stored yet: every audit, ingest and repair appends them\n";
  const all = [[...COLUMNS], ...rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return `${all
    .map((r) =>
      r
        .map((c, i) => (i === 7 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** RFC 4180 CSV with a header row. */
export function metricsCsv(rows: readonly MetricRow[]): string {
  return `${[COLUMNS.join(","), ...rows.map((r) => cells(r).map(csvCell).join(","))].join("\r\n")}\r\n`;
}
