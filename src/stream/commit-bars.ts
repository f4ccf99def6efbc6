// A batch of streamed bars through the normal commit path: grouped per series, merged onto what is stored, checked
// (quarantine included) and staged like any vendor's answer (commitJob), then committed together.
import { calendarFor } from "../calendar/index.ts";
import type { RunContext } from "../context.ts";
import { asDqError, type ErrorItem } from "../errors.ts";
import { allocBars, type Bars } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import { commitBatch, seriesFailure, type WriteSession } from "../pipeline/commit.ts";
import { commitJob, type Outcome, prepareJob } from "../pipeline/ingest-job.ts";
import { resolveTargets } from "../pipeline/targets.ts";
import type { LineageRef, SymbolReport } from "../report/summary.ts";
import type { StreamBar } from "./bar-message.ts";

/** What the batches of a run came to, per series (the last commit of a series stands) and in total. */
export interface BatchTally {
  outcomes: Record<Outcome, number>;
  findings: Map<string, Finding[]>;
  symbols: Map<string, SymbolReport>;
  outputs: Map<string, LineageRef>;
  errors: ErrorItem[];
}

/** A tally before the first batch. */
export function newTally(): BatchTally {
  return {
    outcomes: { written: 0, unchanged: 0, quarantined: 0, no_data: 0, fresh: 0, failed: 0, corrupt: 0 },
    findings: new Map(),
    symbols: new Map(),
    outputs: new Map(),
    errors: [],
  };
}

/** Which of `bars` are complete now (a bar still in progress, or from the future, waits: the caller naks it). */
export function isComplete(ctx: RunContext, calendarOf: (b: StreamBar) => string, b: StreamBar): boolean {
  const cal = calendarOf(b);
  if (!cal) return true; // no calendar for its exchange: commitBars reports it
  const last = calendarFor(cal, ctx.reference).lastCompleted(b.interval, ctx.now.getTime());
  return last !== undefined && b.timestamp <= last;
}

/**
 * Commit `bars` (complete ones) in one store commit: each series' bars are merged onto it (a bar at a stored
 * timestamp replaces it, so a redelivered message changes nothing), checked and staged; a series that fails is
 * reported and the others still land. Returns the series keys that failed (their messages are not acknowledged).
 */
export async function commitBars(ctx: RunContext, s: WriteSession, bars: readonly StreamBar[], tally: BatchTally): Promise<Set<string>> {
  const groups = new Map<string, StreamBar[]>();
  for (const b of bars) {
    const key = seriesKey(b);
    const g = groups.get(key);
    if (g) g.push(b);
    else groups.set(key, [b]);
  }
  const failed = new Set<string>();
  for (const [key, group] of groups) {
    const first = group[0]!;
    try {
      await s.writer.claim(first.sym.id);
      const unknown: Finding[] = [];
      const [t] = resolveTargets(ctx, s.catalog, [first.sym], first.interval, unknown);
      if (!t) {
        // No calendar for its exchange: reported, not committed (the message is dead-lettered by the caller).
        tally.findings.set(key, unknown);
        failed.add(key);
        continue;
      }
      const entry = s.catalog.get(t.sym.id, t.interval);
      const job = { t, pass: "stale" as const, ...(entry ? { entry } : {}), req: { symbol: t.sym, profile: t.profile, interval: t.interval } };
      const prep = await prepareJob(ctx, job);
      if ("refused" in prep) {
        tally.outcomes.corrupt++;
        tally.findings.set(key, [prep.refused]);
        tally.errors.push(seriesFailure(t, new Error(prep.refused.message)).toItem({ symbol: t.sym.id }));
        failed.add(key);
        continue;
      }
      const r = commitJob(ctx, s, job, prep.stored, { bars: toBars(group) }, "stream");
      tally.outcomes[r.outcome]++;
      tally.findings.set(key, r.findings);
      if (r.report) tally.symbols.set(key, r.report);
      if (r.output) tally.outputs.set(key, r.output);
    } catch (err) {
      tally.outcomes.failed++;
      const e = asDqError(err);
      if (!e.message.includes(first.sym.id)) e.message = `${key}: ${e.message}`;
      tally.errors.push(e.toItem({ symbol: first.sym.id }));
      failed.add(key);
    }
    s.writer.heartbeat();
  }
  await commitBatch(s);
  return failed;
}

/** `SYMBOL interval`: one series. */
export function seriesKey(b: Pick<StreamBar, "sym" | "interval">): string {
  return `${b.sym.id} ${b.interval}`;
}

/** One series' bars as columns, sorted, the last message for a timestamp winning (commitJob normalises the rest). */
function toBars(group: readonly StreamBar[]): Bars {
  const byTs = new Map<number, StreamBar>();
  for (const b of group) byTs.set(b.timestamp, b);
  const sorted = [...byTs.values()].sort((a, b) => a.timestamp - b.timestamp);
  const out = allocBars(sorted.length);
  sorted.forEach((b, i) => {
    out.timestamp[i] = b.timestamp;
    out.open[i] = b.open;
    out.high[i] = b.high;
    out.low[i] = b.low;
    out.close[i] = b.close;
    out.volume[i] = b.volume;
  });
  return out;
}
