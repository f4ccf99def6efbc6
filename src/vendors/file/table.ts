import { DataType, DateUnit, Precision, TimeUnit, type Vector } from "apache-arrow";
import { InputError } from "../../errors.ts";
import { type PlainColumn, readArrowTable, readPlainColumns } from "../../lakehouse/parquet.ts";
import { epochMsOf } from "../../lakehouse/parquet-ffi.ts";
import { detectDelimiter, fieldPosition, parseCsv } from "./csv.ts";
import { readRegularFile, utf8Text } from "./read.ts";

/** A typed time value (a Parquet TIMESTAMP or DATE cell), already in epoch milliseconds. */
export interface EpochMs {
  epochMs: number;
}

export type Cell = string | number | bigint | boolean | null | undefined | EpochMs;

/** A rectangular input read from CSV, JSON Lines or Parquet, with lower-cased column names. */
export interface RawTable {
  label: string;
  names: string[];
  rows: number;
  cell(col: number, row: number): Cell;
  /** Where cell (`col`, `row`) is, for error messages: `file.csv:12:7` (line:column), or `file.parquet row 12`. */
  where(row: number, col: number): string;
  /** The 1-based line of row `row` in a text file (undefined for Parquet), for the error's `line` field. */
  line?(row: number): number;
  /**
   * A typed column read whole (Parquet): epoch ms of a TIMESTAMP or DATE column, or the values of a numeric one,
   * NaN where null; undefined for any other column. Lets the reader skip the per-cell path for plain numeric files.
   */
  column?(col: number): { kind: "time" | "number"; values: Float64Array } | undefined;
}

/** Read a CSV, JSON Lines or Parquet file by extension: only a regular file of at most `maxBytes`. */
export async function readTable(path: string, maxBytes: number): Promise<RawTable> {
  const lower = path.toLowerCase();
  const kind = lower.endsWith(".parquet")
    ? "parquet"
    : lower.endsWith(".jsonl") || lower.endsWith(".ndjson")
      ? "jsonl"
      : lower.endsWith(".csv")
        ? "csv"
        : undefined;
  if (!kind) throw new InputError(`${path}: unsupported file type`, "use .csv, .parquet or .jsonl");
  const bytes = readRegularFile(path, maxBytes);
  if (kind === "parquet") return parquetTable(path, bytes);
  return kind === "jsonl" ? jsonlTable(path, utf8Text(bytes, path)) : csvTable(path, utf8Text(bytes, path));
}

function csvTable(path: string, text: string): RawTable {
  // Semicolon- and tab-separated exports (spreadsheets, some vendors) are read as they are.
  const delimiter = detectDelimiter(text);
  const recs = parseCsv(
    text,
    (line, msg) => {
      throw new InputError(`${path}:${line}: ${msg}`, "fix that row of the CSV", { code: "bad_row", file: path, line });
    },
    delimiter,
  );
  const header = recs.shift();
  if (!header)
    throw new InputError(`${path}: empty file (no header row)`, "add a header: timestamp,open,high,low,close,volume", { code: "empty_file", file: path });
  const names = header.fields.map((n) => n.trim().toLowerCase());
  for (const r of recs) {
    if (r.fields.length !== names.length) {
      throw new InputError(`${path}:${r.line}: expected ${names.length} fields, found ${r.fields.length}`, "fix that row of the CSV", {
        code: "bad_row",
        file: path,
        line: r.line,
      });
    }
  }
  const where = (r: number, c: number) => {
    const at = fieldPosition(text, recs[r]!, c, delimiter);
    return `${path}:${at.line}:${at.column}`;
  };
  return { label: path, names, rows: recs.length, cell: (c, r) => recs[r]!.fields[c], where, line: (r) => recs[r]!.line };
}

function jsonlTable(path: string, text: string): RawTable {
  const lines = text.split(/\r?\n/);
  const objs: { line: number; obj: Record<string, unknown> }[] = [];
  const names: string[] = [];
  const index = new Map<string, number>();
  lines.forEach((text, i) => {
    if (!text.trim()) return;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (err) {
      throw new InputError(`${path}:${i + 1}: malformed JSON (${(err as Error).message})`, "fix that line of the JSON Lines file", {
        code: "bad_row",
        file: path,
        line: i + 1,
      });
    }
    if (!obj || typeof obj !== "object" || Array.isArray(obj))
      throw new InputError(`${path}:${i + 1}: expected a JSON object per line`, 'write one {"timestamp":…} object per line', {
        code: "bad_row",
        file: path,
        line: i + 1,
      });
    const lowered: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const key = k.toLowerCase();
      lowered[key] = v;
      if (!index.has(key)) {
        index.set(key, names.length);
        names.push(key);
      }
    }
    objs.push({ line: i + 1, obj: lowered });
  });
  return {
    label: path,
    names,
    rows: objs.length,
    cell: (c, r) => objs[r]!.obj[names[c]!] as Cell,
    where: (r, c) => {
      const line = objs[r]!.line;
      return `${path}:${line}:${valueColumn(lines[line - 1]!, names[c]!)}`;
    },
    line: (r) => objs[r]!.line,
  };
}

/** 1-based column of the value of key `name` (matched case-insensitively) in one JSON line; 1 when not found. */
function valueColumn(text: string, name: string): number {
  const m = new RegExp(`"${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"\\s*:\\s*`, "i").exec(text);
  return m ? m.index + m[0].length + 1 : 1;
}

async function parquetTable(path: string, bytes: Uint8Array): Promise<RawTable> {
  const plain = await readPlainColumns(bytes);
  if (plain) return plainTable(path, plain);
  const table = await readArrowTable(bytes, path);
  const names = table.schema.fields.map((f) => f.name.toLowerCase());
  const cols = table.schema.fields.map((f) => table.getChild(f.name)!);
  const times = cols.map((v) => (DataType.isTimestamp(v.type) || DataType.isDate(v.type) ? timeColumn(v) : undefined));
  return {
    label: path,
    names,
    rows: table.numRows,
    cell: (c, r) => {
      const ms = times[c]?.[r];
      // Typed time cells carry epoch ms, so the epoch-unit guess for plain numbers never applies to them.
      if (ms !== undefined) return Number.isNaN(ms) ? null : { epochMs: ms };
      try {
        return cols[c]!.get(r) as Cell;
      } catch (err) {
        throw new InputError(
          `${path} row ${r + 1}: column ${names[c]}: unreadable value (${(err as Error).message})`,
          "rewrite the file with plain numeric columns",
          { cause: err },
        );
      }
    },
    where: (r) => `${path} row ${r + 1}`,
    column: (c) => {
      const t = times[c];
      if (t) return { kind: "time", values: t };
      const v = cols[c]!;
      const plain = (DataType.isFloat(v.type) && v.type.precision !== Precision.HALF) || DataType.isInt(v.type);
      return plain ? { kind: "number", values: numberColumn(v) } : undefined;
    },
  };
}

/**
 * A Parquet source whose columns are all numbers or times, read out of the engine without Arrow JS: the same cells
 * as the Arrow path gives (an INT64 cell as a bigint, a time cell as epoch ms, null for a null time).
 */
function plainTable(path: string, cols: PlainColumn[]): RawTable {
  return {
    label: path,
    names: cols.map((c) => c.name.toLowerCase()),
    rows: cols[0]!.values.length,
    cell: (c, r) => {
      const col = cols[c]!;
      if (col.nulls?.[r]) return null;
      if (col.kind === "time") return { epochMs: col.values[r]! };
      return col.int64 ? col.int64[r]! : col.values[r]!;
    },
    where: (r) => `${path} row ${r + 1}`,
    column: (c) => ({ kind: cols[c]!.kind, values: cols[c]!.values }),
  };
}

/** The values of a numeric column as doubles (NaN for null); 64-bit integers convert as Number() does. */
function numberColumn(vec: Vector): Float64Array {
  const out = new Float64Array(vec.length);
  let k = 0;
  for (const data of vec.data) {
    const vals = data.values as Float64Array | Float32Array | Int32Array | BigInt64Array;
    if (data.nullCount === 0 && !(vals instanceof BigInt64Array) && !(vals instanceof BigUint64Array)) {
      out.set(vals.subarray(data.offset, data.offset + data.length), k); // the common case: a bulk copy
      k += data.length;
      continue;
    }
    for (let i = 0; i < data.length; i++, k++) {
      if (data.nullCount > 0 && !data.getValid(i)) out[k] = Number.NaN;
      else out[k] = Number(vals[data.offset + i]!);
    }
  }
  return out;
}

const UNIT: Record<number, string> = { [TimeUnit.SECOND]: "s", [TimeUnit.MILLISECOND]: "m", [TimeUnit.MICROSECOND]: "u", [TimeUnit.NANOSECOND]: "n" };

/**
 * Epoch ms of every cell of a TIMESTAMP or DATE column (NaN for null), from the raw values: Arrow's getter throws
 * on values past 2^53 and rounds nanoseconds through a float; here they are floored to whole ms exactly.
 */
function timeColumn(vec: Vector): Float64Array {
  const out = new Float64Array(vec.length);
  let k = 0;
  for (const data of vec.data) {
    const t = data.type;
    const days = DataType.isDate(t) && t.unit === DateUnit.DAY;
    const unit = DataType.isTimestamp(t) ? UNIT[t.unit]! : "m";
    const vals = data.values as BigInt64Array | Int32Array;
    for (let i = 0; i < data.length; i++, k++) {
      if (data.nullCount > 0 && !data.getValid(i)) {
        out[k] = Number.NaN;
        continue;
      }
      const v = vals[data.offset + i]!;
      out[k] = typeof v !== "bigint" ? (days ? v * 86_400_000 : v) : epochMsOf(v, unit);
    }
  }
  return out;
}
