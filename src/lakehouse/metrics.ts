// The lakehouse's metric history: per-series metrics of every audit, ingest and repair, appended as Parquet,
// partitioned by day (metrics/day=YYYY-MM-DD/<run>-<command>.parquet). Append-only: a run adds one file, written
// with the lakehouse's atomic write (temp file, fsync, rename, fsync the folder), so a killed run leaves either its
// whole file or none (its temp file is dot-named and never read).
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import { InputError } from "../errors.ts";
import { type MetricFilter, type MetricRow, metricMatches } from "../metrics/types.ts";
import { syncDir, writeFileAtomic } from "./atomic.ts";
import { encodeArrowTable, initParquet, readArrowTable } from "./parquet.ts";

const DAY_DIR = /^day=(\d{4}-\d{2}-\d{2})$/;

/** Append one run's rows as a new file of its day's partition; returns the file written (undefined when no rows). */
export async function appendMetricFile(root: string, rows: readonly MetricRow[]): Promise<string | undefined> {
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

/** Every stored row matching `filter`, oldest first. A file that does not decode is an InputError naming it. */
export async function readMetricFiles(root: string, filter: MetricFilter = {}): Promise<MetricRow[]> {
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
      rowsOf(table, filter, out);
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The rows of one file that pass `filter`, appended to `out`: column by column (a row proxy per row costs more than
 * the decode), and no strings decoded at all for a file none of whose rows is in the time range (the history grows
 * with every run; an audit reads only the runs before its own now).
 */
function rowsOf(table: arrow.Table, filter: MetricFilter, out: MetricRow[]): void {
  const at = table.getChild("at")?.toArray() as ArrayLike<number | bigint> | undefined;
  const n = table.numRows;
  const times = Float64Array.from({ length: n }, (_, i) => Number(at?.[i]));
  const inRange = (ms: number) => !((filter.sinceMs !== undefined && ms < filter.sinceMs) || (filter.beforeMs !== undefined && ms >= filter.beforeMs));
  if (!times.some(inRange)) return;
  const column = (name: string): ArrayLike<unknown> => table.getChild(name)?.toArray() ?? [];
  const [runId, command, vendor, symbol, interval, metric, value] = ["run_id", "command", "vendor", "symbol", "interval", "metric", "value"].map(column);
  for (let i = 0; i < n; i++) {
    if (!inRange(times[i]!)) continue;
    const r: MetricRow = {
      runId: String(runId![i]),
      command: String(command![i]),
      at: times[i]!,
      vendor: String(vendor![i]),
      symbol: String(symbol![i]),
      interval: String(interval![i]),
      metric: String(metric![i]),
      value: Number(value![i]),
    };
    if (metricMatches(r, filter)) out.push(r);
  }
}
