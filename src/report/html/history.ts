// The report's metric history: per series, the judged metrics one sample per session over the last sessions (the
// samples the anomaly rules judge, src/metrics/history.ts), with the sessions the rules flag as anomalies; per vendor,
// the fetch latency p95 per run. Packed as varints: thousands of series cost a few hundred kB.
import { resolveCheckOptions } from "../../checks/index.ts";
import type { RunContext } from "../../context.ts";
import { type AnomalyOptions, anomalyOptions, scanAnomalies } from "../../metrics/anomaly.ts";
import { metricsOf } from "../../metrics/collect.ts";
import {
  groupHistory,
  HISTORY_READ,
  historyCommands,
  JUDGED,
  seriesKey,
  seriesSamples,
  sessionCounter,
  type TimedSample,
  VENDOR_JUDGED,
} from "../../metrics/history.ts";
import type { Interval } from "../../model/interval.ts";
import type { Profile } from "../../model/profile.ts";
import type { Summary } from "../summary.ts";
import { varints } from "./encode.ts";

/** Sessions a sparkline shows (the anomalies are judged over the whole history read). */
export const SPARK_SESSIONS = 60;
/** Sessions read before the ones shown, so the first shown are judged as their run judged them. */
const LOOKBACK = 30;

/** One metric's sparkline: values as varints × scale (`~` where the metric has no sample) and the anomalous points. */
export interface Sparkline {
  metric: string;
  scale: number;
  v: string;
  /** Indices (into the shared runs) the anomaly rules flag. */
  anomalies: number[];
}

/** A series' (or vendor's) metric history: the runs that stand for each point, then a sparkline per metric. */
export interface HistoryDoc {
  /** Run times as minutes: the first, then deltas (varints). */
  t0: number;
  dt: string;
  sparks: Sparkline[];
}

/** What the history of one series needs from its section: who it is and the calendar its sessions follow. */
export interface HistorySeries {
  symbol: string;
  interval: Interval;
  profile: Profile;
  calendar: string;
}

/** The metric history the report draws: per series key (`symbol interval`) and per vendor. */
export async function reportHistory(
  ctx: RunContext,
  summary: Pick<Summary, "runId" | "command" | "symbols" | "findings"> & { latency?: unknown; stages?: unknown },
  series: readonly HistorySeries[],
): Promise<{ series: Map<string, HistoryDoc>; vendors: Map<string, HistoryDoc> }> {
  const nowMs = ctx.now.getTime();
  const sessions = sessionCounter(ctx, nowMs);
  const anomaly = resolveCheckOptions(ctx.config).get("metric_anomaly");
  const opts = (s?: HistorySeries): AnomalyOptions | undefined =>
    anomaly?.enabled ? anomalyOptions(s ? anomaly.scope({ interval: s.interval, profile: s.profile, symbol: s.symbol }) : anomaly) : undefined;
  let sinceMs = nowMs;
  for (const s of series) sinceMs = Math.min(sinceMs, sessions(s.calendar).since(SPARK_SESSIONS + LOOKBACK + (opts(s)?.window ?? 0)));
  const read = series.length ? await ctx.store.readMetrics({ sinceMs, metrics: [...HISTORY_READ, ...VENDOR_JUDGED] }) : [];
  // This run's own rows (already appended by an audit, never by a read-only report) come from its summary instead.
  const mine = historyCommands(summary.command);
  const history = groupHistory(read.filter((r) => r.runId !== summary.runId && r.at < nowMs && mine.includes(r.command)));
  const current = new Map<string, Map<string, number>>();
  for (const r of metricsOf(ctx, summary)) {
    const k = r.symbol ? seriesKey(r.symbol, r.interval) : `vendor:${r.vendor}`;
    current.set(k, (current.get(k) ?? new Map()).set(r.metric, r.value));
  }
  const out = new Map<string, HistoryDoc>();
  for (const s of series) {
    const k = seriesKey(s.symbol, s.interval);
    const { session } = sessions(s.calendar);
    const samples = seriesSamples(history.get(k), session, { session: session(nowMs), at: nowMs, values: current.get(k) ?? new Map() });
    const doc = pack(
      JUDGED.map((m) => [m, samples.get(m) ?? []] as const),
      opts(s),
    );
    if (doc) out.set(k, doc);
  }
  // Vendors: the latency of every run that fetched (ingest and flow), one point per run.
  const vendorRows = groupHistory(read.filter((r) => !r.symbol && r.vendor && r.runId !== summary.runId && r.at <= nowMs));
  const vendors = new Map<string, HistoryDoc>();
  const names = new Set([...vendorRows.keys(), ...[...current.keys()].filter((k) => k.startsWith("vendor:"))]);
  for (const k of [...names].sort()) {
    const lists = VENDOR_JUDGED.map((m) => {
      const pts = (vendorRows.get(k)?.get(m) ?? []).map((p, i) => ({ session: i, value: p.value, at: p.at }));
      const v = current.get(k)?.get(m);
      return [m, v === undefined ? pts : [...pts, { session: pts.length, value: v, at: nowMs }]] as const;
    });
    const doc = pack(lists, opts());
    if (doc) vendors.set(k.slice("vendor:".length), doc);
  }
  return { series: out, vendors };
}

/** The sparklines of metrics sampled on one timeline (session numbers), or undefined when none has two points. */
function pack(lists: readonly (readonly [string, readonly TimedSample[]])[], o: AnomalyOptions | undefined): HistoryDoc | undefined {
  const drawn = lists.filter(([, l]) => l.length >= 2);
  if (!drawn.length) return undefined;
  const at = new Map<number, number>();
  for (const [, l] of drawn) for (const p of l) at.set(p.session, Math.max(at.get(p.session) ?? 0, p.at));
  const timeline = [...at.keys()].sort((a, b) => a - b).slice(-SPARK_SESSIONS);
  const index = new Map(timeline.map((s, i) => [s, i]));
  const minutes = timeline.map((s) => Math.round(at.get(s)! / 60_000));
  const dt = minutes.map((m, i) => (i ? m - minutes[i - 1]! : 0));
  const sparks = drawn.map(([metric, l]) => {
    const flagged = o
      ? scanAnomalies(
          l.map((p) => p.value),
          o,
        )
      : [];
    const values: (number | null)[] = timeline.map(() => null);
    let max = 0;
    for (const p of l) if (index.has(p.session)) max = Math.max(max, Math.abs(p.value));
    // Three significant digits of the largest value shown.
    const scale = max > 0 ? 10 ** (Math.floor(Math.log10(max)) - 2) : 1;
    for (const p of l) {
      const i = index.get(p.session);
      if (i !== undefined) values[i] = Math.round(p.value / scale);
    }
    const anomalies = flagged.map((i) => index.get(l[i]!.session)).filter((i): i is number => i !== undefined);
    return { metric, scale, v: varints(values), anomalies };
  });
  return { t0: minutes[0]!, dt: varints(dt), sparks };
}
