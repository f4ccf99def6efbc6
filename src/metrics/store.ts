// The metrics store: per-series metrics of every audit, ingest and repair, appended to the lakehouse as Parquet,
// partitioned by day (metrics/day=YYYY-MM-DD/<run>-<command>.parquet). Append-only: a run adds one file, written
// with the lakehouse's atomic write (temp file, fsync, rename, fsync the folder), so a killed run leaves either its
// whole file or none (its temp file is dot-named and never read).
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import { InputError } from "../errors.ts";
import { syncDir, writeFileAtomic } from "../lakehouse/atomic.ts";
import { encodeArrowTable, initParquet, readArrowTable } from "../lakehouse/parquet.ts";
import { Lakehouse } from "../lakehouse/store.ts";
import type { Store } from "../store/types.ts";

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

const DIR = "metrics";

/**
 * The folder the metrics live in: the lakehouse's metrics/ for a lakehouse store; undefined for a store that keeps
 * no metrics yet (PostgreSQL gets a table of them when it lands as a Store).
 */
export function metricsRoot(store: Store): string | undefined {
  return store instanceof Lakehouse ? join(store.root, DIR) : undefined;
}
const DAY_DIR = /^day=(\d{4}-\d{2}-\d{2})$/;

/** Append one run's rows as a new file of its day's partition; returns the file written (undefined when no rows). */
export async function appendMetrics(root: string, rows: readonly MetricRow[]): Promise<string | undefined> {
  if (!rows.length) return undefined;
  await initParquet();
  const first = rows[0]!;
  const dir = join(root, `day=${new Date(first.at).toISOString().slice(0, 10)}`);
  const stem = `${first.runId}-${first.command}`.replace(/[^A-Za-z0-9._-]/g, "_");
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    syncDir(root); // the new partition's name is durable before a file lands in it
  }
  let path = join(dir, `${stem}.parquet`);
  for (let k = 2; existsSync(path); k++) path = join(dir, `${stem}.${k}.parquet`);
  const str = (f: (r: MetricRow) => string) => arrow.vectorFromArray(rows.map(f), new arrow.Utf8());
  const table = new arrow.Table({
    run_id: str((r) => r.runId),
    command: str((r) => r.command),
    at: arrow.vectorFromArray(
      rows.map((r) => r.at),
      new arrow.TimestampMillisecond("UTC"),
    ),
    vendor: str((r) => r.vendor),
    symbol: str((r) => r.symbol),
    interval: str((r) => r.interval),
    metric: str((r) => r.metric),
    value: arrow.makeVector(Float64Array.from(rows, (r) => r.value)),
  });
  writeFileAtomic(path, encodeArrowTable(table));
  return path;
}

/** What to read: rows at or after `sinceMs`, of these symbols and metrics (absent: all). */
export interface MetricFilter {
  sinceMs?: number;
  symbols?: readonly string[];
  metrics?: readonly string[];
}

/** Every stored row matching `filter`, oldest first. A file that does not decode is an InputError naming it. */
export async function readMetrics(root: string, filter: MetricFilter = {}): Promise<MetricRow[]> {
  if (!existsSync(root)) return [];
  const sinceDay = filter.sinceMs !== undefined ? new Date(filter.sinceMs).toISOString().slice(0, 10) : undefined;
  const out: MetricRow[] = [];
  for (const day of readdirSync(root).sort()) {
    const m = DAY_DIR.exec(day);
    if (!m || (sinceDay && m[1]! < sinceDay)) continue;
    for (const f of readdirSync(join(root, day)).sort()) {
      if (f.startsWith(".") || !f.endsWith(".parquet")) continue; // a writer's temp file: not (yet) part of the store
      const path = join(root, day, f);
      let table: arrow.Table;
      try {
        table = await readArrowTable(readFileSync(path), path);
      } catch (err) {
        throw new InputError(`${path}: metrics file unreadable (${(err as Error).message.split("\n")[0]})`, "move it out of the lakehouse's metrics/ folder", {
          cause: err,
        });
      }
      for (const row of table.toArray() as Record<string, unknown>[]) {
        const r: MetricRow = {
          runId: String(row.run_id),
          command: String(row.command),
          at: Number(row.at),
          vendor: String(row.vendor),
          symbol: String(row.symbol),
          interval: String(row.interval),
          metric: String(row.metric),
          value: Number(row.value),
        };
        if (filter.sinceMs !== undefined && r.at < filter.sinceMs) continue;
        if (filter.symbols?.length && !filter.symbols.includes(r.symbol)) continue;
        if (filter.metrics?.length && !filter.metrics.includes(r.metric)) continue;
        out.push(r);
      }
    }
  }
  return out.sort((a, b) => a.at - b.at);
}
