import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { collectGarbage } from "#runtime/gc.ts";
import { resolveCheckOptions } from "../checks/index.ts";
import { SERIES_STATUSES, type SeriesStatus } from "../checks/status.ts";
import { finding } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { type Catalog, seriesKey } from "../lakehouse/catalog.ts";
import type { HealthRegistry } from "../lakehouse/health.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import { sha256 } from "../lakehouse/store.ts";
import type { Finding } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { StepResult, SymbolReport } from "../report/summary.ts";
import type { Store } from "../store/types.ts";
import type { PoolInit } from "./audit-pool.ts";
import { checkSeries, type SeriesCheck, type SeriesCheckOptions } from "./audit-series.ts";
import { type AuditState, loadAuditState, runFingerprint, type SeriesState, saveAuditState, seriesStateKey, stateKeyOf } from "./audit-state.ts";
import { commitBatch, openWriteSession } from "./commit.ts";
import { heldFiles, heldTargets } from "./quarantined.ts";
import { resolveTargets, type Target } from "./targets.ts";

export interface AuditOptions {
  symbols?: SymbolId[];
  interval?: Interval;
  fromMs?: number;
  toMs?: number;
  /** Skip writing foundation_health.json, the catalog scores and the audit state (read-only audit). */
  readOnly?: boolean;
  /** Without `symbols`: also list assets held in quarantine that have no catalog entry (default true). */
  held?: boolean;
  /** Worker threads to check series on (default: the cores; 1: on this thread). Results do not depend on it. */
  jobs?: number;
  /** Decode and check every series, ignoring the audit state of unchanged ones (the state is still written). */
  full?: boolean;
}

/** One audited series (kept small: bars are dropped after checking so memory stays flat). */
export interface AuditedSeries {
  target: Target;
  report: SymbolReport;
  findings: Finding[];
  /** The file's hash as read (null when there is no file). */
  sha256: string | null;
  /** The catalog's hash when the series was read (null without an entry). */
  catalogSha: string | null;
  /** The file is not what the catalog recorded, or cannot be decoded. */
  corrupt: boolean;
  toxic: boolean;
  /** What the next audit keeps of this one (absent when the file was missing or unreadable). */
  state?: SeriesState;
  /** The file was unchanged since the last audit and not decoded. */
  reused?: boolean;
  /** The series grew at the end since the last audit: its windowed scans resumed there (audit-tail.ts). */
  resumed?: boolean;
}

const LARGE_SERIES = 100_000;
/** Below this many series to decode per worker, threads cost more to start than they save. */
const PER_WORKER = 8;

/** The health gate over the lakehouse: every check on every series, statuses, registry update. */
export async function runAudit(ctx: RunContext, opts: AuditOptions = {}): Promise<StepResult & { series: AuditedSeries[] }> {
  await ctx.store.assertExists();
  const options = resolveCheckOptions(ctx.config);
  await initParquet();
  // Read without the lock (audits run beside writers); what is written back is re-validated under the lock.
  const catalog = await ctx.store.loadCatalog();
  const health = await ctx.store.loadHealth();
  const unknown: Finding[] = []; // series with no calendar: reported, not audited
  const targets = resolveTargets(ctx, catalog, opts.symbols, opts.interval, unknown);
  // A plain audit covers the whole lakehouse, quarantine included: toxic assets with no golden file are listed too.
  if (!opts.symbols?.length && opts.held !== false) targets.push(...heldTargets(ctx, health, catalog, opts.interval));
  const run: SeriesRun = {
    options,
    window: { ...(opts.fromMs !== undefined ? { fromMs: opts.fromMs } : {}), ...(opts.toMs !== undefined ? { toMs: opts.toMs } : {}) },
    run: runFingerprint(ctx, opts),
    full: opts.full === true,
    state: await loadAuditState(ctx.store),
  };
  ctx.progress.start("audit", targets.length);
  const status = (i: number, c: SeriesCheck) => compose(ctx, targets[i]!, c, options, health).report.status;
  const checks = await checkAll(ctx, targets, run, opts.jobs ?? availableParallelism(), (i, c) => ctx.progress.tick(1, status(i, c)));
  let series: AuditedSeries[] = [];
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    let one: AuditedSeries;
    if (checks[i]) one = compose(ctx, t, checks[i]!, options, health);
    else {
      one = await auditOne(ctx, t, run, health);
      ctx.progress.tick(1, one.report.status);
      // A large series leaves tens of MB of decode garbage; collect it before the next file so memory stays flat.
      if (!one.reused && one.report.rows >= LARGE_SERIES) collectGarbage();
    }
    if (opts.readOnly) one = await settle(ctx, one, run, health);
    series.push(one);
  }
  ctx.progress.done();
  const reused = series.filter((s) => s.reused).length;
  const resumed = series.filter((s) => s.resumed).length;
  if (reused || resumed)
    ctx.log.debug(`audit: of ${series.length} series, ${reused} unchanged since the last audit (not decoded), ${resumed} grown at the end (tail scanned)`);

  let recorded: HealthRegistry | undefined;
  if (!opts.readOnly && targets.length) ({ series, health: recorded } = await recordAudit(ctx, series, run, opts));
  const result = summarise(ctx.store, series, recorded ?? health);
  result.findings.unshift(...unknown);
  return result;
}

/** What checking a series needs in this run, besides the series. */
interface SeriesRun {
  options: CheckMap;
  window: { fromMs?: number; toMs?: number };
  run: string;
  full: boolean;
  /** The audit state as the last audit left it. */
  state: AuditState;
}

const seriesOptions = (r: SeriesRun, t: Target): SeriesCheckOptions => {
  const prior = r.state.get(stateKeyOf(t));
  return { options: r.options, window: r.window, run: r.run, full: r.full, ...(prior ? { prior } : {}) };
};

/**
 * Check every target, on worker threads when enough of them need decoding (a series whose state matches the
 * catalog's hash is only hashed). Undefined where a worker could not check a series; the caller checks it itself.
 */
async function checkAll(
  ctx: RunContext,
  targets: Target[],
  r: SeriesRun,
  jobs: number,
  onChecked: (i: number, c: SeriesCheck) => void,
): Promise<(SeriesCheck | undefined)[]> {
  const priors = targets.map((t) => r.state.get(stateKeyOf(t)));
  const toDecode = r.full ? targets.length : targets.filter((t, i) => !t.entry || priors[i]?.key !== seriesStateKey(ctx, t, t.entry.sha256, r.run)).length;
  const workers = Math.min(Math.max(1, Math.floor(jobs)), Math.floor(toDecode / PER_WORKER));
  if (workers < 2) return targets.map(() => undefined);
  // The pool is loaded only when it is used: a small audit (and `dqctl --version`) never loads worker code.
  const { checkInWorkers, poolContext } = await import("./audit-pool.ts");
  const init: PoolInit = { ctx: poolContext(ctx), window: r.window, run: r.run, full: r.full };
  const jobList = targets.map((target, i) => (priors[i] ? { target, prior: priors[i] } : { target }));
  return checkInWorkers(init, jobList, workers, onChecked, (m) => ctx.log.debug(m));
}

/** A read-only audit that met a file mid-commit (its journal is there) reads it again once the commit is done. */
async function settle(ctx: RunContext, first: AuditedSeries, r: SeriesRun, health: HealthRegistry | undefined): Promise<AuditedSeries> {
  let one = first;
  const deadline = Date.now() + Math.max(ctx.waitLockMs, SETTLE_MS);
  while (one.corrupt && (await ctx.store.commitPending()) && Date.now() < deadline) {
    await new Promise((res) => setTimeout(res, 25));
    const entry = (await ctx.store.loadCatalog()).get(one.target.sym.id, one.target.interval);
    const t = entry ? { ...one.target, entry } : one.target;
    one = compose(ctx, t, await checkSeries(ctx, t, seriesOptions(r, t)), r.options, health);
  }
  return one;
}

type CheckMap = ReturnType<typeof resolveCheckOptions>;
const SETTLE_MS = 5_000;

/** Audit one series on this thread (the locked pass re-checks what changed meanwhile). */
async function auditOne(ctx: RunContext, t: Target, r: SeriesRun, health?: HealthRegistry): Promise<AuditedSeries> {
  return compose(ctx, t, await checkSeries(ctx, t, seriesOptions(r, t)), r.options, health);
}

/** The audited series from its check and what the registry holds in quarantine for it. */
function compose(ctx: RunContext, t: Target, c: SeriesCheck, options: CheckMap, health?: HealthRegistry): AuditedSeries {
  const base = { symbol: t.sym.id, interval: t.interval, profile: t.profile };
  const catalogSha = t.entry?.sha256 ?? null;
  if (c.kind === "bad") {
    return {
      target: t,
      findings: [c.finding],
      sha256: c.sha256,
      catalogSha,
      corrupt: true,
      toxic: false,
      report: { ...base, status: "corrupt", rows: 0, start: null, end: null, qualityScore: null, file: c.path },
    };
  }
  // An asset the registry holds in quarantine as toxic is `toxic`, with its files, whether or not a golden file exists.
  const files = health ? heldFiles(health, t.sym, t.interval) : [];
  // (Registries written before this finding existed recorded `missing` as the reason: not a reason for toxicity.)
  const reasons = health?.get(t.sym.id)?.reasons.filter((r) => r !== "missing" && r !== "quarantined") ?? [];
  const held = files.length ? heldFinding(base, files, reasons, options) : undefined;
  if (c.kind === "missing") {
    if (held)
      return {
        target: t,
        findings: [held],
        sha256: null,
        catalogSha,
        corrupt: false,
        toxic: true,
        report: { ...base, status: "toxic", rows: 0, start: null, end: null, qualityScore: null, quarantined: files },
      };
    const f = finding(
      base,
      "missing",
      options.get("missing")?.severity("error") ?? "error",
      `no lakehouse file ${ctx.store.seriesName(t.sym, t.interval)}`,
      undefined,
      {
        path: c.path,
      },
    );
    return {
      target: t,
      findings: [f],
      sha256: null,
      catalogSha,
      corrupt: false,
      toxic: false,
      report: { ...base, status: "missing", rows: 0, start: null, end: null, qualityScore: null },
    };
  }
  return {
    target: t,
    findings: held ? [...c.findings, held] : c.findings,
    sha256: c.sha256,
    catalogSha,
    corrupt: false,
    toxic: c.toxic || held !== undefined,
    report: {
      ...base,
      status: held ? "toxic" : c.status,
      rows: c.rows,
      start: c.start,
      end: c.end,
      qualityScore: c.qualityScore,
      ...(held ? { quarantined: files } : {}),
    },
    state: c.state,
    reused: c.reused,
    ...(c.resumed ? { resumed: true } : {}),
  };
}

/** The `quarantined` finding of a series held in quarantine as toxic (error unless configured otherwise). */
function heldFinding(base: { symbol: string; interval: Interval }, files: string[], reasons: string[], options: CheckMap): Finding {
  const severity = options.get("quarantined")?.severity("error") ?? "error";
  const why = reasons.length ? ` (${reasons.join(", ")})` : "";
  const f = finding(
    base,
    "quarantined",
    severity,
    `held in quarantine as toxic${why}: ${files.map((f) => basename(f)).join(", ")}`,
    { files: files.length },
    { files, reasons },
  );
  return { ...f, toxic: true };
}

/**
 * Update foundation_health.json and catalog scores under the lock. Everything learned without the lock is checked
 * first: a series whose catalog entry changed meanwhile (a writer committed), or that looked corrupt, is audited
 * again under the lock, so the registry only ever describes the files as they are. The catalog's hashes, rows and
 * ranges are never written from an audit.
 */
async function recordAudit(
  ctx: RunContext,
  unlocked: AuditedSeries[],
  r: SeriesRun,
  opts: AuditOptions,
): Promise<{ series: AuditedSeries[]; health: HealthRegistry }> {
  const s = await openWriteSession(ctx, "audit", r.options);
  try {
    const now = ctx.now.toISOString();
    // Every symbol whose registry entry this audit writes is claimed first (in one order, so writers never deadlock).
    for (const symbol of [...new Set(unlocked.map((one) => one.target.sym.id))].sort()) await s.writer.claim(symbol);
    const series: AuditedSeries[] = [];
    for (const one of unlocked) {
      s.writer.heartbeat();
      const entry = s.catalog.get(one.target.sym.id, one.target.interval);
      if (!one.corrupt && (entry?.sha256 ?? null) === one.catalogSha) {
        series.push(one);
        continue;
      }
      const { entry: _stale, ...target } = one.target;
      series.push(await auditOne(ctx, entry ? { ...target, entry } : target, r, s.health));
    }
    // Series the lock holder's recovery just cataloged (adopted files) belong to a whole-lakehouse audit too.
    if (!opts.symbols?.length) {
      const seen = new Set(series.map((one) => seriesKey(one.target.sym.id, one.target.interval)));
      for (const t of resolveTargets(ctx, s.catalog, undefined, opts.interval, [])) {
        if (seen.has(seriesKey(t.sym.id, t.interval))) continue;
        await s.writer.claim(t.sym.id);
        series.push(await auditOne(ctx, t, r, s.health));
      }
    }
    const bySymbol = new Map<string, AuditedSeries[]>();
    for (const one of series) bySymbol.set(one.target.sym.id, [...(bySymbol.get(one.target.sym.id) ?? []), one]);
    for (const [symbol, list] of bySymbol) {
      const e = s.health.ensure(symbol);
      s.writer.touchHealth(symbol);
      const quarantinedToxic = e.is_toxic && (e.quarantined?.length ?? 0) > 0;
      e.intervals ??= {};
      for (const one of list) {
        e.intervals[one.target.interval] = {
          status: one.report.status,
          rows: one.report.rows,
          audit_hash: one.sha256,
          // A series held in quarantine keeps the reasons it was quarantined for, not the code that says so.
          reasons: [...new Set(one.findings.flatMap((f) => (f.code === "quarantined" ? ((f.details?.reasons as string[] | undefined) ?? []) : [f.code])))],
          qualityScore: one.report.qualityScore,
        };
        const entry = s.catalog.get(symbol, one.target.interval);
        if (entry && one.sha256 === entry.sha256 && entry.qualityScore !== one.report.qualityScore) {
          entry.qualityScore = one.report.qualityScore;
          s.writer.touchCatalog(symbol, one.target.interval);
        }
      }
      const all = Object.values(e.intervals);
      e.status = worstStatus(all.map((i) => i.status));
      e.reasons = [...new Set(all.flatMap((i) => i.reasons))].sort();
      e.audit_hash = sha256(all.map((i) => i.audit_hash ?? "-").join(","));
      e.last_audit = now;
      // An ingest-time quarantine stays toxic until a forced re-ingest clears it; the audit only adds marks.
      e.is_toxic = quarantinedToxic || list.some((one) => one.toxic);
      if (e.is_toxic) e.status = "toxic";
    }
    await commitBatch(s);
    // The audit state is a cache beside the commit (lose it and the next audit is full), so it is not journaled.
    const next = nextState(r.state, series, s.catalog);
    if (next) await saveAuditState(ctx.store, next);
    return { series, health: s.health };
  } finally {
    await s.writer.release();
  }
}

/** The audit state after this audit, or undefined when it is what the last one left. */
function nextState(prev: AuditState, series: AuditedSeries[], catalog: Catalog): AuditState | undefined {
  const next: AuditState = new Map(prev);
  let changed = false;
  // Series no longer cataloged (deleted) leave the state.
  for (const k of prev.keys()) {
    if (!catalog.byKey(k)) changed = next.delete(k) || changed;
  }
  for (const one of series) {
    const k = stateKeyOf(one.target);
    if (one.state) {
      if (prev.get(k) !== one.state) changed = true;
      next.set(k, one.state);
    } else changed = next.delete(k) || changed;
  }
  return changed ? next : undefined;
}

/** The most severe of several series statuses (SERIES_STATUSES lists them most severe first). */
function worstStatus(list: string[]): string {
  const rank = (s: string) => SERIES_STATUSES.indexOf(s as SeriesStatus);
  return list.reduce((w, s) => (rank(s) >= 0 && rank(s) < rank(w) ? s : w), "healthy");
}

/** Counts and the quarantine section, from the registry as this audit left it. */
function summarise(store: Store, series: AuditedSeries[], health: HealthRegistry): StepResult & { series: AuditedSeries[] } {
  const counts: Record<string, number> = { symbols: series.length };
  for (const s of [...SERIES_STATUSES].reverse()) counts[s] = 0;
  for (const s of series) counts[s.report.status] = (counts[s.report.status] ?? 0) + 1;
  const quarantine = health
    .symbols()
    .filter((s) => (health.get(s)?.quarantined?.length ?? 0) > 0)
    .map((s) => ({ symbol: s, files: health.get(s)!.quarantined!, isToxic: health.get(s)!.is_toxic }));
  const inputs = series
    .filter((s) => s.sha256 && !s.corrupt)
    .map((s) => ({
      name: store.seriesName(s.target.sym, s.target.interval),
      kind: "parquet",
      sha256: s.sha256!,
      symbol: s.target.sym.id,
      interval: s.target.interval,
    }));
  return {
    counts,
    symbols: series.map((s) => s.report),
    findings: series.flatMap((s) => s.findings),
    extra: { quarantine },
    lineage: { inputs, outputs: [{ name: "foundation_health.json", kind: "registry" }] },
    series,
  };
}
