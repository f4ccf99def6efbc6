import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { DailyLabeler } from "../../calendar/session-date.ts";
import type { Config } from "../../config/schema.ts";
import { InputError } from "../../errors.ts";
import { allocActions, allocBars, type Bars, sliceBars, takeRows } from "../../model/bars.ts";
import { INTERVAL_NAMES } from "../../model/interval.ts";
import { fileStem, legacyFileStem, type SymbolId } from "../../model/symbol.ts";
import { didYouMean } from "../../suggest.ts";
import { dailyLabeler } from "../daily.ts";
import type { LocalVendorDescriptor } from "../descriptor.ts";
import type { FetchRequest, FetchResult, Vendor, VendorContext } from "../types.ts";
import { assertRegularFile, DEFAULT_MAX_FILE_BYTES } from "./read.ts";
import type { Cell, RawTable } from "./table.ts";
import { checkEpochMs, isTime, parseTimestamp, type TimeIssue } from "./timestamps.ts";

/** The file vendor describes itself: local files read from --source, no network. */
export const FILE: LocalVendorDescriptor = {
  kind: "bars",
  name: "file",
  description: "local files (--source PATH): a folder of EXCHANGE_TICKER_interval .csv, .parquet or .jsonl files, or one file with a symbol column",
  network: false,
  configKeys: ["maxFileBytes"],
  capabilities: { intervals: INTERVAL_NAMES, range: true, capsHistory: false, corporateActions: false, apiKey: "none" },
  create: (ctx) => fileVendor(ctx),
};

/** The table reader (CSV, JSON Lines, Parquet via Arrow) is loaded on the first read, so listing vendors stays cheap. */
async function readTable(path: string, maxBytes: number): Promise<RawTable> {
  return (await import("./table.ts")).readTable(path, maxBytes);
}

const EXTENSIONS = [".csv", ".parquet", ".jsonl", ".ndjson"];
const TIME_NAMES = ["timestamp", "date", "datetime", "time"];
const NULLS = new Set(["", "null", "nan", "na", "n/a", "none"]);

/** Tickers a row's `symbol` may use for `sym`: the dqctl id, the bare ticker, Yahoo-style forms, config overrides. */
export function symbolAliases(sym: SymbolId, config: Config): Set<string> {
  const out = new Set([sym.id, sym.ticker, `${sym.exchange}_${sym.ticker}`]);
  if (/^(FX|FX_IDC|OANDA|FXCM)$/.test(sym.exchange)) out.add(`${sym.ticker}=X`);
  for (const t of Object.values(config.instruments?.[sym.id]?.tickers ?? {})) out.add(t.toUpperCase());
  return out;
}

/**
 * The `file` vendor: a folder of `<EXCHANGE>_<TICKER>_<interval>.{csv,parquet,jsonl}`, or one file with a `symbol` column.
 * Only regular files are read (a symlink only when it resolves to one), each up to `vendors.file.maxFileBytes`.
 */
export function fileVendor(ctx: VendorContext): Vendor {
  const source = ctx.source;
  if (!source) throw new InputError("the file vendor needs --source PATH", "pass --source with a folder of bar files or one file with a symbol column");
  if (!existsSync(source)) throw new InputError(`source not found: ${source}`, "check the --source path");
  // A folder (or a symlink to one) is listed; anything else must be a regular file, refused now rather than at the first read.
  const isDir = statSync(source).isDirectory();
  if (!isDir) assertRegularFile(source);
  const maxBytes = ctx.config.vendors?.file?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let listing: Map<string, string> | undefined;
  // A single-file source is read once and kept for every symbol it holds; a folder's files are read once each and
  // dropped, so memory stays flat in the number of series.
  let single: Promise<RawTable> | undefined;

  const locate = (stem: string): string | undefined => {
    listing ??= new Map(readdirSync(source).map((f) => [f.toLowerCase(), f]));
    for (const ext of EXTENSIONS) {
      const hit = listing.get(`${stem}${ext}`.toLowerCase());
      if (hit) return join(source, hit);
    }
    return undefined;
  };

  return {
    name: "file",
    replica: { name: "file", source },
    async fetch(req: FetchRequest): Promise<FetchResult> {
      const t0 = performance.now();
      // Daily stamps become session dates by the calendar's rule; one that matches none is kept and reported.
      const labeler = req.interval === "1d" ? dailyLabeler(req, ctx.config) : undefined;
      let read: TableBars;
      if (isDir) {
        const stem = fileStem(req.symbol, req.interval);
        // Files named the way earlier versions did (`_` inside the ticker unescaped) are still found.
        const path = locate(stem) ?? locate(legacyFileStem(req.symbol, req.interval));
        if (!path) throw notFound(source, stem, req, [...listing!.values()]);
        read = tableToBars(await readTable(path, maxBytes), req, undefined, labeler);
      } else {
        single ??= readTable(source, maxBytes);
        read = tableToBars(await single, req, symbolAliases(req.symbol, ctx.config), labeler);
      }
      const warning = labeler?.warning(`${req.symbol.id} 1d`);
      if (warning) ctx.log.warn(warning);
      // A local read downloads nothing: barsReceived is left to the window's bars.
      const res: FetchResult = { bars: window(read.bars, req), ticker: req.symbol.id, latencyMs: performance.now() - t0 };
      if (read.empty.lines.length) res.emptyRows = read.empty;
      return res;
    },
  };
}

/** A missing bar file: which names were looked for, the nearest one there, and what the folder holds. */
function notFound(source: string, stem: string, req: FetchRequest, files: string[]): InputError {
  const bars = files.filter((f) => EXTENSIONS.some((e) => f.toLowerCase().endsWith(e))).sort();
  const near = didYouMean(
    stem,
    bars.map((f) => f.slice(0, f.lastIndexOf("."))),
  );
  const nearFile = near === undefined ? undefined : bars.find((f) => f.startsWith(`${near}.`));
  const shown = bars.slice(0, 4).join(", ") + (bars.length > 4 ? `, … (${bars.length} in all)` : "");
  const holds = bars.length ? `the folder holds ${shown}` : "the folder holds no .csv, .parquet, .jsonl or .ndjson files";
  return new InputError(
    `${source}: no file for ${req.symbol.id} ${req.interval}: looked for ${EXTENSIONS.map((e) => `${stem}${e}`).join(", ")}${nearFile ? ` (did you mean ${nearFile}?)` : ""}; ${holds}`,
    "add the file, or check --symbols, --interval and --source",
  );
}

function window(bars: Bars, req: FetchRequest): Bars {
  if (req.fromMs === undefined && req.toMs === undefined) return bars;
  const lo = req.fromMs ?? -Infinity;
  const hi = req.toMs ?? Infinity;
  const keep: number[] = [];
  for (let i = 0; i < bars.timestamp.length; i++) if (bars.timestamp[i]! >= lo && bars.timestamp[i]! <= hi) keep.push(i);
  return keep.length === bars.timestamp.length ? bars : takeRows(bars, keep);
}

function findColumn(t: RawTable, names: readonly string[]): number {
  for (const n of names) {
    const i = t.names.indexOf(n);
    if (i >= 0) return i;
  }
  return -1;
}

// Corporate-action columns, as pandas/yfinance and vendors spell them (names are lower-cased when read).
const ADJ_CLOSE_NAMES = ["adj close", "adj_close", "adjclose", "adjusted close", "adjusted_close"];
const DIVIDEND_NAMES = ["dividends", "dividend"];
const SPLIT_NAMES = ["stock splits", "stock_splits", "splits", "split", "split_factor", "split factor"];

/** Rows a file holds with every OHLCV cell empty (pandas writes a NaN row so): dropped, and reported as `empty_rows`. */
export interface EmptyRows {
  file: string;
  /** 1-based line numbers (CSV, JSON Lines) or row numbers (Parquet) of the dropped rows, in file order. */
  lines: number[];
  unit: "line" | "row";
}

/** What a table yields for one symbol: its bars (in file order) and the all-empty rows it dropped. */
export interface TableBars {
  bars: Bars;
  empty: EmptyRows;
}

/**
 * Map a raw table to bars: every row is validated; a malformed one (a timestamp that is not a time, text in a
 * number column) is an InputError naming file, line and column. A row whose open, high, low, close and volume are
 * all empty is dropped and listed in `empty`; a partly empty row is kept, its empty cells NaN (bad_value reports them).
 */
export function tableToBars(t: RawTable, req: FetchRequest, aliases?: Set<string>, labeler?: DailyLabeler): TableBars {
  const tsCol = findColumn(t, TIME_NAMES);
  if (tsCol < 0)
    throw new InputError(
      `${t.label}: no timestamp column (looked for ${TIME_NAMES.join("|")}; found ${t.names.join(", ")})`,
      "name the time column timestamp, date or datetime",
    );
  const adjCol = findColumn(t, ADJ_CLOSE_NAMES);
  // A file with only an adjusted close takes it as the close (then it records no separate adjusted close).
  const closeCol = findColumn(t, ["close", "price", "value"]) >= 0 ? findColumn(t, ["close", "price", "value"]) : adjCol;
  if (closeCol < 0) throw new InputError(`${t.label}: no close column (found ${t.names.join(", ")})`, "add a close column");
  const col = (n: string) => findColumn(t, [n]);
  const cols = { open: col("open"), high: col("high"), low: col("low"), volume: col("volume") };
  const ohlcv = [closeCol, cols.open, cols.high, cols.low, cols.volume].filter((c) => c >= 0);
  const acts = { adjClose: adjCol === closeCol ? -1 : adjCol, dividend: findColumn(t, DIVIDEND_NAMES), split: findColumn(t, SPLIT_NAMES) };
  const withActions = acts.adjClose >= 0 || acts.dividend >= 0 || acts.split >= 0;
  const symCol = aliases ? findColumn(t, ["symbol", "ticker"]) : -1;
  if (aliases && symCol < 0)
    throw new InputError(
      `${t.label}: a single-file source needs a symbol column`,
      "add a symbol column, or use a folder of <EXCHANGE>_<TICKER>_<interval> files",
    );

  const out = allocBars(t.rows);
  const actions = withActions ? allocActions(t.rows) : undefined;
  const empty: EmptyRows = { file: t.label, lines: [], unit: t.line ? "line" : "row" };
  const lo = req.fromMs ?? -Infinity;
  const hi = req.toMs ?? Infinity;
  const fast = symCol < 0 ? typedColumns(t, tsCol, { close: closeCol, ...cols }, acts) : undefined;
  if (fast) {
    const k = copyTyped(fast, out, actions, empty, lo, hi, labeler, t, tsCol);
    return { bars: sliceBars(actions ? { ...out, actions } : out, 0, k), empty };
  }
  let k = 0;
  for (let r = 0; r < t.rows; r++) {
    if (
      symCol >= 0 &&
      !aliases!.has(
        String(t.cell(symCol, r) ?? "")
          .trim()
          .toUpperCase(),
      )
    )
      continue;
    const parsed = timestampOf(t.cell(tsCol, r));
    if (!isTime(parsed)) throw new InputError(`${t.where(r, tsCol)}: column ${t.names[tsCol]}: ${parsed.reason}`, parsed.hint, rowAt(t, r, tsCol));
    if (ohlcv.every((c) => isEmpty(t.cell(c, r)))) {
      // Only rows inside the requested window are reported: a later incremental fetch does not repeat old ones.
      if (parsed >= lo - DAY && parsed <= hi + DAY) empty.lines.push(t.line?.(r) ?? r + 1);
      continue;
    }
    // Daily stamps become the session date at 00:00 UTC (src/calendar/session-date.ts); others are kept and reported.
    const ts = labeler ? labeler.label(parsed, () => t.where(r, tsCol)) : parsed;
    const close = num(t, closeCol, r);
    out.timestamp[k] = ts;
    out.close[k] = close;
    out.open[k] = cols.open >= 0 ? num(t, cols.open, r) : close;
    out.high[k] = cols.high >= 0 ? num(t, cols.high, r) : close;
    out.low[k] = cols.low >= 0 ? num(t, cols.low, r) : close;
    out.volume[k] = cols.volume >= 0 ? num(t, cols.volume, r) : 0;
    if (actions) {
      if (acts.adjClose >= 0) actions.adjClose[k] = num(t, acts.adjClose, r);
      // 0 is how pandas writes "no dividend" and "no split" (and a factor of 1 is none either): nothing is recorded.
      if (acts.dividend >= 0) actions.dividend[k] = recorded(num(t, acts.dividend, r), 0);
      if (acts.split >= 0) actions.split[k] = recorded(num(t, acts.split, r), 1);
    }
    k++;
  }
  // Rows stay in file order: ingest reports repeated and descending timestamps before it normalises.
  const bars = sliceBars(actions ? { ...out, actions } : out, 0, k);
  return { bars, empty };
}

const DAY = 86_400_000;

type Columns<K extends string> = Record<K, Float64Array | undefined>;
interface Typed {
  ts: Float64Array;
  bars: Columns<"close" | "open" | "high" | "low" | "volume">;
  acts: Columns<"adjClose" | "dividend" | "split">;
}

/**
 * The whole columns of a typed file (Parquet) whose time column is a valid TIMESTAMP/DATE everywhere and whose
 * value columns are numeric, or undefined (then every cell goes through the per-cell path, which names the bad one).
 */
function typedColumns(t: RawTable, tsCol: number, bars: Record<keyof Typed["bars"], number>, acts: Record<keyof Typed["acts"], number>): Typed | undefined {
  if (!t.column) return undefined;
  const time = t.column(tsCol);
  if (time?.kind !== "time") return undefined;
  for (const ms of time.values) if (!isTime(checkEpochMs(ms))) return undefined;
  const pick = <K extends string>(idx: Record<K, number>): Columns<K> | undefined => {
    const o = {} as Columns<K>;
    for (const [name, c] of Object.entries(idx) as [K, number][]) {
      if (c < 0) {
        o[name] = undefined;
        continue;
      }
      const col = t.column!(c);
      if (col?.kind !== "number") return undefined;
      o[name] = col.values;
    }
    return o;
  };
  const b = pick(bars);
  const a = pick(acts);
  return b && a ? { ts: time.values, bars: b, acts: a } : undefined;
}

/** tableToBars' row loop over whole typed columns: the same rules (empty rows, missing columns, actions), no per-cell reads. */
function copyTyped(
  f: Typed,
  out: Bars,
  actions: Bars["actions"],
  empty: EmptyRows,
  lo: number,
  hi: number,
  labeler: DailyLabeler | undefined,
  t: RawTable,
  tsCol: number,
): number {
  const { close, open, high, low, volume } = f.bars;
  const given = [close, open, high, low, volume].filter((c): c is Float64Array => c !== undefined);
  let k = 0;
  for (let r = 0; r < f.ts.length; r++) {
    const parsed = f.ts[r]!;
    if (given.every((c) => Number.isNaN(c[r]!))) {
      if (parsed >= lo - DAY && parsed <= hi + DAY) empty.lines.push(r + 1);
      continue;
    }
    const c = close![r]!;
    out.timestamp[k] = labeler ? labeler.label(parsed, () => t.where(r, tsCol)) : parsed;
    out.close[k] = c;
    out.open[k] = open ? open[r]! : c;
    out.high[k] = high ? high[r]! : c;
    out.low[k] = low ? low[r]! : c;
    out.volume[k] = volume ? volume[r]! : 0;
    if (actions) {
      if (f.acts.adjClose) actions.adjClose[k] = f.acts.adjClose[r]!;
      if (f.acts.dividend) actions.dividend[k] = recorded(f.acts.dividend[r]!, 0);
      if (f.acts.split) actions.split[k] = recorded(f.acts.split[r]!, 1);
    }
    k++;
  }
  return k;
}

/** A corporate-action value, or NaN when it records nothing (zero, negative, or the neutral value). */
function recorded(x: number, neutral: number): number {
  return x > 0 && x !== neutral && x !== Infinity ? x : Number.NaN;
}

/** An empty cell: absent, null, or one of the spellings of a missing value (`""`, `NaN`, `null`, `NA`, …). */
function isEmpty(v: Cell): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "number") return Number.isNaN(v);
  return typeof v === "string" && NULLS.has(v.trim().toLowerCase());
}

function timestampOf(raw: Cell): number | TimeIssue {
  if (typeof raw === "string" || typeof raw === "number" || typeof raw === "bigint") return parseTimestamp(raw);
  if (raw && typeof raw === "object") return checkEpochMs(raw.epochMs);
  return { reason: `${JSON.stringify(raw ?? null)} is not a timestamp`, hint: "every row needs a timestamp: ISO-8601 or epoch seconds/ms/µs/ns" };
}

function num(t: RawTable, c: number, r: number): number {
  const v: Cell = t.cell(c, r);
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v && typeof v === "object")
    throw new InputError(`${t.where(r, c)}: column ${t.names[c]}: a timestamp where a number belongs`, "fix the column types of the file");
  if (isEmpty(v)) return Number.NaN; // kept and reported by the bad_value check, never silently dropped
  const n = Number(String(v).trim());
  if (String(v).trim() === "" || Number.isNaN(n))
    throw new InputError(`${t.where(r, c)}: column ${t.names[c]}: ${JSON.stringify(v)} is not a number`, "fix that row of the file", rowAt(t, r, c));
  return n;
}

/** Where a bad cell is, for the error's `file`, `line` and `column` fields. */
function rowAt(t: RawTable, r: number, c: number): { code: string; file: string; line?: number; column?: string } {
  const line = t.line?.(r);
  const column = t.names[c];
  return { code: "bad_row", file: t.label, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) };
}
