// The file vendor's parsing half: a raw table (CSV, JSON Lines, Parquet; table.ts) mapped to bars, every row
// validated, all-empty rows dropped and reported; index.ts finds the files and windows what this returns.
import type { DailyLabeler } from "../../calendar/session-date.ts";
import { InputError } from "../../errors.ts";
import { allocActions, allocBars, type Bars, sliceBars } from "../../model/bars.ts";
import type { FetchRequest } from "../types.ts";
import type { Cell, RawTable } from "./table.ts";
import { checkEpochMs, isTime, parseTimestamp, type TimeIssue } from "./timestamps.ts";

const TIME_NAMES = ["timestamp", "date", "datetime", "time"];
const NULLS = new Set(["", "null", "nan", "na", "n/a", "none"]);

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
    // A row with a close is not empty (the common case, without a closure per row).
    if (Number.isNaN(close![r]!) && given.every((c) => Number.isNaN(c[r]!))) {
      if (parsed >= lo - DAY && parsed <= hi + DAY) empty.lines.push(r + 1);
      continue;
    }
    const c = close![r]!;
    // A UTC midnight is its own session date (the labeler's first rule), so most daily stamps skip the labeler.
    out.timestamp[k] = labeler && parsed % DAY !== 0 ? labeler.label(parsed, () => t.where(r, tsCol)) : parsed;
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
