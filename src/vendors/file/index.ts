import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../../config/schema.ts";
import { InputError } from "../../errors.ts";
import { allocBars, type Bars, sliceBars, takeRows } from "../../model/bars.ts";
import { fileStem, legacyFileStem, type SymbolId } from "../../model/symbol.ts";
import type { DailyLabeler } from "../../calendar/session-date.ts";
import { dailyLabeler } from "../daily.ts";
import type { FetchRequest, FetchResult, Vendor, VendorContext } from "../types.ts";
import { type Cell, type RawTable, readTable } from "./table.ts";
import { parseTimestamp } from "./timestamps.ts";

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

/** The `file` vendor: a folder of `<EXCHANGE>_<TICKER>_<interval>.{csv,parquet,jsonl}`, or one file with a `symbol` column. */
export function fileVendor(ctx: VendorContext): Vendor {
  const source = ctx.source;
  if (!source) throw new InputError("the file vendor needs --source PATH", "pass --source with a folder of bar files or one file with a symbol column");
  if (!existsSync(source)) throw new InputError(`source not found: ${source}`, "check the --source path");
  const isDir = statSync(source).isDirectory();
  let listing: Map<string, string> | undefined;
  const tables = new Map<string, Promise<RawTable>>();
  const table = (path: string) => {
    let t = tables.get(path);
    if (!t) tables.set(path, (t = readTable(path)));
    return t;
  };

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
    async fetch(req: FetchRequest): Promise<FetchResult> {
      const t0 = performance.now();
      // Daily stamps become session dates by the calendar's rule; one that matches none is kept and reported.
      const labeler = req.interval === "1d" ? dailyLabeler(req, ctx.config) : undefined;
      let bars: Bars;
      if (isDir) {
        const stem = fileStem(req.symbol, req.interval);
        // Files named the way earlier versions did (`_` inside the ticker unescaped) are still found.
        const path = locate(stem) ?? locate(legacyFileStem(req.symbol, req.interval));
        if (!path) return { bars: allocBars(0), ticker: stem, latencyMs: performance.now() - t0 };
        bars = tableToBars(await table(path), req, undefined, labeler);
      } else {
        bars = tableToBars(await table(source), req, symbolAliases(req.symbol, ctx.config), labeler);
      }
      const warning = labeler?.warning(`${req.symbol.id} 1d`);
      if (warning) ctx.log.warn(warning);
      return { bars: window(bars, req), ticker: req.symbol.id, latencyMs: performance.now() - t0 };
    },
  };
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

/** Map a raw table to bars: every row is validated; a malformed one is an InputError naming file, line and column. */
export function tableToBars(t: RawTable, req: FetchRequest, aliases?: Set<string>, labeler?: DailyLabeler): Bars {
  const tsCol = findColumn(t, TIME_NAMES);
  if (tsCol < 0) throw new InputError(`${t.label}: no timestamp column (looked for ${TIME_NAMES.join("|")}; found ${t.names.join(", ")})`, "name the time column timestamp, date or datetime");
  const closeCol = findColumn(t, ["close", "adj close", "price", "value"]);
  if (closeCol < 0) throw new InputError(`${t.label}: no close column (found ${t.names.join(", ")})`, "add a close column");
  const col = (n: string) => findColumn(t, [n]);
  const cols = { open: col("open"), high: col("high"), low: col("low"), volume: col("volume") };
  const symCol = aliases ? findColumn(t, ["symbol", "ticker"]) : -1;
  if (aliases && symCol < 0) throw new InputError(`${t.label}: a single-file source needs a symbol column`, "add a symbol column, or use a folder of <EXCHANGE>_<TICKER>_<interval> files");

  const out = allocBars(t.rows);
  let k = 0;
  for (let r = 0; r < t.rows; r++) {
    if (symCol >= 0 && !aliases!.has(String(t.cell(symCol, r) ?? "").trim().toUpperCase())) continue;
    const rawTs = t.cell(tsCol, r);
    let ts = typeof rawTs === "string" || typeof rawTs === "number" || typeof rawTs === "bigint" ? parseTimestamp(rawTs) : Number.NaN;
    if (!Number.isFinite(ts)) throw new InputError(`${t.where(r)}: column ${t.names[tsCol]}: ${JSON.stringify(rawTs)} is not a timestamp`, "use ISO-8601 or epoch seconds/milliseconds");
    if (labeler) ts = labeler.label(ts, () => t.where(r)); // the session date at 00:00 UTC (src/calendar/session-date.ts)
    const close = num(t, closeCol, r, true);
    out.timestamp[k] = ts;
    out.close[k] = close;
    out.open[k] = cols.open >= 0 ? num(t, cols.open, r) : close;
    out.high[k] = cols.high >= 0 ? num(t, cols.high, r) : close;
    out.low[k] = cols.low >= 0 ? num(t, cols.low, r) : close;
    out.volume[k] = cols.volume >= 0 ? num(t, cols.volume, r) : 0;
    k++;
  }
  // Rows stay in file order: ingest reports repeated and descending timestamps before it normalises.
  return sliceBars(out, 0, k);
}

function num(t: RawTable, c: number, r: number, required = false): number {
  const v: Cell = t.cell(c, r);
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v === null || v === undefined || (typeof v === "string" && NULLS.has(v.trim().toLowerCase()))) {
    if (required) throw new InputError(`${t.where(r)}: column ${t.names[c]}: missing value`, "every bar needs a close");
    return Number.NaN; // kept and reported by the bad_value check, never silently dropped
  }
  const n = Number(String(v).trim());
  if (String(v).trim() === "" || Number.isNaN(n)) throw new InputError(`${t.where(r)}: column ${t.names[c]}: ${JSON.stringify(v)} is not a number`, "fix that row of the file");
  return n;
}
