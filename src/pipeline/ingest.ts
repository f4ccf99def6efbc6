import { calendarFor } from "../calendar/index.ts";
import { duplicateRows } from "../checks/duplicate_rows.ts";
import { resolveCheckOptions, runChecks } from "../checks/index.ts";
import { staleness } from "../checks/stale.ts";
import { unsorted } from "../checks/unsorted.ts";
import type { RunContext } from "../context.ts";
import { DqError, type ErrorItem } from "../errors.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import { Lakehouse, type StoredSeries } from "../lakehouse/store.ts";
import { barCount, normalizeBars } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import { latencySummary } from "../report/latency.ts";
import type { LineageRef, StepResult, SymbolReport } from "../report/summary.ts";
import { mapLimitSettled } from "../vendors/limits.ts";
import type { FetchRequest, FetchResult, Vendor } from "../vendors/types.ts";
import { checkInput } from "./assess.ts";
import { commitSeries, flushCatalog, healCatalogEntry, type WriteSession } from "./commit.ts";
import { heldFiles } from "./quarantined.ts";
import { resolveTargets, type Target } from "./targets.ts";

export interface IngestOptions {
  vendor: Vendor;
  symbols: SymbolId[];
  interval: Interval;
  /** Ingest assets the registry marks toxic (and clear the mark when the new data is clean). */
  force?: boolean;
  /** Refetch fresh series too (the stored bar at a re-fetched timestamp is replaced). */
  refresh?: boolean;
  /** Pass 1 fetches missing assets over this many days back from now (default: all the vendor has). */
  lookbackDays?: number;
  /** What the vendor reads (a --source path or a base URL), for lineage. */
  sourceName?: string;
  /** Fetches in flight at once (the vendor's own limits still apply). */
  concurrency?: number;
}

type Outcome = "written" | "unchanged" | "quarantined" | "no_data" | "skipped_toxic" | "fresh" | "failed";

/** A planned fetch: pass 1 (missing) or pass 2 (stale, from the last stored bar). */
interface Job {
  t: Target;
  pass: "missing" | "stale" | "refresh";
  stored?: StoredSeries;
  req: FetchRequest;
}

const DAY = 86_400_000;

/**
 * Bring series up to date: fresh ones (judged from the stored bars and the calendar) are skipped, toxic ones too
 * unless forced; pass 1 fetches missing series, pass 2 stale ones from their last bar. Fetches run concurrently;
 * each series is then merged, checked and committed atomically, one at a time, under the lakehouse lock.
 */
export async function runIngest(ctx: RunContext, opts: IngestOptions): Promise<StepResult> {
  const lh = new Lakehouse(ctx.lakehouse);
  const options = resolveCheckOptions(ctx.config);
  await initParquet();
  const lock = await lh.lock("ingest", ctx.waitLockMs, (h) => ctx.log.info(`waiting for lakehouse lock held by pid ${h.pid} (${h.command})`));
  try {
    const session: WriteSession = { lh, catalog: lh.loadCatalog(), health: lh.loadHealth(), options };
    const targets = resolveTargets(ctx, session.catalog, opts.symbols, opts.interval);
    const outcomes: Record<Outcome, number> = { written: 0, unchanged: 0, quarantined: 0, no_data: 0, skipped_toxic: 0, fresh: 0, failed: 0 };
    const findings: Finding[] = [];
    const errors: ErrorItem[] = [];
    const symbols: SymbolReport[] = [];
    const outputs: LineageRef[] = [];
    const latencies: number[] = [];
    const fail = (t: Target, err: unknown) => {
      if (!(err instanceof DqError)) throw err;
      outcomes.failed++;
      errors.push(err.toItem({ symbol: t.sym.id }));
    };

    const jobs: Job[] = [];
    for (const t of targets) {
      try {
        const job = plan(ctx, session, t, opts);
        if (typeof job === "string") outcomes[job]++;
        else jobs.push(job);
        // A skipped toxic asset is still reported, as toxic, with its quarantined files (it is not silently absent).
        if (job === "skipped_toxic") symbols.push(heldReport(session, t));
      } catch (err) {
        fail(t, err);
      }
    }
    jobs.sort((a, b) => Number(a.pass !== "missing") - Number(b.pass !== "missing")); // pass 1 before pass 2
    ctx.progress.start(`ingest ${opts.vendor.name}`, jobs.length);
    const batch = Math.max(1, opts.concurrency ?? 16);
    for (let i = 0; i < jobs.length; i += batch) {
      const slice = jobs.slice(i, i + batch);
      const fetched = await mapLimitSettled(slice, batch, (j) => opts.vendor.fetch(j.req));
      for (let k = 0; k < slice.length; k++) {
        const job = slice[k]!;
        const res = fetched[k]!;
        let outcome: Outcome = "failed";
        try {
          if (res.status === "rejected") throw res.reason;
          const r = await commitJob(ctx, session, job, res.value, opts);
          if (res.value.latencyMs !== undefined) latencies.push(res.value.latencyMs);
          outcomes[r.outcome]++;
          outcome = r.outcome;
          findings.push(...r.findings);
          if (r.report) symbols.push(r.report);
          if (r.output) outputs.push(r.output);
        } catch (err) {
          fail(job.t, err);
        }
        ctx.progress.tick(1, outcome);
      }
      flushCatalog(session); // once per batch, after its data files
    }
    flushCatalog(session);
    ctx.progress.done();
    session.health.save();
    return {
      counts: {
        symbols: targets.length,
        fetched: jobs.length,
        missing: jobs.filter((j) => j.pass === "missing").length,
        stale: jobs.filter((j) => j.pass === "stale").length,
        ...outcomes,
        toxic: symbols.filter((r) => r.status === "toxic").length,
      },
      symbols,
      findings,
      errors,
      extra: { latency: { [opts.vendor.name]: latencySummary(latencies) } },
      lineage: { inputs: [{ name: opts.sourceName ?? opts.vendor.name, kind: "vendor", vendor: opts.vendor.name }], outputs },
    };
  } finally {
    lock.release();
  }
}

/** Decide what to fetch for one series, or why not to. Reads the stored file (a corrupt one is an error for it). */
function plan(ctx: RunContext, s: WriteSession, t: Target, opts: IngestOptions): Job | "skipped_toxic" | "fresh" {
  if (s.health.isToxic(t.sym.id) && !opts.force) {
    ctx.log.info(`${t.sym.id}: marked toxic in the health registry, skipped (use --force to re-ingest)`);
    return "skipped_toxic";
  }
  const req: FetchRequest = { symbol: t.sym, profile: t.profile, interval: t.interval };
  const stored = s.lh.readSync(t.sym, t.interval);
  if (stored && healCatalogEntry(s, stored, t.sym.id, t.interval)) ctx.log.info(`${t.sym.id} ${t.interval}: catalog entry brought up to date with its file`);
  if (!stored || barCount(stored.bars) === 0) {
    if (opts.lookbackDays !== undefined) req.fromMs = ctx.now.getTime() - opts.lookbackDays * DAY;
    return { t, pass: "missing", req };
  }
  if (opts.refresh) return { t, pass: "refresh", stored, req };
  const bars = normalizeBars(stored.bars);
  const input = checkInput(ctx, t, bars, calendarFor(t.profile, ctx.reference));
  // Behind as soon as a newer completed bar is due (the stale check's allowance is for judging, not fetching).
  const st = staleness(input, s.options.get("stale"));
  if (!st || st.lagMs === 0) return "fresh";
  req.fromMs = bars.timestamp[bars.timestamp.length - 1]!; // refetch the last bar too: it may have been partial
  return { t, pass: "stale", stored, req };
}

/** The row of an asset skipped because the registry holds it as toxic: its stored range (if any) and quarantine files. */
function heldReport(s: WriteSession, t: Target): SymbolReport {
  const e = t.entry;
  const files = heldFiles(s.health, t.sym, t.interval);
  return {
    symbol: t.sym.id,
    interval: t.interval,
    profile: t.profile,
    status: "toxic",
    rows: e?.rows ?? 0,
    start: e?.start ?? null,
    end: e?.end ?? null,
    qualityScore: e?.qualityScore ?? null,
    outcome: "skipped_toxic",
    ...(files.length ? { quarantined: files } : {}),
  };
}

interface JobResult {
  outcome: Outcome;
  findings: Finding[];
  report?: SymbolReport;
  output?: LineageRef;
}

async function commitJob(ctx: RunContext, s: WriteSession, job: Job, fetched: FetchResult, opts: IngestOptions): Promise<JobResult> {
  const { t } = job;
  if (barCount(fetched.bars) === 0) {
    const msg = `${opts.vendor.name} returned no bars for ${t.sym.id} ${t.interval}${fetched.ticker ? ` (${fetched.ticker})` : ""}`;
    const severity = job.pass === "missing" ? s.options.get("no_data")!.severity("error") : "warning";
    return { outcome: "no_data", findings: [{ code: "no_data", severity, symbol: t.sym.id, interval: t.interval, message: msg, metrics: { rows: 0 } }] };
  }
  if (fetched.partial) ctx.log.warn(`${t.sym.id} ${t.interval}: ${opts.vendor.name} returned partial data (${barCount(fetched.bars)} bars); kept and flagged`);
  // Repeated or descending rows in what the vendor sent are reported, then normalised away.
  const raw = runChecks(checkInput(ctx, t, fetched.bars, calendarFor(t.profile, ctx.reference)), s.options, [duplicateRows, unsorted]);
  const c = await commitSeries(ctx, s, t, normalizeBars(fetched.bars), job.stored, opts.vendor.name, opts.force === true);
  c.findings.unshift(...raw);
  if (fetched.partial) c.report.partial = true;
  return c;
}
