/**
 * `bootstrap`: the canonical pricing pipeline (seed 004). Fetch symbols from vendors in priority order, stitch them,
 * judge the result against the market calendars, and keep the dataset in a content-keyed cache.
 *
 * Decisions:
 * - Symbols may be vendor tickers (`EURUSD=X`, read in the first vendor convention, in priority order and then
 *   Yahoo's, that yields a symbol with a known profile) or dqctl ids (`FX:EURUSD`).
 * - The window is resolved on the interval's UTC grid against the run's "now": it ends at the last slot that has
 *   fully elapsed (yesterday's date for daily bars) and spans --lookback-days (365) back, unless --start/--end pin
 *   it. Repeating a request within the same slot therefore hits the cache; a bar still trading is never cached.
 * - A vendor failing for a symbol another vendor covers is a `vendor_failed` warning; when no vendor produced a bar
 *   for the symbol, the failures are operational errors (exit 3). A vendor answering with nothing is `no_data`.
 * - Nothing is cached when the run had operational errors, produced no rows, or failed the quality gate
 *   (--fail-on-quality): a repeat run must not be served a dataset the gate refused.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { calendarFor } from "../calendar/index.ts";
import { calendarOfSymbol } from "../calendar/resolve.ts";
import type { Config } from "../config/schema.ts";
import type { RunContext } from "../context.ts";
import { ConfigError, DqError, type ErrorItem } from "../errors.ts";
import type { StitchedTable } from "../lakehouse/parquet.ts";
import { allocBars, BAR_COLUMNS, type Bars } from "../model/bars.ts";
import { type Finding, iso, worstOf } from "../model/finding.ts";
import { type Interval, intervalMs } from "../model/interval.ts";
import { parseInstant, parseList } from "../model/parse.ts";
import type { Profile } from "../model/profile.ts";
import { parseSymbol, resolveProfile, type SymbolId } from "../model/symbol.ts";
import { type FailOn, gateExitCode, type LineageRef, type StepResult, type SymbolReport } from "../report/summary.ts";
import { suggestion } from "../suggest.ts";
import { mapLimitSettled } from "../vendors/limits.ts";
import { createVendor, findVendor, settingsFor, VENDOR_NAMES } from "../vendors/registry.ts";
import { fromVendorTicker } from "../vendors/tickers.ts";
import type { FetchResult, Vendor, VendorContext } from "../vendors/types.ts";
import { type CacheEntry, type CacheKeyInputs, cacheKey, lookup, prune, store, sweepTemps } from "./cache.ts";
import { fetchShared, putShared } from "./shared-cache.ts";
import { stitch, type VendorSeries } from "./stitch.ts";
import { bootstrapOptions, type ValidationFlags, validateSeries } from "./validate.ts";

const DAY_MS = 86_400_000;

/** What `dqctl bootstrap` asks for. */
export interface BootstrapOptions {
  /** Comma-separated vendor tickers or dqctl ids. */
  symbols: string;
  /** Vendor names in priority order. */
  vendors: string[];
  interval: Interval;
  lookbackDays?: number | undefined;
  start?: string | undefined;
  end?: string | undefined;
  /** The file vendor's folder or file. */
  sourcePath?: string | undefined;
  cacheDir: string;
  format: "parquet" | "csv";
  retentionDays?: number | undefined;
  maxEntries?: number | undefined;
  failOn: FailOn;
  validation?: ValidationFlags;
  env: Record<string, string | undefined>;
}

/** A requested symbol: its dqctl id, profile, and how the user wrote it. */
export interface BootstrapSymbol {
  sym: SymbolId;
  profile: Profile;
  requested: string;
}

/** Vendor names, canonicalised and checked (`alpha_vantage` → `alphavantage`), duplicates dropped. */
export function parseVendors(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of list.flatMap((s) => s.split(","))) {
    if (!raw.trim()) continue;
    const name = findVendor(raw)?.name;
    if (!name)
      throw new ConfigError(
        `--vendor: unknown vendor "${raw.trim()}"${suggestion(raw.trim(), VENDOR_NAMES)}`,
        `use one or more of ${VENDOR_NAMES.join(", ")} in priority order, e.g. --vendor yahoo,alphavantage,file`,
      );
    if (!out.includes(name)) out.push(name);
  }
  if (!out.length) throw new ConfigError("--vendor: no vendor given", "pass e.g. --vendor yahoo");
  return out;
}

/**
 * Read one token: a dqctl id as is; a vendor ticker under the first convention (the vendors in priority order, then
 * Yahoo's) that maps it to a symbol with a known profile, so `EURUSD=X` works with `--vendor fred,yahoo` too.
 */
function resolveToken(token: string, vendors: readonly string[], config: Config): { sym: SymbolId; profile: Profile } {
  if (token.includes(":")) {
    const sym = parseSymbol(token);
    return { sym, profile: resolveProfile(sym, config.instruments) };
  }
  const conventions = [...new Set([...vendors.filter((v) => v !== "file"), "yahoo"])];
  let first: unknown;
  for (const vendor of conventions) {
    try {
      const sym = fromVendorTicker(vendor, token, config);
      return { sym, profile: resolveProfile(sym, config.instruments) };
    } catch (err) {
      first ??= err;
    }
  }
  throw first;
}

/** Resolve `EURUSD=X,FX:GBPUSD` into dqctl symbols with their profiles. */
export function resolveSymbols(raw: string, vendors: readonly string[], ctx: Pick<RunContext, "config">): BootstrapSymbol[] {
  const out: BootstrapSymbol[] = [];
  for (const token of parseList(raw) ?? []) {
    const { sym, profile } = resolveToken(token, vendors, ctx.config);
    if (out.some((s) => s.sym.id === sym.id)) continue;
    out.push({ sym, profile, requested: token });
  }
  if (!out.length) throw new ConfigError("--symbols: no symbols given", 'pass e.g. --symbols "EURUSD=X,GBPUSD=X"');
  return out;
}

/** The window as first and last bar open on the interval's UTC grid (see the module comment). */
export function resolveWindow(
  nowMs: number,
  interval: Interval,
  o: Pick<BootstrapOptions, "lookbackDays" | "start" | "end">,
): { startMs: number; endMs: number } {
  const step = intervalMs(interval);
  const floor = (ms: number) => Math.floor(ms / step) * step;
  if (o.start !== undefined && o.lookbackDays !== undefined) throw new ConfigError("--start and --lookback-days both given", "pass one of them");
  const endMs = o.end !== undefined ? floor(parseInstant(o.end, "--end")) : floor(nowMs) - step;
  const startMs = o.start !== undefined ? floor(parseInstant(o.start, "--start")) : floor(endMs + step - (o.lookbackDays ?? 365) * DAY_MS);
  if (startMs > endMs)
    throw new ConfigError(`window is empty: start ${iso(startMs)} is after end ${iso(endMs)}`, "check --start/--end/--lookback-days and --now");
  return { startMs, endMs };
}

interface Fetched {
  vendor: string;
  result?: FetchResult;
  error?: DqError;
}

/** Run the pricing pipeline, or serve the identical request from the cache. */
export async function runBootstrap(ctx: RunContext, opts: BootstrapOptions): Promise<StepResult> {
  const vendors = parseVendors(opts.vendors);
  const symbols = resolveSymbols(opts.symbols, vendors, ctx);
  const { startMs, endMs } = resolveWindow(ctx.now.getTime(), opts.interval, opts);
  const checks = bootstrapOptions(ctx.config, opts.validation); // config errors before any vendor is asked
  if (vendors.includes("file") && !opts.sourcePath)
    throw new ConfigError("the file vendor needs --source-path", "pass --source-path with a folder of bar files or one file with a symbol column");
  const cacheDir = resolve(opts.cacheDir);
  const inputs: CacheKeyInputs = {
    vendors,
    symbols: symbols.map((s) => s.sym.id),
    interval: opts.interval,
    start: iso(startMs),
    end: iso(endMs),
    format: opts.format,
    ...(vendors.includes("file") && opts.sourcePath ? { source: resolve(opts.sourcePath) } : {}),
  };
  const key = cacheKey(inputs);
  const nowMs = ctx.now.getTime();
  const vctx: VendorContext = { config: ctx.config, log: ctx.log, env: opts.env, ...(opts.sourcePath ? { source: opts.sourcePath } : {}) };
  const vendorRefs: LineageRef[] = vendors.map((v) =>
    v === "file" ? { name: resolve(opts.sourcePath!), kind: "file", vendor: v } : { name: v, kind: "vendor", baseUrl: settingsFor(v, vctx).baseUrl },
  );

  sweepTemps(cacheDir); // a killed run's temp files; the cache must not keep debris across runs
  const shared = { dir: cacheDir, nowMs, retentionDays: opts.retentionDays, maxEntries: opts.maxEntries, log: ctx.log };
  const hit = lookup(cacheDir, key, nowMs, opts.retentionDays, ctx.log) ?? (ctx.cache ? await fetchShared(ctx.cache, key, shared) : undefined);
  if (hit) {
    ctx.log.info(`bootstrap: cache hit ${hit.metadata.file} (${hit.metadata.rows} rows), no vendor contacted`);
    const pruned = prune(cacheDir, { retentionDays: opts.retentionDays, maxEntries: opts.maxEntries, keep: key, nowMs }, ctx.log);
    return result(hit.metadata.reports, hit.issues, [], hit, {
      hit: true,
      stored: false,
      key,
      cacheDir,
      pruned,
      inputs,
      vendorsUsed: hit.metadata.vendorsUsed,
      vendorRefs,
    });
  }

  const instances: Vendor[] = vendors.map((v) => createVendor(v, vctx));
  const jobs = symbols.flatMap((s) => instances.map((vendor) => ({ s, vendor })));
  ctx.progress.start("bootstrap", symbols.length);
  const settled = await mapLimitSettled(jobs, 8, async ({ s, vendor }) => {
    try {
      return await vendor.fetch({ symbol: s.sym, profile: s.profile, interval: opts.interval, fromMs: startMs, toMs: endMs });
    } finally {
      ctx.progress.tick(1 / instances.length); // a symbol is done when all its vendors answered
    }
  });
  ctx.progress.done();

  const findings: Finding[] = [];
  const errors: ErrorItem[] = [];
  const reports: SymbolReport[] = [];
  const used = new Set<string>();
  const pieces: Piece[] = [];

  symbols.forEach((s, si) => {
    const fetched: Fetched[] = instances.map((v, vi) => {
      const r = settled[si * instances.length + vi]!;
      if (r.status === "fulfilled") return { vendor: v.name, result: r.value };
      if (!(r.reason instanceof DqError)) throw r.reason;
      return { vendor: v.name, error: r.reason };
    });
    const raw: VendorSeries[] = fetched.filter((f) => f.result).map((f) => ({ vendor: f.vendor, bars: f.result!.bars }));
    const series = stitch(raw);
    const rows = series.bars.timestamp.length;
    const failed = fetched.filter((f) => f.error);
    const base = { symbol: s.sym.id, interval: opts.interval, profile: s.profile, requested: s.requested };
    if (rows === 0 && failed.length) {
      for (const f of failed)
        errors.push({ ...f.error!.toItem({ symbol: s.sym.id }), message: `${s.sym.id} ${opts.interval}: ${f.vendor}: ${f.error!.oneLine()}` });
      reports.push({ ...base, status: "missing", rows: 0, start: null, end: null, qualityScore: null, vendors: [] });
      return;
    }
    for (const f of failed) {
      findings.push({
        code: "vendor_failed",
        severity: "warning",
        symbol: s.sym.id,
        interval: opts.interval,
        message: `${f.vendor} failed (${f.error!.message}); bars taken from the other vendors`,
        details: { vendor: f.vendor, error: f.error!.oneLine() },
      });
    }
    const calendar = calendarFor(calendarOfSymbol(s.sym, ctx.config.instruments, s.profile), ctx.reference);
    const v = validateSeries(
      { symbol: s.sym.id, interval: opts.interval, profile: s.profile, calendar, startMs, endMs, nowMs, config: ctx.config },
      series,
      raw,
      checks,
    );
    findings.push(...v.findings);
    const contributed = [...new Set(series.sources.flatMap((x) => x.split(",")))];
    for (const c of contributed) used.add(c);
    const primary: Record<string, number> = {};
    for (const p of series.primarySource) primary[p] = (primary[p] ?? 0) + 1;
    reports.push({
      ...base,
      status: v.status,
      rows,
      start: rows ? iso(series.bars.timestamp[0]!) : null,
      end: rows ? iso(series.bars.timestamp[rows - 1]!) : null,
      qualityScore: v.qualityScore,
      coverage: Math.round(v.coverage.ratio * 10_000) / 10_000,
      expectedBars: v.coverage.expected,
      ...(v.lagHours !== undefined ? { lagHours: v.lagHours } : {}),
      vendors: contributed,
      primary,
    });
    if (rows) pieces.push({ id: s.sym.id, bars: series.bars, primary: series.primarySource, sources: series.sources });
  });
  const table = concatPieces(pieces);

  const rows = table.timestamp.length;
  const gate = gateExitCode(worstOf(findings), opts.failOn);
  const reason = errors.length ? "operational errors" : rows === 0 ? "no rows" : gate !== 0 ? "quality gate failed" : undefined;
  const vendorsUsed = vendors.filter((v) => used.has(v));
  let entry: CacheEntry | undefined;
  if (reason) ctx.log.warn(`bootstrap: dataset not cached (${reason})`);
  else {
    entry = await store(cacheDir, { key, inputs, table, issues: findings, reports, vendorsUsed, createdMs: nowMs }, ctx.log);
    if (ctx.cache) await putShared(ctx.cache, entry, readFileSync(entry.datasetPath), shared);
  }
  const pruned = prune(cacheDir, { retentionDays: opts.retentionDays, maxEntries: opts.maxEntries, keep: entry ? key : undefined, nowMs }, ctx.log);
  return result(reports, findings, errors, entry, {
    hit: false,
    stored: entry !== undefined,
    key,
    cacheDir,
    pruned,
    inputs,
    vendorsUsed,
    vendorRefs,
    ...(reason ? { reason } : {}),
  });
}

/** One symbol's stitched rows on their way into the dataset table. */
interface Piece {
  id: string;
  bars: Bars;
  primary: string[];
  sources: string[];
}

function concatPieces(pieces: readonly Piece[]): StitchedTable {
  const n = pieces.reduce((s, p) => s + p.bars.timestamp.length, 0);
  const b = allocBars(n);
  const t: StitchedTable = { ...b, symbol: [], primarySource: [], sources: [] };
  let k = 0;
  for (const p of pieces) {
    for (const col of BAR_COLUMNS) t[col].set(p.bars[col], k);
    k += p.bars.timestamp.length;
    for (let i = 0; i < p.bars.timestamp.length; i++) t.symbol.push(p.id);
    t.primarySource.push(...p.primary);
    t.sources.push(...p.sources);
  }
  return t;
}

interface CacheOutcome {
  hit: boolean;
  stored: boolean;
  key: string;
  cacheDir: string;
  pruned: string[];
  inputs: CacheKeyInputs;
  vendorsUsed: string[];
  vendorRefs: LineageRef[];
  reason?: string;
}

/** Assemble the step result: counts, the summary sections and lineage. */
function result(reports: SymbolReport[], findings: Finding[], errors: ErrorItem[], entry: CacheEntry | undefined, c: CacheOutcome): StepResult {
  const m = entry?.metadata;
  const rows = reports.reduce((s, r) => s + r.rows, 0);
  const seen = reports.filter((r) => r.rows > 0).map((r) => r.symbol);
  const by = (st: string) => reports.filter((r) => r.status === st).length;
  const outputs: LineageRef[] = entry && m ? [{ name: entry.datasetPath, kind: "dataset", sha256: m.sha256, rows: m.rows, format: m.format }] : [];
  const lineage = { inputs: c.vendorRefs, outputs };
  return {
    counts: {
      symbols: reports.length,
      seen: seen.length,
      rows,
      healthy: by("healthy"),
      degraded: by("degraded"),
      stale: by("stale"),
      toxic: by("toxic"),
      missing: by("missing"),
      cacheHit: c.hit ? 1 : 0,
      pruned: c.pruned.length,
    },
    symbols: reports,
    findings,
    ...(errors.length ? { errors } : {}),
    extra: {
      dataset:
        entry && m ? { path: entry.datasetPath, file: m.file, format: m.format, rows: m.rows, bytes: m.bytes, sha256: m.sha256, created: m.created } : null,
      rows,
      symbolsSeen: seen,
      window: { start: c.inputs.start, end: c.inputs.end, interval: c.inputs.interval },
      vendors: { requested: c.inputs.vendors, used: c.vendorsUsed },
      cache: { dir: c.cacheDir, key: c.key, hit: c.hit, stored: c.stored, pruned: c.pruned, ...(c.reason ? { notStoredBecause: c.reason } : {}) },
      lineage,
    },
    lineage: { ...lineage, extra: { cache: { key: c.key, hit: c.hit } } },
  };
}
