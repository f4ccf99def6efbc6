// Bars, and the plain columns of a file vendor's Parquet source, read straight out of the Parquet engine's WASM memory
// through the Arrow C Data Interface: no Arrow IPC stream is written and parsed again (that hop was more than half of
// a decode). The lakehouse layout takes barsFromFFI — one record batch, the bar columns as DOUBLE (timestamp as a
// TIMESTAMP or INT64), no nulls; a source whose columns are all numbers or times takes plainColumnsFromFFI. Anything
// else answers undefined and parquet.ts decodes through Arrow JS, which also words the errors.
import { ACTION_COLUMNS, allocActions, allocBars, BAR_COLUMNS, type Bars } from "../model/bars.ts";

// Offsets of the C structs' fields on wasm32 (pointers 4 bytes, int64 aligned to 8).
const SCHEMA = { format: 0, name: 4, nChildren: 24, children: 32, dictionary: 36 } as const;
const ARRAY = { length: 0, nullCount: 8, offset: 16, nBuffers: 24, nChildren: 32, buffers: 40, children: 44 } as const;
const UNIT_TO_MS: Record<string, number> = { s: 1000, m: 1, u: 1e-3, n: 1e-6 };
const utf8 = new TextDecoder();

interface Column {
  format: string;
  values: number;
  /** The validity bitmap's address (0: none), and how many rows it marks null. */
  validity: number;
  nulls: number;
  offset: number;
  length: number;
}

/** The columns of one exported struct batch (a column this path cannot read has format "?"), or undefined for another shape. */
function describeBatch(mem: ArrayBuffer, arrayAddr: number, schemaAddr: number): { length: number; columns: Map<string, Column> } | undefined {
  const dv = new DataView(mem);
  const bytes = new Uint8Array(mem);
  const ptr = (a: number) => dv.getUint32(a, true);
  const int = (a: number) => Number(dv.getBigInt64(a, true));
  const text = (p: number) => {
    let e = p;
    while (bytes[e] !== 0) e++;
    return utf8.decode(bytes.subarray(p, e));
  };
  if (text(ptr(schemaAddr + SCHEMA.format)) !== "+s") return undefined;
  const n = int(schemaAddr + SCHEMA.nChildren);
  const length = int(arrayAddr + ARRAY.length);
  if (n !== int(arrayAddr + ARRAY.nChildren) || int(arrayAddr + ARRAY.offset) !== 0) return undefined;
  const columns = new Map<string, Column>();
  for (let c = 0; c < n; c++) {
    const s = ptr(ptr(schemaAddr + SCHEMA.children) + 4 * c);
    const a = ptr(ptr(arrayAddr + ARRAY.children) + 4 * c);
    const name = text(ptr(s + SCHEMA.name));
    // A dictionary-encoded column's format is its index type: not a plain column, nor is a nested one.
    const plain = ptr(s + SCHEMA.dictionary) === 0 && int(s + SCHEMA.nChildren) === 0;
    if (!plain || int(a + ARRAY.length) !== length || int(a + ARRAY.nBuffers) !== 2) {
      columns.set(name, { format: "?", values: 0, validity: 0, nulls: 0, offset: 0, length: 0 });
      continue;
    }
    const buffers = ptr(a + ARRAY.buffers);
    columns.set(name, {
      format: text(ptr(s + SCHEMA.format)),
      values: ptr(buffers + 4),
      validity: ptr(buffers),
      nulls: int(a + ARRAY.nullCount),
      offset: int(a + ARRAY.offset),
      length,
    });
  }
  return { length, columns };
}

/** Bars from one exported record batch, or undefined when the batch is not the plain lakehouse layout. */
export function barsFromFFI(mem: ArrayBuffer, arrayAddr: number, schemaAddr: number, actionNames: Readonly<Record<string, string>>): Bars | undefined {
  const batch = describeBatch(mem, arrayAddr, schemaAddr);
  if (!batch) return undefined;
  const { length, columns } = batch;
  const plain = (c: Column | undefined) => (c && c.nulls === 0 ? c : undefined);
  const out = allocBars(length);
  for (const c of BAR_COLUMNS) if (!copy(mem, plain(columns.get(c)), out[c], c === "timestamp")) return undefined;
  const present = ACTION_COLUMNS.filter((c) => columns.has(actionNames[c]!));
  if (present.length) {
    const a = allocActions(length);
    for (const c of present) if (!copy(mem, plain(columns.get(actionNames[c]!)), a[c], false)) return undefined;
    out.actions = a;
  }
  return out;
}

/** A whole column of a Parquet file read out of WASM memory: epoch ms of a time column, or the values of a number one (NaN where null). */
export interface PlainColumn {
  name: string;
  kind: "time" | "number";
  values: Float64Array;
  /** An INT64 column's exact values too (null rows 0), for a reader that parses them itself (an epoch in ns). */
  int64?: BigInt64Array;
  /** 1 where the row is null (present only when some row is). */
  nulls?: Uint8Array;
}

/**
 * Every column of the exported batches (in order, concatenated) when each is a number (float64/32, int64/32) or a
 * time (TIMESTAMP of any unit, DATE32), nulls allowed; undefined when any column is another type (strings, decimals,
 * nested): the caller reads that file through Arrow JS instead.
 */
export function plainColumnsFromFFI(mem: ArrayBuffer, batches: readonly { array: number; schema: number }[]): PlainColumn[] | undefined {
  const described = [];
  for (const b of batches) {
    const d = describeBatch(mem, b.array, b.schema);
    if (!d) return undefined;
    described.push(d);
  }
  const first = described[0];
  if (!first) return undefined;
  const total = described.reduce((n, d) => n + d.length, 0);
  const out: PlainColumn[] = [];
  for (const [name, col] of first.columns) {
    const kind = col.format === "tdD" || col.format.startsWith("ts") ? "time" : NUMBER_FORMATS.has(col.format) ? "number" : undefined;
    if (!kind) return undefined;
    const values = new Float64Array(total);
    const int64 = col.format === "l" ? new BigInt64Array(total) : undefined;
    const nulls = described.some((d) => (d.columns.get(name)?.nulls ?? 0) > 0) ? new Uint8Array(total) : undefined;
    let at = 0;
    for (const d of described) {
      const c = d.columns.get(name);
      if (!c || c.format !== col.format || !copyAny(mem, c, values, at, nulls)) return undefined;
      int64?.set(new BigInt64Array(mem, c.values + c.offset * 8, c.length), at);
      at += d.length;
    }
    out.push({ name, kind, values, ...(int64 ? { int64 } : {}), ...(nulls ? { nulls } : {}) });
  }
  return out;
}

const NUMBER_FORMATS = new Set(["g", "f", "l", "i"]);
const WIDTH: Record<string, number> = { g: 8, f: 4, l: 8, i: 4, tdD: 4 };

/** Copy any plain column into `dst` from `at` (times in epoch ms, floored exactly; NaN where null, marked in `nulls`); false when unaligned. */
function copyAny(mem: ArrayBuffer, col: Column, dst: Float64Array, at: number, nulls: Uint8Array | undefined): boolean {
  const width = WIDTH[col.format] ?? 8;
  const start = col.values + col.offset * width;
  if (start % width !== 0) return false;
  const n = col.length;
  if (col.format === "g") dst.set(new Float64Array(mem, start, n), at);
  else if (col.format === "f") dst.set(new Float32Array(mem, start, n), at);
  else if (col.format === "i") dst.set(new Int32Array(mem, start, n), at);
  else if (col.format === "tdD") {
    const days = new Int32Array(mem, start, n);
    for (let i = 0; i < n; i++) dst[at + i] = days[i]! * 86_400_000;
  } else {
    const w = new Int32Array(mem, start, n * 2);
    const unit = col.format.startsWith("ts") ? col.format[2]! : "m";
    if (unit === "m") for (let i = 0; i < n; i++) dst[at + i] = w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0);
    else {
      const big = new BigInt64Array(mem, start, n);
      for (let i = 0; i < n; i++) dst[at + i] = epochMsOf(big[i]!, unit);
    }
  }
  if (col.nulls > 0) {
    if (!col.validity) return false;
    const bits = new Uint8Array(mem);
    for (let i = 0; i < n; i++) {
      const k = col.offset + i;
      if (bits[col.validity + (k >> 3)]! & (1 << (k & 7))) continue;
      dst[at + i] = Number.NaN;
      nulls![at + i] = 1;
    }
  }
  return true;
}

const MS_PER: Record<string, [mul: bigint, div: bigint]> = { s: [1000n, 1n], m: [1n, 1n], u: [1n, 1000n], n: [1n, 1_000_000n] };

/** Epoch ms of a raw TIMESTAMP value in unit `s`, `m`, `u` or `n`, floored to whole ms exactly (Arrow's getter rounds through a float). */
export function epochMsOf(v: bigint, unit: string): number {
  const [mul, div] = MS_PER[unit]!;
  const scaled = v * mul;
  const q = scaled / div;
  return Number(scaled < 0n && q * div !== scaled ? q - 1n : q);
}

/** Copy one column into `dst` (ms for a timestamp); false when its type is not one this path reads. */
function copy(mem: ArrayBuffer, col: Column | undefined, dst: Float64Array, timestamp: boolean): boolean {
  if (!col) return false;
  const at = col.values + col.offset * 8;
  if (col.format === "g" && at % 8 === 0) {
    dst.set(new Float64Array(mem, at, col.length));
    return true;
  }
  if (!timestamp || at % 4 !== 0) return false;
  const scale = col.format === "l" ? 1 : col.format.startsWith("ts") ? UNIT_TO_MS[col.format[2]!] : undefined;
  if (scale === undefined) return false;
  // Int64 → number without a BigInt per value: exact for |v| < 2^53 (every millisecond timestamp).
  const w = new Int32Array(mem, at, col.length * 2);
  for (let i = 0; i < col.length; i++) dst[i] = (w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0)) * scale;
  return true;
}
