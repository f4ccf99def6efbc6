import { availableParallelism } from "node:os";
import { calendarFor } from "../calendar/index.ts";
import { resolveCheckOptions } from "../checks/index.ts";
import { staleness } from "../checks/stale.ts";
import type { RunContext } from "../context.ts";
import { type ErrorItem, InputError } from "../errors.ts";
import type { CatalogEntry } from "../lakehouse/catalog.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import { withReleaseSchedules } from "../macro/cache.ts";
import { type MacroOptions, refreshReleaseCalendar } from "../macro/calendar.ts";
import { allocBars, barCount, normalizeBars } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import { latencySummary } from "../report/latency.ts";
import type { LineageRef, StepResult, SymbolReport } from "../report/summary.ts";
import { mapLimitSettled } from "../vendors/limits.ts";
import type { FetchRequest, Vendor } from "../vendors/types.ts";
import { checkInput } from "./assess.ts";
import { commitBatch, goldenReadFinding, openWriteSession, seriesFailure, type WriteSession } from "./commit.ts";
import { commitJob, type Done, type Job, type Outcome, type Prepared, prepareJob, runJob } from "./ingest-job.ts";
import { runPooled } from "./ingest-pool.ts";
import { runAnomalies } from "./metric-anomaly.ts";
import { assertSameBasis } from "./price.ts";
import { heldFiles } from "./quarantined.ts";
import { resolveTargets, type Target, targetRow } from "./targets.ts";

export interface IngestOptions {
  vendor: Vendor;
  symbols: SymbolId[];
  interval: Interval;
  /** Re-fetch the whole history of assets the registry marks toxic (every ingest re-judges them on new data). */
  force?: boolean;
  /** Refetch fresh series too (the stored bar at a re-fetched timestamp is replaced). */
  refresh?: boolean;
  /** Pass 1 fetches missing assets over this many days back from now (default: all the vendor has). */
  lookbackDays?: number;
  /** What the vendor reads (a --source path or a base URL), for lineage. */
  sourceName?: string;
  /** Fetches in flight at once (the vendor's own limits still apply). */
  concurrency?: number;
  /** Worker threads for reading, checking and encoding a local vendor's series (default: the cores; 1: this thread). */
  jobs?: number;
  /** Ingesting from FRED: refresh its cached release calendar first (the environment its key may come from). */
  releaseCalendar?: MacroOptions;
}

const DAY = 86_400_000;

/** Committed together: a kill loses at most one group (the next run fetches it again); few, so the catalog is rewritten rarely. */
const GROUP_SERIES = 256;
const GROUP_MS = 2_000;

/**
 * Bring series up to date: fresh ones (judged from their catalog entry and the calendar) are skipped, toxic ones too
 * unless forced; pass 1 fetches missing series, pass 2 stale ones from their last bar. Each series is then merged,
 * checked and staged; staged series are committed atomically in groups (one fsync batch each on the lakehouse) under
 * the store's lock. On a store that stages off the writer's thread (the lakehouse: Store.openStager), a local vendor's
 * series are read, decoded, checked and encoded on `jobs` worker threads; results are adopted in job order, so the
 * summary, the catalog and the registry are those of a one-thread run.
 */
export async function runIngest(ctx: RunContext, opts: IngestOptions): Promise<StepResult> {
  const options = resolveCheckOptions(ctx.config);
  const session = await openWriteSession(ctx, "ingest", options);
  if (opts.releaseCalendar) {
    const fred = opts.symbols.filter((s) => s.exchange === "FRED").map((s) => s.id);
    await refreshReleaseCalendar(ctx, { ...opts.releaseCalendar, series: [...(opts.releaseCalendar.series ?? []), ...fred] });
  }
  await withReleaseSchedules(ctx);
  const outcomes: Record<Outcome, number> = { written: 0, unchanged: 0, quarantined: 0, no_data: 0, fresh: 0, failed: 0, corrupt: 0 };
  const findings: Finding[] = [];
  const errors: ErrorItem[] = [];
  const symbols: SymbolReport[] = [];
  const outputs: LineageRef[] = [];
  const latencies: number[] = [];
  const jobs: Job[] = [];
  let targets: Target[] = [];
  // Any error for one series (vendor, input, a filesystem errno) is that series' failure; the others go on.
  const fail = (t: Target, err: unknown) => {
    outcomes.failed++;
    errors.push(seriesFailure(t, err).toItem({ symbol: t.sym.id }));
  };
  const refused = (t: Target, f: Finding) => {
    // Reported as a finding (the gate) and as this series' failure (nothing could be ingested into it).
    outcomes.corrupt++;
    findings.push(f);
    fail(t, new InputError(f.message, ""));
  };
  const record = (job: Job, done: Done): Outcome => {
    if ("refused" in done) {
      refused(job.t, done.refused);
      return "corrupt";
    }
    const r = done.result;
    if (r.latencyMs !== undefined) latencies.push(r.latencyMs);
    outcomes[r.outcome]++;
    findings.push(...r.findings);
    if (r.report) symbols.push(r.report);
    if (r.output) outputs.push(r.output);
    return r.outcome;
  };
  let lastCommit = performance.now();
  let sinceCommit = 0;
  // After each series: commit the group once it is large or old enough, its temps synced together first.
  const settle = async (outcome: Outcome) => {
    session.writer.heartbeat();
    ctx.progress.tick(1, outcome);
    if (++sinceCommit < GROUP_SERIES && performance.now() - lastCommit < GROUP_MS) return;
    await commitBatch(session);
    sinceCommit = 0;
    lastCommit = performance.now();
  };
  try {
    targets = resolveTargets(ctx, session.catalog, opts.symbols, opts.interval, findings);
    // Planning decodes only a series the catalog does not describe (the rest is judged from entries).
    for (const t of targets) {
      session.writer.heartbeat();
      try {
        const job = await plan(ctx, session, t, opts);
        if (typeof job === "string") outcomes[job]++;
        else if ("finding" in job) refused(t, job.finding);
        else jobs.push(job);
        // A toxic asset with nothing new to judge is still reported, as toxic, with its quarantined files.
        if (job === "fresh" && session.health.isToxic(t.sym.id)) symbols.push(heldReport(session, t));
      } catch (err) {
        fail(t, err);
      }
    }
    jobs.sort((a, b) => Number(a.pass !== "missing") - Number(b.pass !== "missing")); // pass 1 before pass 2
    ctx.progress.start(`ingest ${opts.vendor.name}`, jobs.length);
    if (jobs.length) await initParquet(); // the staged series are encoded synchronously
    const workers = workerCount(ctx, session, opts, jobs.length);
    const inWorkers = workers > 1 ? await runPooled(ctx, session, jobs, opts, workers) : undefined;
    const batch = Math.max(1, opts.concurrency ?? 16);
    for (let i = 0; i < jobs.length; i += batch) {
      const slice = jobs.slice(i, i + batch);
      if (inWorkers) {
        // One at a time, in job order: a worker's answer is applied as it comes; a job no worker finished runs here.
        for (let k = 0; k < slice.length; k++) {
          const job = slice[k]!;
          const answer = await inWorkers.take(i + k);
          let outcome: Outcome = "failed";
          try {
            if (answer) {
              for (const [level, msg] of answer.logs) ctx.log[level](msg);
              session.writer.adopt!(answer.changes);
              outcome = record(job, answer.done);
            } else outcome = record(job, await runJob(ctx, session, job, (req) => opts.vendor.fetch(req), opts.vendor.name));
          } catch (err) {
            fail(job.t, err);
          }
          await settle(outcome);
        }
        continue;
      }
      // On this thread: the stored files of a fetch batch are verified first, then its fetches run concurrently.
      const prepared: (Prepared | { error: unknown })[] = [];
      for (const j of slice) prepared.push(await prepareJob(ctx, j).catch((err: unknown) => ({ error: err })));
      const wanted = slice.filter((_, k) => "stored" in prepared[k]!);
      const fetched = await mapLimitSettled(wanted, batch, (j) => opts.vendor.fetch(j.req));
      let f = 0;
      for (let k = 0; k < slice.length; k++) {
        const job = slice[k]!;
        const prep = prepared[k]!;
        let outcome: Outcome = "failed";
        try {
          if ("error" in prep) throw prep.error;
          if ("refused" in prep) outcome = record(job, prep);
          else {
            const res = fetched[f++]!;
            if (res.status === "rejected") throw res.reason;
            const result = commitJob(ctx, session, job, prep.stored, res.value, opts.vendor.name);
            if (res.value.latencyMs !== undefined) result.latencyMs = res.value.latencyMs;
            outcome = record(job, { result });
          }
        } catch (err) {
          fail(job.t, err);
        }
        await settle(outcome);
      }
    }
    await commitBatch(session);
    ctx.progress.done();
  } finally {
    try {
      await commitBatch(session); // whatever was staged before an unexpected stop still lands whole
    } finally {
      await session.writer.release();
    }
  }
  const latency = { [opts.vendor.name]: latencySummary(latencies) };
  findings.push(...(await runAnomalies(ctx, "ingest", targets, { symbols, findings, latency }, options)));
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
    extra: { latency },
    lineage: { inputs: [{ name: opts.sourceName ?? opts.vendor.name, kind: "vendor", vendor: opts.vendor.name }], outputs },
  };
}

/** Series per worker below which threads cost more than they save. */
const PER_WORKER = 8;

/**
 * Worker threads for this ingest: --jobs (default: the cores), only for a vendor a worker can make and a store whose
 * writer adopts what a worker staged (PostgreSQL is written on this thread), one when few jobs.
 */
function workerCount(ctx: RunContext, s: WriteSession, opts: IngestOptions, jobs: number): number {
  if (!opts.vendor.replica || !ctx.store.openStager || !s.writer.adopt) return 1;
  return Math.min(Math.max(1, Math.floor(opts.jobs ?? availableParallelism())), Math.floor(jobs / PER_WORKER));
}

/**
 * Decide what to fetch for one series (claiming it first), or why not to. A series the catalog lists is judged from
 * its entry (committed with its bars) once its version is checked: its bars are decoded by the job that merges onto
 * them. Otherwise what is there is read now. A series stored on the other basis (--price) is refused, fresh or not: skipped in
 * silence, the run would hide that it did not get the prices it asked for.
 */
async function plan(ctx: RunContext, s: WriteSession, t: Target, opts: IngestOptions): Promise<Job | "fresh" | { finding: Finding }> {
  const req: FetchRequest = { symbol: t.sym, profile: t.profile, interval: t.interval };
  await s.writer.claim(t.sym.id);
  const entry = s.catalog.get(t.sym.id, t.interval);
  const refetch = opts.refresh || (opts.force && s.health.isToxic(t.sym.id));
  const sameBasis = () => assertSameBasis(`${t.sym.id} ${t.interval}`, entry, true, ctx.price ?? "raw");
  if (entry && entry.rows > 0 && entry.end !== null) {
    // Hashed against its entry, not decoded: a series changed outside dqctl is refused like any other (audit is not
    // the only gate that sees it); one that is fetched is decoded, and verified again, by the job that merges onto it.
    const known = await ctx.store.readUnlessKnown(t.sym, t.interval, entry, (v) => v === entry.sha256);
    if (known.kind === "corrupt" || known.kind === "unreadable") return { finding: goldenReadFinding(t, known) };
    if (known.kind === "unchanged") {
      sameBasis();
      // A toxic mark is re-judged by every ingest of new data; --force re-fetches the whole history of such an asset,
      // so a vendor's correction (a split now adjusted, a bad print fixed) replaces what was stored.
      if (refetch) return { t, pass: "refresh", entry, req };
      // A series judged by its release calendar reads its period from its last observations: decoded (FRED series are small).
      if (ctx.releases?.[t.sym.id] ? await releasedFresh(ctx, s, t, entry) : cataloguedFresh(ctx, s, t, entry)) return "fresh";
      req.fromMs = Date.parse(entry.end); // refetch the last bar too: it may have been partial
      return { t, pass: "stale", entry, req };
    }
  }
  const read = await ctx.store.read(t.sym, t.interval, entry);
  // Never merge new bars onto a file that is not what the catalog recorded: that would launder the damage.
  if (read.kind === "corrupt" || read.kind === "unreadable") return { finding: goldenReadFinding(t, read) };
  const stored = read.kind === "missing" ? undefined : read.stored;
  if (!stored || barCount(stored.bars) === 0) {
    if (opts.lookbackDays !== undefined) req.fromMs = ctx.now.getTime() - opts.lookbackDays * DAY;
    return { t, pass: "missing", req };
  }
  sameBasis();
  if (refetch) return { t, pass: "refresh", stored, req };
  const bars = normalizeBars(stored.bars);
  const input = checkInput(ctx, t, bars, calendarFor(t.calendar, ctx.reference));
  // Behind as soon as a newer completed bar is due (the stale check's allowance is for judging, not fetching).
  const st = staleness(input, s.options.get("stale"));
  if (!st || st.lagMs === 0) return "fresh";
  req.fromMs = bars.timestamp[bars.timestamp.length - 1]!;
  return { t, pass: "stale", stored, req };
}

/** True when the catalog entry's last bar is the last one due: the series needs no fetch (if it is that version). */
function cataloguedFresh(ctx: RunContext, s: WriteSession, t: Target, entry: CatalogEntry): boolean {
  if (entry.rows === 0 || entry.end === null) return false;
  const last = allocBars(1);
  last.timestamp[0] = Date.parse(entry.end);
  const st = staleness(checkInput(ctx, t, last, calendarFor(t.calendar, ctx.reference)), s.options.get("stale"));
  return st === undefined || st.lagMs === 0;
}

/** True when a series with a release calendar has every observation its releases so far have published. */
async function releasedFresh(ctx: RunContext, s: WriteSession, t: Target, entry: CatalogEntry): Promise<boolean> {
  const read = await ctx.store.read(t.sym, t.interval, entry);
  if (read.kind !== "ok" && read.kind !== "uncataloged") return false; // fetched: the job reads it again and reports it
  const st = staleness(checkInput(ctx, t, normalizeBars(read.stored.bars), calendarFor(t.calendar, ctx.reference)), s.options.get("stale"));
  return st === undefined || st.lagMs === 0;
}

/** The row of a fresh asset the registry holds as toxic: its stored range (if any) and quarantine files. */
function heldReport(s: WriteSession, t: Target): SymbolReport {
  const e = t.entry;
  const files = heldFiles(s.health, t.sym, t.interval);
  return {
    ...targetRow(t),
    status: "toxic",
    rows: e?.rows ?? 0,
    start: e?.start ?? null,
    end: e?.end ?? null,
    qualityScore: e?.qualityScore ?? null,
    outcome: "fresh",
    ...(files.length ? { quarantined: files } : {}),
  };
}
