// Parquet layouts of the lakehouse's non-bar tables: the symbol metadata history (symbols.parquet) and the
// feature sets (features/<set>/date=YYYY-MM-DD/part.parquet). Encoded here, staged and landed by the same
// journaled commit as the bars (see journal.ts), so a killed writer leaves the previous table or the whole new one.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, type Stats } from "node:fs";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import { InputError } from "../errors.ts";
import { type FeatureFilter, type FeatureRow, featureMatches } from "../features/rows.ts";
import type { Listing, SymbolVersion } from "../symbols/history.ts";
import { syncDir } from "./atomic.ts";
import { encodeArrowTable, initParquet, readArrowTable } from "./parquet.ts";

/** The symbol history's file, relative to the lakehouse root. */
export const SYMBOLS_FILE = "symbols.parquet";
/** The feature stores' folder, relative to the lakehouse root. */
export const FEATURES_DIR = "features";
/** The one file of a feature partition. */
const PART_FILE = "part.parquet";
const DATE_DIR = /^date=(\d{4}-\d{2}-\d{2})$/;

/** A feature partition's file, relative to the root. */
export function featurePartPath(set: string, date: string): string {
  return `${FEATURES_DIR}/${set}/date=${date}/${PART_FILE}`;
}

const STRING_FIELDS = ["name", "description", "type", "subtype", "exchange", "currency", "country", "sector", "industry"] as const;
const ms = (values: (number | null)[]) => arrow.vectorFromArray(values, new arrow.TimestampMillisecond("UTC"));

/** Encode the whole symbol history (snake_case columns: valid_from, valid_to, is_current, market_cap, …). */
export function encodeSymbols(rows: readonly SymbolVersion[]): Uint8Array {
  const str = (f: (r: SymbolVersion) => string | null) => arrow.vectorFromArray(rows.map(f), new arrow.Utf8());
  const cols: Record<string, arrow.Vector> = { symbol: str((r) => r.symbol) };
  for (const k of STRING_FIELDS) cols[k] = str((r) => r[k]);
  cols.market_cap = arrow.vectorFromArray(
    rows.map((r) => r.marketCap),
    new arrow.Float64(),
  );
  cols.status = str((r) => r.status);
  cols.valid_from = ms(rows.map((r) => r.validFrom));
  cols.valid_to = ms(rows.map((r) => r.validTo));
  cols.is_current = arrow.vectorFromArray(
    rows.map((r) => r.isCurrent),
    new arrow.Bool(),
  );
  return encodeArrowTable(new arrow.Table(cols));
}

const nullableText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const nullableNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Decode symbols.parquet; a file that is not what encodeSymbols wrote is an InputError naming it. */
async function decodeSymbols(bytes: Uint8Array, path: string): Promise<SymbolVersion[]> {
  const table = await readArrowTable(bytes, path);
  for (const c of ["symbol", "status", "valid_from", "valid_to", "is_current"]) {
    if (!table.getChild(c)) throw new InputError(`${path}: symbol history has no column ${c}`, "it was not written by dqctl; move it out of the lakehouse");
  }
  return (table.toArray() as Record<string, unknown>[]).map((r) => {
    const v: SymbolVersion = {
      symbol: String(r.symbol),
      name: null,
      description: null,
      type: null,
      subtype: null,
      exchange: null,
      currency: null,
      country: null,
      sector: null,
      industry: null,
      marketCap: nullableNum(r.market_cap),
      status: String(r.status) as Listing,
      validFrom: Number(r.valid_from),
      validTo: nullableNum(r.valid_to),
      isCurrent: Boolean(r.is_current),
    };
    for (const k of STRING_FIELDS) v[k] = nullableText(r[k]);
    return v;
  });
}

/**
 * Encode one date's feature rows: symbol, date, fetched_at, then one DOUBLE per column (the union of the rows'
 * columns; a row without a column is null there, a NaN value stays NaN).
 */
export function encodeFeatures(rows: readonly FeatureRow[]): Uint8Array {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))].sort();
  const cols: Record<string, arrow.Vector> = {
    symbol: arrow.vectorFromArray(
      rows.map((r) => r.symbol),
      new arrow.Utf8(),
    ),
    date: arrow.vectorFromArray(
      rows.map((r) => r.date),
      new arrow.Utf8(),
    ),
    fetched_at: ms(rows.map((r) => r.fetchedAt)),
  };
  for (const c of columns) {
    cols[c] = arrow.vectorFromArray(
      rows.map((r) => r.values[c] ?? null),
      new arrow.Float64(),
    );
  }
  return encodeArrowTable(new arrow.Table(cols));
}

/** Decode a feature partition. */
async function decodeFeatures(bytes: Uint8Array, path: string): Promise<FeatureRow[]> {
  const table = await readArrowTable(bytes, path);
  for (const c of ["symbol", "date", "fetched_at"]) {
    if (!table.getChild(c)) throw new InputError(`${path}: feature partition has no column ${c}`, "it was not written by dqctl; move it out of the lakehouse");
  }
  const columns = table.schema.fields.map((f) => f.name).filter((n) => n !== "symbol" && n !== "date" && n !== "fetched_at");
  return (table.toArray() as Record<string, unknown>[]).map((r) => ({
    symbol: String(r.symbol),
    date: String(r.date),
    fetchedAt: Number(r.fetched_at),
    values: Object.fromEntries(columns.map((c) => [c, nullableNum(r[c])])),
  }));
}

/** Bytes of a regular file, undefined when absent; a link or folder in its place is an InputError. */
function readPlain(path: string, what: string): Uint8Array | undefined {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!st.isFile()) throw new InputError(`${path}: ${what} is not a regular file`, "dqctl writes plain files only; move it out of the lakehouse");
  return readFileSync(path);
}

/** The lakehouse's symbol history (empty when none was recorded). */
export async function readSymbolsFile(root: string): Promise<SymbolVersion[]> {
  // The engine first, always: the writer that stages the history next encodes synchronously.
  await initParquet();
  const path = join(root, SYMBOLS_FILE);
  const bytes = readPlain(path, "the symbol history");
  if (!bytes) return [];
  return decodeSymbols(bytes, path);
}

/** Date partitions of a feature set on disk, oldest first (real folders only). */
function partitionDates(root: string, set: string): string[] {
  const dir = join(root, FEATURES_DIR, set);
  if (!isRealDir(dir)) return [];
  return readdirSync(dir)
    .flatMap((d) => DATE_DIR.exec(d)?.[1] ?? [])
    .filter((d) => isRealDir(join(dir, `date=${d}`)))
    .sort();
}

/** Rows of a feature set passing `filter`, by date then symbol. */
export async function readFeatureParts(root: string, set: string, filter: FeatureFilter = {}): Promise<FeatureRow[]> {
  await initParquet();
  const out: FeatureRow[] = [];
  for (const date of partitionDates(root, set)) {
    if ((filter.from !== undefined && date < filter.from) || (filter.to !== undefined && date > filter.to)) continue;
    const path = join(root, featurePartPath(set, date));
    const bytes = readPlain(path, "a feature partition");
    if (!bytes) continue;
    for (const r of await decodeFeatures(bytes, path)) if (featureMatches(r, filter)) out.push(r);
  }
  return out;
}

/** Every feature partition folder (the temp sweep looks there too). */
export function featurePartitionDirs(root: string): string[] {
  const base = join(root, FEATURES_DIR);
  if (!isRealDir(base)) return [];
  return readdirSync(base)
    .filter((s) => isRealDir(join(base, s)))
    .flatMap((s) => partitionDates(root, s).map((d) => join(base, s, `date=${d}`)));
}

/** Create a partition's folder (durably named) before a temp file is staged in it; refuse links on the way. */
export function ensurePartitionDir(root: string, set: string, date: string): void {
  let parent = root;
  for (const part of [FEATURES_DIR, set, `date=${date}`]) {
    const dir = join(parent, part);
    if (existsSync(dir) && !isRealDir(dir)) {
      throw new InputError(
        `${dir} is not a folder of the lakehouse (a symbolic link or a file)`,
        "dqctl never writes through links: replace it with a real folder",
      );
    }
    if (!existsSync(dir)) {
      mkdirSync(dir);
      syncDir(parent);
    }
    parent = dir;
  }
}

function isRealDir(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
