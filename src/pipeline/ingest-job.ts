// One series of an ingest, from its planned fetch to its staged commit: the same code on the main thread
// (`--jobs 1`, and network vendors) and on a worker thread (ingest-worker.ts), so both report exactly the same.
import { calendarFor } from "../calendar/index.ts";
import { duplicateRows } from "../checks/duplicate_rows.ts";
import { emptyRowsFinding } from "../checks/empty_rows.ts";
import { runChecks } from "../checks/index.ts";
import { unsorted } from "../checks/unsorted.ts";
import type { RunContext } from "../context.ts";
import { InputError } from "../errors.ts";
import type { CatalogEntry } from "../lakehouse/catalog.ts";
import { barCount, normalizeBars } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import { describeMs, firstOutsideWindow, TIME_WINDOW_TEXT } from "../model/time-window.ts";
import type { LineageRef, SymbolReport } from "../report/summary.ts";
import type { StoredSeries } from "../store/types.ts";
import type { FetchRequest, FetchResult } from "../vendors/types.ts";
import { checkInput } from "./assess.ts";
import { commitSeries, goldenReadFinding, holdBackUnfinished, type SeriesSession } from "./commit.ts";
import type { Target } from "./targets.ts";

export type Outcome = "written" | "unchanged" | "quarantined" | "no_data" | "fresh" | "failed" | "corrupt";

/** A planned fetch: pass 1 (missing), pass 2 (stale, from the last stored bar) or a refetch of the whole history. */
export interface Job {
  t: Target;
  pass: "missing" | "stale" | "refresh";
  /** The catalog entry whose series is read, checked against its version and merged onto (absent: nothing stored). */
  entry?: CatalogEntry;
  /** Bars already read (a series the catalog does not describe, read while planning). */
  stored?: StoredSeries;
  req: FetchRequest;
}

/** What one series came to: its outcome, findings, report and lineage output. */
export interface JobResult {
  outcome: Outcome;
  findings: Finding[];
  report?: SymbolReport;
  output?: LineageRef;
  latencyMs?: number;
}

/** The stored series a job merges onto, or the finding that refuses it (a file that is not what the catalog recorded). */
export type Prepared = { stored: StoredSeries | undefined } | { refused: Finding };

/** Read and verify the stored series of a job. Never merge new bars onto a series that is not what the catalog recorded. */
export async function prepareJob(ctx: RunContext, job: Job): Promise<Prepared> {
  if (!job.entry) return { stored: job.stored };
  const { t } = job;
  const read = await ctx.store.read(t.sym, t.interval, job.entry);
  if (read.kind === "corrupt" || read.kind === "unreadable") return { refused: goldenReadFinding(t, read) };
  return { stored: read.kind === "missing" ? undefined : read.stored };
}

/**
 * Merge what the vendor sent onto the stored series, check it, and stage the commit in `s` (see commitSeries).
 * `vendor` names the source in messages and the catalog.
 */
export function commitJob(ctx: RunContext, s: SeriesSession, job: Job, stored: StoredSeries | undefined, fetched: FetchResult, vendor: string): JobResult {
  const { t } = job;
  // Rows the vendor's file held with every OHLCV cell empty were dropped by the vendor; they are reported here.
  const empty = emptyRowsFinding({ symbol: t.sym.id, interval: t.interval }, fetched.emptyRows, s.options.get("empty_rows")?.at(t.interval));
  const dropped = empty ? [empty] : [];
  if (barCount(fetched.bars) === 0) {
    const msg = `${vendor} returned no bars for ${t.sym.id} ${t.interval}${fetched.ticker ? ` (${fetched.ticker})` : ""}`;
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
      `${vendor} sent ${t.sym.id} ${t.interval} a bar at ${describeMs(fetched.bars.timestamp[bad]!)} (row ${bad + 1}), outside ${TIME_WINDOW_TEXT}`,
      "check the vendor's answer and its time unit; nothing was committed for this series",
    );
  }
  if (fetched.incomplete?.reason === "partial")
    ctx.log.warn(`${t.sym.id} ${t.interval}: ${vendor} returned partial data (${barCount(fetched.bars)} bars); kept and flagged`);
  // Repeated or descending rows in what the vendor sent are reported, then normalised away.
  // Those two read no split marks: `splits: []` spares runChecks its split scan of the whole series (a third of a check run).
  const order = { ...checkInput(ctx, t, fetched.bars, calendarFor(t.calendar, ctx.reference)), splits: [] };
  const raw = [...dropped, ...runChecks(order, s.options, [duplicateRows, unsorted])];
  const fit = holdBackUnfinished(ctx, t, normalizeBars(fetched.bars));
  if (fit.heldBack) ctx.log.debug(`${t.sym.id} ${t.interval}: ${fit.heldBack} unfinished or future bar(s) not committed`);
  if (barCount(fit.bars) === 0 && !stored) {
    return { outcome: "no_data", findings: [...raw, ...(fit.future ? [fit.future] : [])] };
  }
  const c = commitSeries(ctx, s, t, fit.bars, stored, vendor);
  c.findings.unshift(...raw, ...(fit.future ? [fit.future] : []));
  if (fit.heldBack) c.report.heldBack = fit.heldBack;
  if (fetched.incomplete?.reason === "partial") c.report.partial = true;
  return { outcome: c.outcome, findings: c.findings, report: c.report, output: c.output };
}

/** What a job came to: a result, or the stored file refused (reported as a finding and as the series' failure). */
export type Done = { result: JobResult } | { refused: Finding };

/** Prepare, fetch and commit one job (a worker's whole job; the main thread splits it to batch its fetches). */
export async function runJob(ctx: RunContext, s: SeriesSession, job: Job, fetch: (req: FetchRequest) => Promise<FetchResult>, vendor: string): Promise<Done> {
  const prep = await prepareJob(ctx, job);
  if ("refused" in prep) return prep;
  const fetched = await fetch(job.req);
  const result = commitJob(ctx, s, job, prep.stored, fetched, vendor);
  if (fetched.latencyMs !== undefined) result.latencyMs = fetched.latencyMs;
  return { result };
}
