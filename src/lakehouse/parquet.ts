// The only module that touches parquet-wasm. The WASM is instantiated lazily, on the first read or write.
import * as arrow from "apache-arrow";
import { parquetWasmBytes } from "#runtime/wasm.ts";
import { InputError } from "../errors.ts";
import { ACTION_COLUMNS, allocActions, allocBars, BAR_COLUMNS, type Bars, barCount, hasActions } from "../model/bars.ts";
import { describeMs, firstOutsideWindow, TIME_WINDOW_TEXT } from "../model/time-window.ts";
import { barsFromFFI, type PlainColumn, plainColumnsFromFFI } from "./parquet-ffi.ts";

export type { PlainColumn };

type ParquetWasm = typeof import("parquet-wasm/esm");
let pq: ParquetWasm | undefined;
let loading: Promise<ParquetWasm> | undefined;
let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * The Parquet engine compiled (~0.1 s of CPU), on a background thread: WebAssembly.compile leaves this thread free,
 * so a command that starts it early has it by the time it first decodes. Idempotent; worker threads are sent the
 * result (a compiled module is structured-cloneable) instead of compiling their own.
 */
export function compileParquet(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(parquetWasmBytes() as BufferSource);
  return compiled;
}

function wasm(): Promise<ParquetWasm> {
  loading ??= (async () => {
    const mod = await import("parquet-wasm/esm");
    mod.initSync({ module: await compileParquet() });
    pq = mod;
    return mod;
  })();
  return loading;
}

/** Load the Parquet engine ahead of a hot loop (reads and writes then stay synchronous); `module`: one compiled elsewhere. */
export async function initParquet(module?: WebAssembly.Module): Promise<void> {
  if (module && !compiled) compiled = Promise.resolve(module);
  await wasm();
}

function engine(): ParquetWasm {
  if (!pq) throw new Error("initParquet() must be awaited before synchronous Parquet calls");
  return pq;
}

const ONE_BATCH = 1 << 30;

const FIELDS = [
  new arrow.Field("timestamp", new arrow.TimestampMillisecond("UTC"), false),
  ...BAR_COLUMNS.slice(1).map((c) => new arrow.Field(c, new arrow.Float64(), false)),
];
/**
 * The corporate-action columns (nullable DOUBLE, null where nothing is recorded), written after the OHLCV columns
 * only when the series carries any: a series without them keeps the six-column schema, byte for byte.
 */
export const ACTION_FIELDS: Readonly<Record<(typeof ACTION_COLUMNS)[number], string>> = { adjClose: "adj_close", dividend: "dividend", split: "split_factor" };
const WITH_ACTIONS = [...FIELDS, ...ACTION_COLUMNS.map((c) => new arrow.Field(ACTION_FIELDS[c], new arrow.Float64(), true))];

/** Encode bars as a snappy Parquet file with the lakehouse schema (plus the corporate-action columns when it has any). */
export function encodeBars(bars: Bars): Uint8Array {
  const p = engine();
  const n = barCount(bars);
  const ts = int64Millis(bars.timestamp);
  const children = [
    arrow.makeData({ type: FIELDS[0]!.type as arrow.TimestampMillisecond, length: n, nullCount: 0, data: ts }),
    ...BAR_COLUMNS.slice(1).map((c) => arrow.makeData({ type: new arrow.Float64(), length: n, nullCount: 0, data: bars[c] })),
  ];
  const actions = hasActions(bars.actions) ? bars.actions : undefined;
  if (actions) for (const c of ACTION_COLUMNS) children.push(nullableDoubles(actions[c]));
  const fields = actions ? WITH_ACTIONS : FIELDS;
  const schema = new arrow.Schema(fields);
  const struct = arrow.makeData({ type: new arrow.Struct(fields), length: n, nullCount: 0, children });
  const table = new arrow.Table(schema, [new arrow.RecordBatch(schema, struct)]);
  const wasmTable = p.Table.fromIPCStream(arrow.tableToIPC(table, "stream"));
  // No dictionary: prices rarely repeat, so it only falls back to plain after costing ~3× the encode time and 16 % size.
  const props = new p.WriterPropertiesBuilder().setCompression(p.Compression.SNAPPY).setDictionaryEnabled(false).setCreatedBy("dqctl").build();
  return p.writeParquet(wasmTable, props);
}

/**
 * Millisecond timestamps as the INT64 a TIMESTAMP column stores, written as two 32-bit halves (a BigInt per value
 * was a fifth of an encode); a value that is not a safe integer goes through BigInt, which refuses a fraction as before.
 */
export function int64Millis(ms: Float64Array): BigInt64Array {
  const out = new BigInt64Array(ms.length);
  const w = new Int32Array(out.buffer);
  for (let i = 0; i < ms.length; i++) {
    const v = ms[i]!;
    if (!Number.isSafeInteger(v)) {
      out[i] = BigInt(v);
      continue;
    }
    const hi = Math.floor(v / 4294967296);
    w[2 * i] = v - hi * 4294967296; // the low half, two's complement with hi (stored as its int32 bits)
    w[2 * i + 1] = hi;
  }
  return out;
}

/** One nullable DOUBLE column of the returns matrix: `valid[i]` is 0 where the cell is null. */
export interface MatrixColumnData {
  name: string;
  values: Float64Array;
  valid: Uint8Array;
}

/** Encode the returns matrix: timestamp TIMESTAMP(MILLIS, UTC) plus one nullable DOUBLE column per symbol, snappy. */
export function encodeMatrix(timestamps: Float64Array, columns: readonly MatrixColumnData[]): Uint8Array {
  const p = engine();
  const n = timestamps.length;
  const fields = [FIELDS[0]!, ...columns.map((c) => new arrow.Field(c.name, new arrow.Float64(), true))];
  const schema = new arrow.Schema(fields);
  const ts = int64Millis(timestamps);
  const children: arrow.Data[] = [arrow.makeData({ type: FIELDS[0]!.type as arrow.TimestampMillisecond, length: n, nullCount: 0, data: ts })];
  for (const c of columns) {
    const { bitmap, nulls } = packValidity(c.valid, n);
    children.push(arrow.makeData({ type: new arrow.Float64(), length: n, nullCount: nulls, data: c.values, ...(nulls ? { nullBitmap: bitmap } : {}) }));
  }
  const struct = arrow.makeData({ type: new arrow.Struct(fields), length: n, nullCount: 0, children });
  const table = new arrow.Table(schema, [new arrow.RecordBatch(schema, struct)]);
  const wasmTable = p.Table.fromIPCStream(arrow.tableToIPC(table, "stream"));
  const props = new p.WriterPropertiesBuilder().setCompression(p.Compression.SNAPPY).setCreatedBy("dqctl").build();
  return p.writeParquet(wasmTable, props);
}

/** A nullable DOUBLE column: NaN is written as null (what pandas, pyarrow and DuckDB read as missing). */
function nullableDoubles(values: Float64Array): arrow.Data<arrow.Float64> {
  const n = values.length;
  const valid = Uint8Array.from(values, (x) => (x === x ? 1 : 0));
  const { bitmap, nulls } = packValidity(valid, n);
  return arrow.makeData({ type: new arrow.Float64(), length: n, nullCount: nulls, data: values, ...(nulls ? { nullBitmap: bitmap } : {}) });
}

// Arrow validity bitmaps are LSB-first bits, one per row.
function packValidity(valid: Uint8Array, n: number): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array(Math.ceil(n / 8));
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (valid[i]) bitmap[i >> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return { bitmap, nulls };
}

/** The error for bytes that are not a Parquet file at all (no PAR1 magic at both ends), without decoding; undefined when they are. */
export function parquetShapeError(bytes: Uint8Array, label: string): InputError | undefined {
  if (bytes.length >= 12 && isParquetMagic(bytes)) return undefined;
  return new InputError(`${label}: not a Parquet file (no PAR1 magic, file is ${bytes.length} bytes)`, "delete it and re-ingest the symbol");
}

/** Decode a lakehouse Parquet file; `label` names it in errors. Rows are returned as stored (not re-sorted); a timestamp outside the window is an InputError. */
export function decodeBars(bytes: Uint8Array, label: string): Bars {
  const p = engine();
  const shape = parquetShapeError(bytes, label);
  if (shape) throw shape;
  let bars: Bars;
  try {
    // One record batch per file: the default 1,024-row batches triple the cost of the IPC hop (when it is taken).
    bars = decodeDirect(p, bytes) ?? tableToBars(arrow.tableFromIPC(p.readParquet(bytes, { batchSize: ONE_BATCH }).intoIPCStream()), label);
  } catch (err) {
    // A flipped byte can surface anywhere (WASM panic, Arrow IPC, a typed-array view): it is the file's fault, not ours.
    if (err instanceof InputError) throw err;
    throw new InputError(`${label}: parquet unreadable (${errText(err)}; file is ${bytes.length} bytes)`, "delete it and re-ingest the symbol", { cause: err });
  }
  const bad = firstOutsideWindow(bars.timestamp);
  if (bad >= 0) {
    throw new InputError(
      `${label}: row ${bad + 1}: timestamp ${describeMs(bars.timestamp[bad]!)} is outside ${TIME_WINDOW_TEXT} (corrupt file)`,
      "delete it and re-ingest the symbol",
    );
  }
  return bars;
}

/** The plain lakehouse layout read out of WASM memory (parquet-ffi.ts); undefined for anything else. */
function decodeDirect(p: ParquetWasm, bytes: Uint8Array): Bars | undefined {
  const ffi = p.readParquet(bytes, { batchSize: ONE_BATCH }).intoFFI();
  try {
    if (ffi.numArrays() !== 1) return undefined;
    return barsFromFFI(p.wasmMemory().buffer as ArrayBuffer, ffi.arrayAddr(0), ffi.schemaAddr(), ACTION_FIELDS);
  } finally {
    ffi.free();
  }
}

/** Convert an Arrow table with the lakehouse columns into bars, checking names and types. */
export function tableToBars(table: arrow.Table, label: string): Bars {
  const names = table.schema.fields.map((f) => f.name);
  const missing = BAR_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) {
    throw new InputError(
      `${label}: wrong columns (missing ${missing.join(", ")}; found ${names.join(", ") || "none"})`,
      "a lakehouse file needs timestamp, open, high, low, close, volume",
    );
  }
  const n = table.numRows;
  const out = allocBars(n);
  const tsField = table.schema.fields.find((f) => f.name === "timestamp")!;
  const tsScale = timestampScale(tsField.type, label);
  copyColumn(table.getChild("timestamp")!, out.timestamp, tsScale, label, "timestamp");
  for (const c of BAR_COLUMNS.slice(1)) {
    const field = table.schema.fields.find((f) => f.name === c)!;
    if (!arrow.DataType.isFloat(field.type) && !arrow.DataType.isInt(field.type)) {
      throw new InputError(`${label}: column ${c} has type ${field.type}, expected DOUBLE`, "rewrite the file with float64 OHLCV columns");
    }
    copyColumn(table.getChild(c)!, out[c], 1, label, c);
  }
  // Corporate-action columns are optional (files written before them, or series without any, lack them).
  const present = ACTION_COLUMNS.filter((c) => names.includes(ACTION_FIELDS[c]));
  if (present.length) {
    const a = allocActions(n);
    for (const c of present) {
      const name = ACTION_FIELDS[c];
      const field = table.schema.fields.find((f) => f.name === name)!;
      if (!arrow.DataType.isFloat(field.type) && !arrow.DataType.isInt(field.type))
        throw new InputError(`${label}: column ${name} has type ${field.type}, expected DOUBLE`, "rewrite the file with float64 corporate-action columns");
      copyColumn(table.getChild(name)!, a[c], 1, label, name);
    }
    out.actions = a;
  }
  return out;
}

function timestampScale(type: arrow.DataType, label: string): number {
  if (arrow.DataType.isTimestamp(type)) {
    return [1000, 1, 1e-3, 1e-6][type.unit]!; // SECOND, MILLISECOND, MICROSECOND, NANOSECOND → ms
  }
  if (arrow.DataType.isInt(type)) return 1;
  throw new InputError(`${label}: column timestamp has type ${type}, expected TIMESTAMP(MILLIS, UTC)`, "rewrite the file with an int64 millisecond timestamp");
}

function copyColumn(vec: arrow.Vector, dst: Float64Array, scale: number, label: string, name: string): void {
  let k = 0;
  for (const data of vec.data) {
    const vals = data.values as Float64Array | BigInt64Array | Int32Array;
    if (data.nullCount === 0 && vals instanceof Float64Array && scale === 1) {
      dst.set(vals.subarray(data.offset, data.offset + data.length), k); // the common case: a bulk copy
      k += data.length;
      continue;
    }
    if (data.nullCount === 0 && vals instanceof BigInt64Array) {
      // Int64 → number without a BigInt per value: exact for |v| < 2^53 (every millisecond timestamp).
      const w = new Int32Array(vals.buffer, vals.byteOffset + data.offset * 8, data.length * 2);
      for (let i = 0; i < data.length; i++) dst[k++] = (w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0)) * scale;
      continue;
    }
    for (let i = 0; i < data.length; i++) {
      if (data.nullCount > 0 && !data.getValid(i)) {
        if (name === "timestamp") throw new InputError(`${label}: null timestamp at row ${k + 1}`, "remove rows without a timestamp");
        dst[k++] = Number.NaN;
        continue;
      }
      const v = vals[i + data.offset]!;
      dst[k++] = (typeof v === "bigint" ? Number(v) : v) * scale;
    }
  }
}

function isParquetMagic(b: Uint8Array): boolean {
  const head = b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31;
  const n = b.length;
  const tail = b[n - 4] === 0x50 && b[n - 3] === 0x41 && b[n - 2] === 0x52 && b[n - 1] === 0x31;
  return head && tail;
}

function errText(err: unknown): string {
  const s = err instanceof Error ? err.message : String(err);
  return s.split("\n")[0]!.slice(0, 200);
}

/** Read any Parquet file into an Arrow table (for the file vendor's generic inputs). */
export async function readArrowTable(bytes: Uint8Array, label: string): Promise<arrow.Table> {
  const p = await wasm();
  if (bytes.length < 12 || !isParquetMagic(bytes)) {
    throw new InputError(`${label}: not a Parquet file (no PAR1 magic, file is ${bytes.length} bytes)`, "check the file or convert it to CSV");
  }
  try {
    return arrow.tableFromIPC(p.readParquet(bytes, { batchSize: ONE_BATCH }).intoIPCStream());
  } catch (err) {
    throw new InputError(`${label}: parquet unreadable (${errText(err)})`, "check the file or convert it to CSV", { cause: err });
  }
}

/**
 * Every column of a Parquet file whose columns are all numbers or times (see plainColumnsFromFFI), read without Arrow
 * JS; undefined for any other file (other column types, no rows, not Parquet, unreadable): readArrowTable reads
 * those and words their errors.
 */
export async function readPlainColumns(bytes: Uint8Array): Promise<PlainColumn[] | undefined> {
  const p = await wasm();
  if (bytes.length < 12 || !isParquetMagic(bytes)) return undefined;
  let ffi: ReturnType<ReturnType<ParquetWasm["readParquet"]>["intoFFI"]>;
  try {
    ffi = p.readParquet(bytes, { batchSize: ONE_BATCH }).intoFFI();
  } catch {
    return undefined;
  }
  try {
    const batches = Array.from({ length: ffi.numArrays() }, (_, i) => ({ array: ffi.arrayAddr(i), schema: ffi.schemaAddr() }));
    return plainColumnsFromFFI(p.wasmMemory().buffer as ArrayBuffer, batches);
  } finally {
    ffi.free();
  }
}

/** A multi-symbol bootstrap dataset: the bar columns plus `symbol`, `primary_source` and `sources` strings. */
export interface StitchedTable {
  timestamp: Float64Array;
  symbol: string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  primarySource: string[];
  sources: string[];
}

/**
 * Encode a bootstrap dataset (snappy): timestamp TIMESTAMP(MILLIS, UTC), symbol, the OHLCV DOUBLEs (NaN written as
 * null, so pandas and DuckDB see a missing value), primary_source and sources (UTF-8). Readable by the file vendor
 * as a single file with a symbol column.
 */
export function encodeStitched(t: StitchedTable): Uint8Array {
  const p = engine();
  const n = t.timestamp.length;
  const prices = ["open", "high", "low", "close", "volume"] as const;
  const fields = [
    FIELDS[0]!,
    new arrow.Field("symbol", new arrow.Utf8(), false),
    ...prices.map((c) => new arrow.Field(c, new arrow.Float64(), true)),
    new arrow.Field("primary_source", new arrow.Utf8(), false),
    new arrow.Field("sources", new arrow.Utf8(), false),
  ];
  const schema = new arrow.Schema(fields);
  const ts = int64Millis(t.timestamp);
  const str = (values: string[]) => arrow.vectorFromArray(values, new arrow.Utf8()).data[0]!;
  const num = (values: Float64Array) => {
    const valid = Uint8Array.from(values, (x) => (Number.isNaN(x) ? 0 : 1));
    const { bitmap, nulls } = packValidity(valid, n);
    return arrow.makeData({ type: new arrow.Float64(), length: n, nullCount: nulls, data: values, ...(nulls ? { nullBitmap: bitmap } : {}) });
  };
  const children: arrow.Data[] = [
    arrow.makeData({ type: FIELDS[0]!.type as arrow.TimestampMillisecond, length: n, nullCount: 0, data: ts }),
    str(t.symbol),
    ...prices.map((c) => num(t[c])),
    str(t.primarySource),
    str(t.sources),
  ];
  const struct = arrow.makeData({ type: new arrow.Struct(fields), length: n, nullCount: 0, children });
  const table = new arrow.Table(schema, [new arrow.RecordBatch(schema, struct)]);
  const wasmTable = p.Table.fromIPCStream(arrow.tableToIPC(table, "stream"));
  const props = new p.WriterPropertiesBuilder().setCompression(p.Compression.SNAPPY).setCreatedBy("dqctl").build();
  return p.writeParquet(wasmTable, props);
}

/** Encode any Arrow table as a snappy Parquet file (the metrics store's rows; dictionary-encoded strings). */
export function encodeArrowTable(table: arrow.Table): Uint8Array {
  const p = engine();
  const wasmTable = p.Table.fromIPCStream(arrow.tableToIPC(table, "stream"));
  const props = new p.WriterPropertiesBuilder().setCompression(p.Compression.SNAPPY).setCreatedBy("dqctl").build();
  return p.writeParquet(wasmTable, props);
}
