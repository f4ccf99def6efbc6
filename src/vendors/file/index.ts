// The file vendor's discovery half: its descriptor, the --source folder (or single file) and which file holds a
// symbol's bars; parse.ts maps the table read to bars.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../../config/schema.ts";
import { InputError } from "../../errors.ts";
import { type Bars, takeRows } from "../../model/bars.ts";
import { INTERVAL_NAMES } from "../../model/interval.ts";
import { fileStem, legacyFileStem, type SymbolId } from "../../model/symbol.ts";
import { didYouMean } from "../../suggest.ts";
import { dailyLabeler } from "../daily.ts";
import type { LocalVendorDescriptor } from "../descriptor.ts";
import type { FetchRequest, FetchResult, Vendor, VendorContext } from "../types.ts";
import { type TableBars, tableToBars } from "./parse.ts";
import { assertRegularFile, DEFAULT_MAX_FILE_BYTES } from "./read.ts";
import type { RawTable } from "./table.ts";

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

/** The table reader (CSV, JSON Lines, Parquet: read out of the engine, or via Arrow JS for other column types) is loaded on the first read, so listing vendors stays cheap. */
async function readTable(path: string, maxBytes: number): Promise<RawTable> {
  return (await import("./table.ts")).readTable(path, maxBytes);
}

const EXTENSIONS = [".csv", ".parquet", ".jsonl", ".ndjson"];

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
