// The audit: every check on every series (on worker threads when there are enough to decode), statuses, the registry.
// Checking one series is audit-series.ts; joining it with the quarantine, audit-compose.ts; recording, audit-record.ts.
import { availableParallelism } from "node:os";
import { collectGarbage } from "#runtime/gc.ts";
import { resolveCheckOptions } from "../checks/index.ts";
import type { PushedEvidence } from "../checks/pushdown.ts";
import type { RunContext } from "../context.ts";
import type { HealthRegistry } from "../lakehouse/health.ts";
import { withReleaseSchedules } from "../macro/cache.ts";
import type { Finding } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { StepResult } from "../report/summary.ts";
import { trace, traceThreads } from "../trace.ts";
import { type AuditedSeries, compose } from "./audit-compose.ts";
import { historyFindings } from "./audit-history.ts";
import type { PoolInit, PoolJob } from "./audit-pool.ts";
import { evidenceOf, pushAll } from "./audit-pushdown.ts";
import { recordAudit, summarise } from "./audit-record.ts";
import { checkSeries, type SeriesCheck, type SeriesCheckOptions } from "./audit-series.ts";
import { type AuditState, loadAuditState, runFingerprint, seriesStateKey, stateKeyOf } from "./audit-state.ts";
import { heldTargets } from "./quarantined.ts";
import { resolveTargets, type Target } from "./targets.ts";

export type { AuditedSeries } from "./audit-compose.ts";

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
  /** Series to decode per thread below which fewer threads are used (default 64; tests lower it to run the pool on a few). */
  perThread?: number;
  /** Leave every pooled series to the workers, this thread checking none (tests: each series then crosses a thread). */
  workersOnly?: boolean;
  /** Decode and check every series, ignoring the audit state of unchanged ones (the state is still written). */
  full?: boolean;
}

const LARGE_SERIES = 100_000;
/**
 * Below this many series to decode per thread, a worker costs more than it saves: it takes ~0.1 s to load its code
 * (this thread checks ~50 daily series meanwhile) and as long again of CPU to warm up its own JIT.
 */
const PER_THREAD = 64;

/** The health gate over the lakehouse: every check on every series, statuses, registry update. */
export async function runAudit(ctx: RunContext, opts: AuditOptions = {}): Promise<StepResult & { series: AuditedSeries[] }> {
  trace("audit: start");
  await ctx.store.assertExists();
  const options = resolveCheckOptions(ctx.config);
  await withReleaseSchedules(ctx);
  // The Parquet engine compiles on a background thread meanwhile (the first decode, or the metrics, await it).
  ctx.store.warmUp?.();
  // Read without the lock (audits run beside writers); what is written back is re-validated under the lock.
  const catalog = await ctx.store.loadCatalog();
  const health = await ctx.store.loadHealth();
  trace("audit: catalog and registry loaded");
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
    pushed: new Map(),
    decodes: new Map(),
  };
  // A store that answers checks in its own query language does so for every series to decode, in one call.
  const decoded = targets.filter((t) => needsDecode(ctx, t, run));
  run.pushed = await pushAll(ctx, decoded, options);
  trace(`audit: ${targets.length} targets, ${decoded.length} to decode (state, pushdown done)`);
  ctx.progress.start("audit", targets.length);
  const status = (i: number, c: SeriesCheck) => compose(ctx, targets[i]!, c, options, health).report.status;
  const jobs = { jobs: opts.jobs ?? availableParallelism(), perThread: opts.perThread ?? PER_THREAD, workersOnly: opts.workersOnly === true };
  const checks = await checkAll(ctx, targets, run, jobs, (i, c) => ctx.progress.tick(1, status(i, c)));
  trace("audit: checked");
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
  trace("audit: composed");
  const reused = series.filter((s) => s.reused).length;
  const resumed = series.filter((s) => s.resumed).length;
  if (reused || resumed)
    ctx.log.debug(`audit: of ${series.length} series, ${reused} unchanged since the last audit (not decoded), ${resumed} grown at the end (tail scanned)`);

  let recorded: HealthRegistry | undefined;
  if (!opts.readOnly && targets.length) {
    const recheck = (t: Target, h: HealthRegistry) => auditOne(ctx, t, run, h);
    const scope = { ...(opts.symbols ? { symbols: opts.symbols } : {}), ...(opts.interval ? { interval: opts.interval } : {}) };
    ({ series, health: recorded } = await recordAudit(ctx, series, { options, state: run.state, ...scope, recheck }));
  }
  trace("audit: recorded");
  const result = summarise(ctx.store, series, recorded ?? health);
  await historyFindings(ctx, series, result.findings, options);
  trace("audit: summarised");
  traceThreads();
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
  /** What the store computed itself, by pushdownKey (Store.pushdown). */
  pushed: Map<string, PushedEvidence>;
  /** needsDecode's answer per target (asked by the pushdown and by the pool; each is a hash of the series' inputs). */
  decodes: Map<Target, boolean>;
}

/** True unless the target's audit state matches its catalog version (then it is only hashed, not decoded). */
function needsDecode(ctx: RunContext, t: Target, r: SeriesRun): boolean {
  let v = r.decodes.get(t);
  if (v === undefined) {
    v = r.full || !t.entry || r.state.get(stateKeyOf(t))?.key !== seriesStateKey(ctx, t, t.entry.sha256, r.run);
    r.decodes.set(t, v);
  }
  return v;
}

const seriesOptions = (r: SeriesRun, t: Target): SeriesCheckOptions => {
  const prior = r.state.get(stateKeyOf(t));
  const pushed = evidenceOf(r.pushed, t.sym.id, t.interval);
  return { options: r.options, window: r.window, run: r.run, full: r.full, ...(prior ? { prior } : {}), ...(pushed ? { pushed } : {}) };
};

/**
 * Check every target, on worker threads and this one when enough of them need decoding (a series whose state matches
 * the catalog's hash is only hashed). Undefined where no thread could check a series; the caller checks it itself.
 */
async function checkAll(
  ctx: RunContext,
  targets: Target[],
  r: SeriesRun,
  o: { jobs: number; perThread: number; workersOnly: boolean },
  onChecked: (i: number, c: SeriesCheck) => void,
): Promise<(SeriesCheck | undefined)[]> {
  // A large series (a year of 1m bars) is left to this thread, one at a time with a collection after each: a worker
  // decoding one keeps its WASM memory grown for good, so two of them would double the peak.
  const pooled = targets.flatMap((t, i) => ((t.entry?.rows ?? 0) < LARGE_SERIES ? [i] : []));
  const toDecode = pooled.filter((i) => needsDecode(ctx, targets[i]!, r)).length;
  // This thread checks too, so N threads start N−1 workers, and only when each thread gets enough series to decode.
  const threads = Math.min(Math.max(1, Math.floor(o.jobs)), Math.floor(toDecode / Math.max(1, o.perThread)));
  const out: (SeriesCheck | undefined)[] = targets.map(() => undefined);
  if (threads < 2) return out;
  // The pool is loaded only when it is used: a small audit (and `dqctl --version`) never loads worker code.
  const { checkInWorkers, poolContext } = await import("./audit-pool.ts");
  const init: PoolInit = { ctx: poolContext(ctx), window: r.window, run: r.run, full: r.full };
  const jobList = pooled.map((i) => {
    const t = targets[i]!;
    // `--full` reads no prior state: it is not sent.
    const prior = r.full ? undefined : r.state.get(stateKeyOf(t));
    const pushed = evidenceOf(r.pushed, t.sym.id, t.interval);
    return { target: t, ...(prior ? { prior } : {}), ...(pushed ? { pushed } : {}) };
  });
  const inline = o.workersOnly ? undefined : (job: PoolJob) => checkSeries(ctx, job.target, seriesOptions(r, job.target));
  const checked = await checkInWorkers(
    ctx.cache,
    init,
    jobList,
    inline ? threads - 1 : threads,
    inline,
    (k, c) => onChecked(pooled[k]!, c),
    (m) => ctx.log.debug(m),
  );
  for (const [k, i] of pooled.entries()) out[i] = checked[k];
  return out;
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
