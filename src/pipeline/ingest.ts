import { calendarFor } from "../calendar/index.ts";
import { duplicateRows } from "../checks/duplicate_rows.ts";
import { emptyRowsFinding } from "../checks/empty_rows.ts";
import { resolveCheckOptions, runChecks } from "../checks/index.ts";
import { staleness } from "../checks/stale.ts";
import { unsorted } from "../checks/unsorted.ts";
import type { RunContext } from "../context.ts";
import { type ErrorItem, InputError } from "../errors.ts";
import type { CatalogEntry } from "../lakehouse/catalog.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import type { StoredSeries } from "../lakehouse/store.ts";
import { allocBars, barCount, normalizeBars } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import { describeMs, firstOutsideWindow, TIME_WINDOW_TEXT } from "../model/time-window.ts";
import { latencySummary } from "../report/latency.ts";
import type { LineageRef, StepResult, SymbolReport } from "../report/summary.ts";
import { mapLimitSettled } from "../vendors/limits.ts";
import type { FetchRequest, FetchResult, Vendor } from "../vendors/types.ts";
import { checkInput } from "./assess.ts";
import { commitBatch, commitSeries, goldenReadFinding, holdBackUnfinished, openWriteSession, seriesFailure, type WriteSession } from "./commit.ts";
import { assertSameBasis } from "./price.ts";
import { heldFiles } from "./quarantined.ts";
import { resolveTargets, type Target } from "./targets.ts";

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
}

type Outcome = "written" | "unchanged" | "quarantined" | "no_data" | "fresh" | "failed" | "corrupt";

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
  const options = resolveCheckOptions(ctx.config);
  await initParquet();
  const session = await openWriteSession(ctx, "ingest", options);
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
  try {
    targets = resolveTargets(ctx, session.catalog, opts.symbols, opts.interval, findings);
    for (const t of targets) {
      session.writer.heartbeat();
      try {
        const job = await plan(ctx, session, t, opts);
        if (typeof job === "string") outcomes[job]++;
        else if ("finding" in job) {
          // Reported as a finding (the gate) and as this series' failure (nothing could be ingested into it).
          outcomes.corrupt++;
          findings.push(job.finding);
          fail(t, new InputError(job.finding.message, ""));
        } else jobs.push(job);
        // A toxic asset with nothing new to judge is still reported, as toxic, with its quarantined files.
        if (job === "fresh" && session.health.isToxic(t.sym.id)) symbols.push(heldReport(session, t));
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
          const r = commitJob(ctx, session, job, res.value, opts);
          if (res.value.latencyMs !== undefined) latencies.push(res.value.latencyMs);
          outcomes[r.outcome]++;
          outcome = r.outcome;
          findings.push(...r.findings);
          if (r.report) symbols.push(r.report);
          if (r.output) outputs.push(r.output);
        } catch (err) {
          fail(job.t, err);
        }
        session.writer.heartbeat();
        ctx.progress.tick(1, outcome);
      }
      await commitBatch(session); // once per batch: its files, catalog and registry entries land together
    }
    ctx.progress.done();
  } finally {
    try {
      await commitBatch(session); // whatever was staged before an unexpected stop still lands whole
    } finally {
      await session.writer.release();
    }
  }
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
}

/** Decide what to fetch for one series, or why not to (claiming it first). Reads the stored series (a corrupt one is an error for it). */
async function plan(ctx: RunContext, s: WriteSession, t: Target, opts: IngestOptions): Promise<Job | "fresh" | { finding: Finding }> {
  const req: FetchRequest = { symbol: t.sym, profile: t.profile, interval: t.interval };
  await s.writer.claim(t.sym.id);
  const entry = s.catalog.get(t.sym.id, t.interval);
  const refetch = opts.refresh || (opts.force && s.health.isToxic(t.sym.id));
  // Fresh by its catalog entry (committed with the file, so its last bar is the file's): nothing is decoded, and
  // nothing is written. A series that is fetched is read in full below and its hash verified before any merge.
  // A series stored on the other basis (--price) is refused, fresh or not: skipped in silence, the run would hide
  // that it did not get the prices it asked for.
  const sameBasis = () => assertSameBasis(`${t.sym.id} ${t.interval}`, entry, true, ctx.price ?? "raw");
  if (!refetch && entry && cataloguedFresh(ctx, s, t, entry)) {
    // Not decoded, but still checked to be the version the catalog recorded: a fresh series changed outside
    // dqctl is refused like any other (audit is not the only gate that sees it).
    const known = await ctx.store.readUnlessKnown(t.sym, t.interval, entry, (v) => v === entry.sha256);
    if (known.kind === "corrupt" || known.kind === "unreadable") return { finding: goldenReadFinding(t, known) };
    if (known.kind === "unchanged") {
      sameBasis();
      return "fresh";
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
  // A toxic mark is re-judged by every ingest of new data; --force re-fetches the whole history of such an asset,
  // so a vendor's correction (a split now adjusted, a bad print fixed) replaces what was stored.
  if (refetch) return { t, pass: "refresh", stored, req };
  const bars = normalizeBars(stored.bars);
  const input = checkInput(ctx, t, bars, calendarFor(t.calendar, ctx.reference));
  // Behind as soon as a newer completed bar is due (the stale check's allowance is for judging, not fetching).
  const st = staleness(input, s.options.get("stale"));
  if (!st || st.lagMs === 0) return "fresh";
  req.fromMs = bars.timestamp[bars.timestamp.length - 1]!; // refetch the last bar too: it may have been partial
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

/** The row of a fresh asset the registry holds as toxic: its stored range (if any) and quarantine files. */
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
    outcome: "fresh",
    ...(files.length ? { quarantined: files } : {}),
  };
}

interface JobResult {
  outcome: Outcome;
  findings: Finding[];
  report?: SymbolReport;
  output?: LineageRef;
}

function commitJob(ctx: RunContext, s: WriteSession, job: Job, fetched: FetchResult, opts: IngestOptions): JobResult {
  const { t } = job;
  // Rows the vendor's file held with every OHLCV cell empty were dropped by the vendor; they are reported here.
  const empty = emptyRowsFinding({ symbol: t.sym.id, interval: t.interval }, fetched.emptyRows, s.options.get("empty_rows")?.at(t.interval));
  const dropped = empty ? [empty] : [];
  if (barCount(fetched.bars) === 0) {
    const msg = `${opts.vendor.name} returned no bars for ${t.sym.id} ${t.interval}${fetched.ticker ? ` (${fetched.ticker})` : ""}`;
    const severity = job.pass === "missing" ? s.options.get("no_data")!.severity("error") : "warning";
    return {
      outcome: "no_data",
      findings: [...dropped, { code: "no_data", severity, symbol: t.sym.id, interval: t.interval, message: msg, metrics: { rows: 0 } }],
    };
  }
  // Every vendor's bars are range-checked before anything else reads them (the file vendor does it per row already).
  const bad = firstOutsideWindow(fetched.bars.timestamp);
  if (bad >= 0) {
    throw new InputError(
      `${opts.vendor.name} sent ${t.sym.id} ${t.interval} a bar at ${describeMs(fetched.bars.timestamp[bad]!)} (row ${bad + 1}), outside ${TIME_WINDOW_TEXT}`,
      "check the vendor's answer and its time unit; nothing was committed for this series",
    );
  }
  if (fetched.incomplete?.reason === "partial")
    ctx.log.warn(`${t.sym.id} ${t.interval}: ${opts.vendor.name} returned partial data (${barCount(fetched.bars)} bars); kept and flagged`);
  // Repeated or descending rows in what the vendor sent are reported, then normalised away.
  const raw = [...dropped, ...runChecks(checkInput(ctx, t, fetched.bars, calendarFor(t.calendar, ctx.reference)), s.options, [duplicateRows, unsorted])];
  const fit = holdBackUnfinished(ctx, t, normalizeBars(fetched.bars));
  if (fit.heldBack) ctx.log.debug(`${t.sym.id} ${t.interval}: ${fit.heldBack} unfinished or future bar(s) not committed`);
  if (barCount(fit.bars) === 0 && !job.stored) {
    return { outcome: "no_data", findings: [...raw, ...(fit.future ? [fit.future] : [])] };
  }
  const c = commitSeries(ctx, s, t, fit.bars, job.stored, opts.vendor.name);
  c.findings.unshift(...raw, ...(fit.future ? [fit.future] : []));
  if (fit.heldBack) c.report.heldBack = fit.heldBack;
  if (fetched.incomplete?.reason === "partial") c.report.partial = true;
  return c;
}
