// The metric history as the anomaly rules and the report see it: rows of the store grouped per series and metric,
// reduced to one sample per closed session of the series' calendar (the last run of a session stands), with new bars
// per session derived from the row count and the revision rate from the bars replaced. One place for both, so the
// report marks exactly the runs the anomaly rules judged.
import { calendarFor } from "../calendar/index.ts";
import type { Calendar } from "../calendar/types.ts";
import type { RunContext } from "../context.ts";
import { newBarsPerSession, perSession } from "./anomaly.ts";
import type { MetricRow } from "./types.ts";

/** The stored metrics the rules judge as they are; newBarsPerSession and revisionRate are derived (see seriesSamples). */
export const JUDGED_STORED = ["coverage", "lagSessions", "findings"] as const;
/** Every metric the rules judge per series, in the order the report draws them. */
export const JUDGED = ["newBarsPerSession", ...JUDGED_STORED, "revisionRate"] as const;
/** The stored metrics the history needs to read. */
export const HISTORY_READ = ["rows", "lastBarMs", "barsReplaced", ...JUDGED_STORED];
/** The vendor metrics judged per run (a vendor has no calendar of its own). */
export const VENDOR_JUDGED = ["latencyP95Ms"] as const;

/**
 * Whose history a command's run is judged against: an audit against audits and flows (a flow's series are its
 * audit's), an ingest or repair against its own command's.
 */
export function historyCommands(command: string): string[] {
  return command === "audit" || command === "flow" || command === "report" ? ["audit", "flow"] : [command];
}

/** One session's sample: the session number, the value and when the run that measured it ran. */
export interface TimedSample {
  session: number;
  value: number;
  at: number;
}

/** A point of the stored history. */
interface Point {
  at: number;
  value: number;
}

/** Rows grouped as series key (`symbol interval`, vendor metrics: `vendor:<name>`) → metric → points, oldest first. */
export function groupHistory(rows: readonly MetricRow[]): Map<string, Map<string, Point[]>> {
  const out = new Map<string, Map<string, Point[]>>();
  for (const r of rows) {
    const k = r.symbol ? seriesKey(r.symbol, r.interval) : `vendor:${r.vendor}`;
    let m = out.get(k);
    if (!m) out.set(k, (m = new Map()));
    let list = m.get(r.metric);
    if (!list) m.set(r.metric, (list = []));
    list.push({ at: r.at, value: r.value });
  }
  for (const m of out.values()) for (const list of m.values()) list.sort((a, b) => a.at - b.at);
  return out;
}

/** The key of a series in groupHistory. */
export const seriesKey = (symbol: string, interval: string) => `${symbol} ${interval}`;

/**
 * Per judged metric, one sample per session of `session` (oldest first), from `past` (the stored points) and the
 * current run's values (`current`, at session `cur`, standing last), or just the past before `cur` without them.
 */
export function seriesSamples(
  past: Map<string, Point[]> | undefined,
  session: (t: number) => number,
  cur: { session: number; at: number; values: ReadonlyMap<string, number> } | undefined,
): Map<string, TimedSample[]> {
  const samples = (metric: string): TimedSample[] => {
    const pts = (past?.get(metric) ?? []).map((p) => ({ session: session(p.at), value: p.value, at: p.at }));
    const before = perSession(pts).filter((p) => !cur || p.session < cur.session);
    const v = cur?.values.get(metric);
    return cur && v !== undefined ? [...before, { session: cur.session, value: v, at: cur.at }] : before;
  };
  const out = new Map<string, TimedSample[]>();
  out.set("newBarsPerSession", newBarsPerSession(samples("rows")));
  for (const m of JUDGED_STORED) out.set(m, samples(m));
  // Bars replaced on re-fetch per bar held: the share of the series a vendor revised in that session.
  const rows = new Map(samples("rows").map((s) => [s.session, s.value]));
  out.set(
    "revisionRate",
    samples("barsReplaced").flatMap((s) => {
      const n = rows.get(s.session);
      return n ? [{ ...s, value: s.value / n }] : [];
    }),
  );
  return out;
}

/** Per calendar, a numbering of its closed daily sessions: `session(t)` counts the sessions closed by t. */
export function sessionCounter(ctx: RunContext, nowMs: number) {
  const cache = new Map<string, { session: (t: number) => number; since: (n: number) => number }>();
  const YEARS_MS = 5 * 366 * 86_400_000;
  return (calendar: string) => {
    let f = cache.get(calendar);
    if (!f) {
      const cal: Calendar = calendarFor(calendar, ctx.reference);
      const opens = cal.expected("1d", nowMs - YEARS_MS, nowMs);
      const session = (t: number) => {
        const last = cal.lastCompleted("1d", t);
        if (last === undefined) return 0;
        let lo = 0;
        let hi = opens.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (opens[mid]! <= last) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      // The open of the session `n` sessions before the current one: runs before it are older than `n` sessions.
      const since = (n: number) => opens[Math.max(0, session(nowMs) - n - 1)] ?? nowMs - YEARS_MS;
      f = { session, since };
      cache.set(calendar, f);
    }
    return f;
  };
}
