import { readFileSync } from "node:fs";
import { DataType } from "apache-arrow";
import { InputError } from "../../errors.ts";
import { readArrowTable } from "../../lakehouse/parquet.ts";
import { detectDelimiter, parseCsv } from "./csv.ts";

export type Cell = string | number | bigint | boolean | null | undefined;

/** A rectangular input read from CSV, JSON Lines or Parquet, with lower-cased column names. */
export interface RawTable {
  label: string;
  names: string[];
  rows: number;
  cell(col: number, row: number): Cell;
  /** Where row `row` is in the file, for error messages (`line 12` or `row 12`). */
  where(row: number): string;
}

/** Read a CSV, JSON Lines or Parquet file by extension. */
export async function readTable(path: string): Promise<RawTable> {
  const lower = path.toLowerCase();
  if (lower.endsWith(".parquet")) return parquetTable(path);
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return jsonlTable(path);
  if (lower.endsWith(".csv")) return csvTable(path);
  throw new InputError(`${path}: unsupported file type`, "use .csv, .parquet or .jsonl");
}

function csvTable(path: string): RawTable {
  const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  // Semicolon- and tab-separated exports (spreadsheets, some vendors) are read as they are.
  const recs = parseCsv(text, (line, msg) => {
    throw new InputError(`${path}:${line}: ${msg}`, "fix that row of the CSV");
  }, detectDelimiter(text));
  const header = recs.shift();
  if (!header) throw new InputError(`${path}: empty file (no header row)`, "add a header: timestamp,open,high,low,close,volume");
  const names = header.fields.map((n) => n.trim().toLowerCase());
  for (const r of recs) {
    if (r.fields.length !== names.length) {
      throw new InputError(`${path}:${r.line}: expected ${names.length} fields, found ${r.fields.length}`, "fix that row of the CSV");
    }
  }
  return { label: path, names, rows: recs.length, cell: (c, r) => recs[r]!.fields[c], where: (r) => `${path}:${recs[r]!.line}` };
}

function jsonlTable(path: string): RawTable {
  const lines = readFileSync(path, "utf8").split(/\r?\n/);
  const objs: { line: number; obj: Record<string, unknown> }[] = [];
  const names: string[] = [];
  const index = new Map<string, number>();
  lines.forEach((text, i) => {
    if (!text.trim()) return;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (err) {
      throw new InputError(`${path}:${i + 1}: malformed JSON (${(err as Error).message})`, "fix that line of the JSON Lines file");
    }
    if (!obj || typeof obj !== "object" || Array.isArray(obj)) throw new InputError(`${path}:${i + 1}: expected a JSON object per line`, "write one {\"timestamp\":…} object per line");
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
    where: (r) => `${path}:${objs[r]!.line}`,
  };
}

async function parquetTable(path: string): Promise<RawTable> {
  const table = await readArrowTable(readFileSync(path), path);
  const names = table.schema.fields.map((f) => f.name.toLowerCase());
  const cols = table.schema.fields.map((f) => table.getChild(f.name)!);
  const isTime = table.schema.fields.map((f) => DataType.isTimestamp(f.type) || DataType.isDate(f.type));
  return {
    label: path,
    names,
    rows: table.numRows,
    cell: (c, r) => {
      const v = cols[c]!.get(r) as Cell | Date;
      // Arrow timestamps come back as (float) epoch ms whatever the unit; mark them as ms explicitly.
      if (isTime[c] && typeof v === "number") return new Date(v).toISOString();
      if (v instanceof Date) return v.toISOString();
      return v as Cell;
    },
    where: (r) => `${path} row ${r + 1}`,
  };
}
