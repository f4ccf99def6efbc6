// The metrics a run leaves in the store, taken from its summary (the one document every command returns): per
// series rows, first/last bar, coverage, freshness lag in sessions, quality score, counts by finding code and the
// numeric fields the command reported (new bars, bars replaced, …); per vendor the fetch latency percentiles.

import { CACHE_METRICS } from "../cache/summary.ts";
import { calendarFor } from "../calendar/index.ts";
import { isUnknown } from "../calendar/resolve.ts";
import { isMarketCalendar } from "../calendar/sessions.ts";
import { sessionsBehind } from "../checks/stale.ts";
import type { RunContext } from "../context.ts";
import { type Interval, intervalMs, parseInterval } from "../model/interval.ts";
import type { Profile } from "../model/profile.ts";
import { parseSymbol } from "../model/symbol.ts";
import { seriesCalendar } from "../pipeline/targets.ts";
import type { Summary } from "../report/summary.ts";
import type { MetricRow } from "./types.ts";

const DAY_MS = 86_400_000;
/** Fields of a series row that are not metrics (identity, or text). */
const NOT_METRICS = new Set(["symbol", "interval", "profile", "status", "start", "end", "file", "quarantined"]);

/** Every metric row of one run. */
export function metricsOf(
  ctx: RunContext,
  summary: Pick<Summary, "runId" | "command" | "symbols" | "findings"> & { latency?: unknown; stages?: unknown; cache?: unknown },
): MetricRow[] {
  const at = ctx.now.getTime();
  const base = { runId: summary.runId, command: summary.command, at, vendor: "" };
  const out: MetricRow[] = [];
  const counts = new Map<string, Map<string, number>>();
  for (const f of summary.findings) {
    if (!f.symbol) continue;
    const key = `${f.symbol} ${f.interval ?? ""}`;
    const m = counts.get(key) ?? new Map<string, number>();
    m.set(f.code, (m.get(f.code) ?? 0) + 1);
    counts.set(key, m);
  }
  for (const s of summary.symbols) {
    const row = (metric: string, value: number | null | undefined) => {
      if (typeof value === "number" && Number.isFinite(value)) out.push({ ...base, symbol: s.symbol, interval: s.interval, metric, value });
    };
    for (const [k, v] of Object.entries(s)) if (!NOT_METRICS.has(k) && typeof v === "number") row(k, v);
    const first = s.start ? Date.parse(s.start) : undefined;
    const last = s.end ? Date.parse(s.end) : undefined;
    row("firstBarMs", first);
    row("lastBarMs", last);
    if (first !== undefined && last !== undefined) {
      const interval = parseInterval(s.interval);
      const { coverage, lagSessions } = calendarMetrics(ctx, s.symbol, interval, s.profile as Profile, s.rows, first, last);
      row("coverage", coverage);
      row("lagSessions", lagSessions);
    }
    let total = 0;
    for (const [code, n] of counts.get(`${s.symbol} ${s.interval}`) ?? []) {
      row(`findings.${code}`, n);
      // The history's own alarms stay out of the total it judges (they would feed the next run's median).
      if (code !== "metric_anomaly") total += n;
    }
    row("findings", total);
  }
  // An ingest's latency is top-level; a flow's is its ingest stage's.
  const stages = summary.stages as { ingest?: { latency?: unknown } } | undefined;
  const latency =
    ((summary.latency ?? stages?.ingest?.latency) as Record<string, { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null }> | undefined) ?? {};
  for (const [vendor, l] of Object.entries(latency))
    for (const [metric, v] of [
      ["latencyP50Ms", l.p50Ms],
      ["latencyP95Ms", l.p95Ms],
      ["latencyP99Ms", l.p99Ms],
    ] as const)
      if (typeof v === "number") out.push({ ...base, vendor, symbol: "", interval: "", metric, value: v });
  // The cache's counts of a run with --cache (vendor "cache"): hit rate over time, invalidations when bars land.
  const cache = summary.cache as Record<string, unknown> | undefined;
  if (cache && typeof cache.hits === "number")
    for (const [field, metric] of Object.entries(CACHE_METRICS)) {
      const v = cache[field];
      if (typeof v === "number") out.push({ ...base, vendor: "cache", symbol: "", interval: "", metric, value: v });
    }
  return out;
}

type CalendarMetrics = { coverage?: number | undefined; lagSessions?: number };
/** Per run, what calendarMetrics answered: an audit asks twice for every series (its history's judge, then its record). */
const memo = new WeakMap<RunContext, Map<string, CalendarMetrics>>();

/** Coverage (bars ÷ expected bars between the first and last bar) and sessions behind the last closed one (crypto: days). */
function calendarMetrics(ctx: RunContext, symbol: string, interval: Interval, profile: Profile, rows: number, first: number, last: number): CalendarMetrics {
  const key = `${symbol} ${interval} ${profile} ${rows} ${first} ${last} ${ctx.now.getTime()}`;
  let known = memo.get(ctx);
  if (!known) memo.set(ctx, (known = new Map()));
  const hit = known.get(key);
  if (hit) return hit;
  const out = computeCalendarMetrics(ctx, symbol, interval, profile, rows, first, last);
  known.set(key, out);
  return out;
}

function computeCalendarMetrics(
  ctx: RunContext,
  symbol: string,
  interval: Interval,
  profile: Profile,
  rows: number,
  first: number,
  last: number,
): CalendarMetrics {
  const sym = parseSymbol(symbol);
  const choice = seriesCalendar(ctx, sym, undefined);
  if (isUnknown(choice)) return {};
  const calendar = calendarFor(choice.calendar, ctx.reference);
  const expected = calendar.count?.(interval, first, last) ?? calendar.expected(interval, first, last).length;
  // Off-calendar bars are not coverage: the ratio is capped at 1.
  const coverage = expected ? Math.min(1, rows / expected) : undefined;
  const lagSessions =
    profile === "crypto" || !isMarketCalendar(calendar)
      ? Math.max(0, Math.floor((ctx.now.getTime() - last - intervalMs(interval)) / DAY_MS))
      : sessionsBehind({ calendar, interval, profile, nowMs: ctx.now.getTime() }, last);
  return { coverage, lagSessions };
}
