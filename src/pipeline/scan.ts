import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import type { RunContext } from "../context.ts";
import { ConfigError } from "../errors.ts";
import { writeJsonAtomic } from "../lakehouse/atomic.ts";
import { parseRunId } from "../model/run-id.ts";
import { parseSymbol, resolveProfile } from "../model/symbol.ts";
import type { StepResult } from "../report/summary.ts";
import type { Observation, SymbolMeta } from "../symbols/history.ts";
import type { Candidate } from "./candidates.ts";
import { loadScanner, type ScannerConfig } from "./scanner-config.ts";
import { recordObservations } from "./symbols.ts";

/** One screener row: the scanner's columns, and the symbol's metadata when the screener gives it (the symbol catalog records it). */
export interface ScreenedRow {
  symbol: string;
  values: Record<string, unknown>;
  meta?: SymbolMeta;
}

/** A screener for `source: tradingview` scanners (injected so tests and the static path need no network). */
export type Screener = (cfg: ScannerConfig) => Promise<ScreenedRow[]>;

export interface ScanOptions {
  configs: string[];
  exportDir: string;
  screener?: Screener;
}

/** Run scanners, drop toxic assets, dedupe across scanners, write export/<run-id>/candidates.json. */
export async function runScan(ctx: RunContext, opts: ScanOptions): Promise<StepResult & { candidatesPath: string; candidates: Candidate[] }> {
  // The run id names the export folder: a bad one would write outside --export.
  parseRunId(ctx.runId);
  if (!opts.configs.length)
    throw new ConfigError("scan needs at least one scanner config", "pass --scanner FILE (JSON or YAML), repeatable or comma-separated");
  const scanners = opts.configs.map((f) => loadScanner(f));
  const health = await ctx.store.loadHealth();
  const bySymbol = new Map<string, Candidate>();
  let dropped = 0;
  let raw = 0;
  const toxic: string[] = [];
  const seen = new Map<string, Observation>();
  for (const sc of scanners) {
    const name = sc.name ?? basename(sc.file).replace(/\.(json|ya?ml)$/i, "");
    const rows = await listSymbols(sc, opts.screener);
    ctx.log.info(`scanner ${name}: ${rows.length} symbols`);
    for (const row of rows) {
      raw++;
      const sym = parseSymbol(row.symbol);
      // Toxic or not, what the screener says about a symbol is what we knew about it then.
      if (row.meta) seen.set(sym.id, { symbol: sym.id, meta: row.meta });
      if (health.isToxic(sym.id)) {
        dropped++;
        toxic.push(sym.id);
        continue;
      }
      const prev = bySymbol.get(sym.id);
      if (prev) {
        (prev.metadata!.scanners as string[]).push(name);
        continue;
      }
      const instruments = sc.profile
        ? { ...ctx.config.instruments, [sym.id]: { ...ctx.config.instruments?.[sym.id], profile: sc.profile } }
        : ctx.config.instruments;
      const profile = resolveProfile(sym, instruments);
      bySymbol.set(sym.id, {
        symbol: sym.id,
        exchange: sym.exchange,
        profile,
        asset_type: sc.asset_type ?? defaultAssetType(profile),
        direction: sc.direction ?? "long",
        metadata: { ...sc.metadata, ...row.values, scanners: [name] },
      });
    }
  }
  const candidates = [...bySymbol.values()];
  const recorded = await recordObservations(ctx, "scan", [...seen.values()]);
  if (recorded.opened) ctx.log.info(`symbol catalog: ${recorded.opened} new version(s), ${recorded.closed} closed`);
  const dir = join(opts.exportDir, ctx.runId);
  mkdirSync(dir, { recursive: true });
  const candidatesPath = join(dir, "candidates.json");
  writeJsonAtomic(candidatesPath, candidates);
  return {
    counts: {
      scanners: scanners.length,
      found: raw,
      candidates: candidates.length,
      droppedToxic: dropped,
      symbolVersionsOpened: recorded.opened,
      symbolVersionsClosed: recorded.closed,
    },
    symbols: [],
    findings: [],
    extra: { candidatesPath, droppedToxic: [...new Set(toxic)].sort() },
    candidatesPath,
    candidates,
  };
}

async function listSymbols(sc: ScannerConfig, screener?: Screener): Promise<ScreenedRow[]> {
  if (sc.source === "static") {
    if (!sc.symbols?.length) throw new ConfigError(`${sc.file}: field symbols: a static scanner needs a list of symbols`, "add symbols: [EXCHANGE:TICKER, …]");
    return sc.symbols.map((s) => ({ symbol: s, values: {} }));
  }
  if (!screener) throw new ConfigError(`${sc.file}: source tradingview needs the screener`, "use source: static, or run with network access");
  const rows = await screener(sc);
  return sc.limit ? rows.slice(0, sc.limit) : rows;
}

function defaultAssetType(profile: string): string {
  return { crypto: "spot", equity: "stock", futures: "futures", forex: "fx" }[profile] ?? "other";
}
