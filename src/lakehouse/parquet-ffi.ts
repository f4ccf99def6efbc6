// Bars read straight out of the Parquet engine's WASM memory through the Arrow C Data Interface: no Arrow IPC
// stream is written and parsed again (that hop was more than half of a decode). Only the plain lakehouse layout takes
// this path — one record batch, the bar columns as DOUBLE (timestamp as a TIMESTAMP or INT64), no nulls; anything
// else answers undefined and parquet.ts decodes through Arrow JS, which also words the errors.
import { ACTION_COLUMNS, allocActions, allocBars, BAR_COLUMNS, type Bars } from "../model/bars.ts";

// Offsets of the C structs' fields on wasm32 (pointers 4 bytes, int64 aligned to 8).
const SCHEMA = { format: 0, name: 4, nChildren: 24, children: 32 } as const;
const ARRAY = { length: 0, nullCount: 8, offset: 16, nBuffers: 24, nChildren: 32, buffers: 40, children: 44 } as const;
const UNIT_TO_MS: Record<string, number> = { s: 1000, m: 1, u: 1e-3, n: 1e-6 };
const utf8 = new TextDecoder();

interface Column {
  format: string;
  values: number;
  offset: number;
  length: number;
}

/** Bars from one exported record batch, or undefined when the batch is not the plain lakehouse layout. */
export function barsFromFFI(mem: ArrayBuffer, arrayAddr: number, schemaAddr: number, actionNames: Readonly<Record<string, string>>): Bars | undefined {
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
    if (int(a + ARRAY.length) !== length || int(a + ARRAY.nullCount) !== 0 || int(a + ARRAY.nBuffers) !== 2) {
      columns.set(name, { format: "?", values: 0, offset: 0, length: 0 });
      continue;
    }
    columns.set(name, { format: text(ptr(s + SCHEMA.format)), values: ptr(ptr(a + ARRAY.buffers) + 4), offset: int(a + ARRAY.offset), length });
  }
  const out = allocBars(length);
  for (const c of BAR_COLUMNS) if (!copy(mem, columns.get(c), out[c], c === "timestamp")) return undefined;
  const present = ACTION_COLUMNS.filter((c) => columns.has(actionNames[c]!));
  if (present.length) {
    const a = allocActions(length);
    for (const c of present) if (!copy(mem, columns.get(actionNames[c]!), a[c], false)) return undefined;
    out.actions = a;
  }
  return out;
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
