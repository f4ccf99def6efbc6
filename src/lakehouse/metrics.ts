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
  const str = (f: (r: MetricRow) => string) => utf8Vector(rows.map(f));
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
  const column = (name: string): ArrayLike<unknown> => {
    const v = table.getChild(name);
    return v ? (arrow.DataType.isUtf8(v.type) ? utf8Strings(v as arrow.Vector<arrow.Utf8>) : v.toArray()) : [];
  };
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

const utf8 = new TextDecoder();
const toUtf8 = new TextEncoder();

/** A non-null string column built in one pass, each distinct string encoded once (Arrow's builder costs ~10× more). */
function utf8Vector(values: readonly string[]): arrow.Vector<arrow.Utf8> {
  const encoded = new Map<string, Uint8Array>();
  const parts = values.map((v) => {
    let b = encoded.get(v);
    if (!b) encoded.set(v, (b = toUtf8.encode(v)));
    return b;
  });
  const valueOffsets = new Int32Array(values.length + 1);
  for (let i = 0; i < parts.length; i++) valueOffsets[i + 1] = valueOffsets[i]! + parts[i]!.length;
  const data = new Uint8Array(valueOffsets[values.length]!);
  for (let i = 0; i < parts.length; i++) data.set(parts[i]!, valueOffsets[i]!);
  return arrow.makeVector(arrow.makeData({ type: new arrow.Utf8(), length: values.length, nullCount: 0, valueOffsets, data }));
}

/**
 * A string column's values (null as "null", as String(null) reads), each distinct byte string decoded once: a
 * metrics file repeats a handful of run ids, commands, vendors, intervals and metric names and a few hundred symbols
 * over thousands of rows, and decoding every row was most of reading the history.
 */
function utf8Strings(v: arrow.Vector<arrow.Utf8>): string[] {
  const out: string[] = new Array(v.length);
  let k = 0;
  for (const d of v.data) {
    const offsets = d.valueOffsets;
    const values = d.values;
    // By FNV-1a hash of the bytes: where the first string with that hash starts and ends, and its text.
    const seen = new Map<number, { from: number; to: number; text: string }>();
    for (let i = 0; i < d.length; i++, k++) {
      if (d.nullCount > 0 && !d.getValid(i)) {
        out[k] = "null";
        continue;
      }
      const from = offsets[d.offset + i]!;
      const to = offsets[d.offset + i + 1]!;
      let h = 0x811c9dc5 ^ (to - from);
      for (let j = from; j < to; j++) h = Math.imul(h ^ values[j]!, 0x01000193);
      const hit = seen.get(h);
      if (hit && sameBytes(values, hit.from, hit.to, from, to)) out[k] = hit.text;
      else {
        const text = utf8.decode(values.subarray(from, to));
        if (!hit) seen.set(h, { from, to, text });
        out[k] = text;
      }
    }
  }
  return out;
}

function sameBytes(b: Uint8Array, aFrom: number, aTo: number, from: number, to: number): boolean {
  if (aTo - aFrom !== to - from) return false;
  for (let i = 0; i < to - from; i++) if (b[aFrom + i] !== b[from + i]) return false;
  return true;
}
