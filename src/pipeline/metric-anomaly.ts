// `metric_anomaly` for any run that leaves metrics (audit, ingest, repair): each judged metric of each series (and
// each vendor's latency p95) against the same command's history in the store, read only as far back as the rules
// look (the since-window: the largest `window` of the run's series, in sessions of their calendars).
import type { CheckOptions } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { anomalyOptions, judgeAnomaly } from "../metrics/anomaly.ts";
import { metricsOf } from "../metrics/collect.ts";
import { groupHistory, HISTORY_READ, historyCommands, JUDGED, seriesKey, seriesSamples, sessionCounter, VENDOR_JUDGED } from "../metrics/history.ts";
import type { MetricRow } from "../metrics/types.ts";
import type { Finding } from "../model/finding.ts";
import type { SymbolReport } from "../report/summary.ts";
import type { Target } from "./targets.ts";

/** A series of the run as the history judges it: what the run reported and the target it follows. */
export interface JudgedSeries {
  report: SymbolReport;
  target: Pick<Target, "sym" | "interval" | "profile" | "calendar">;
}

/** The run's history: the store's rows of the commands it is judged against, before now (see groupHistory). */
export type History = ReturnType<typeof groupHistory>;

/** Sessions beyond `window` the rules need: one for new bars (a difference), `minHistory` to see a shift's episode. */
const SLACK = 2;

/** Read the since-window of `command`'s history that judging `series` needs (`extra` more metrics for the caller). */
export async function readHistory(
  ctx: RunContext,
  command: string,
  series: readonly JudgedSeries[],
  anomaly: CheckOptions | undefined,
  extra: readonly string[] = [],
): Promise<History> {
  const nowMs = ctx.now.getTime();
  const sessions = sessionCounter(ctx, nowMs);
  let sinceMs = nowMs;
  for (const s of series) {
    const o = anomaly ? anomalyOptions(anomaly.scope(scope(s))) : { window: 0, minHistory: 0 };
    sinceMs = Math.min(sinceMs, sessions(s.target.calendar).since(o.window + o.minHistory + SLACK));
  }
  // Vendor metrics are judged per run: their window is counted in runs, covered by the same days in practice.
  const rows = series.length
    ? await ctx.store.readMetrics({ sinceMs, beforeMs: nowMs, commands: historyCommands(command), metrics: [...HISTORY_READ, ...VENDOR_JUDGED, ...extra] })
    : [];
  return groupHistory(rows);
}

/** The `metric_anomaly` findings of an ingest or repair: its series reports matched to their targets. */
export async function runAnomalies(
  ctx: RunContext,
  command: string,
  targets: readonly Target[],
  run: { symbols: readonly SymbolReport[]; findings: readonly Finding[]; latency?: unknown },
  options: ReadonlyMap<string, CheckOptions>,
): Promise<Finding[]> {
  const anomaly = options.get("metric_anomaly");
  if (!anomaly?.enabled) return [];
  const byKey = new Map(targets.map((t) => [seriesKey(t.sym.id, t.interval), t]));
  const series = run.symbols.flatMap((report) => {
    const target = byKey.get(seriesKey(report.symbol, report.interval));
    return target ? [{ report, target }] : [];
  });
  const history = await readHistory(ctx, command, series, anomaly);
  return metricAnomalies(ctx, command, history, { series, findings: run.findings, latency: run.latency }, anomaly);
}

const scope = (s: JudgedSeries) => ({ interval: s.target.interval, profile: s.target.profile, symbol: s.target.sym.id });

/** The `metric_anomaly` findings of a run whose summary has `series`, `findings` and `latency` (ingest). */
export function metricAnomalies(
  ctx: RunContext,
  command: string,
  history: History,
  run: { series: readonly JudgedSeries[]; findings: readonly Finding[]; latency?: unknown },
  anomaly: CheckOptions | undefined,
): Finding[] {
  if (!anomaly?.enabled) return [];
  const nowMs = ctx.now.getTime();
  const current = new Map<string, Map<string, number>>();
  const rows: MetricRow[] = metricsOf(ctx, {
    runId: ctx.runId,
    command,
    symbols: run.series.map((s) => s.report),
    findings: [...run.findings],
    latency: run.latency,
  });
  for (const r of rows) {
    const k = r.symbol ? seriesKey(r.symbol, r.interval) : `vendor:${r.vendor}`;
    const m = current.get(k) ?? new Map<string, number>();
    m.set(r.metric, r.value);
    current.set(k, m);
  }
  const sessions = sessionCounter(ctx, nowMs);
  const out: Finding[] = [];
  const severity = anomaly.severity("warning");
  for (const s of run.series) {
    const k = seriesKey(s.report.symbol, s.report.interval);
    const past = history.get(k);
    if (!past) continue;
    const { session } = sessions(s.target.calendar);
    const cur = session(nowMs);
    const o = anomalyOptions(anomaly.scope(scope(s)));
    const samples = seriesSamples(past, session, { session: cur, at: nowMs, values: current.get(k) ?? new Map() });
    for (const metric of JUDGED) {
      const list = samples.get(metric) ?? [];
      const last = list[list.length - 1];
      if (!last || last.session !== cur) continue;
      const d = judgeAnomaly(
        list.slice(0, -1).map((p) => p.value),
        last.value,
        o,
      );
      if (d) out.push(anomalyFinding(metric, last.value, d, severity, { symbol: s.report.symbol, interval: s.report.interval }, { metric }));
    }
  }
  // A vendor's latency: one sample per run that fetched (it has no sessions of its own).
  for (const [k, values] of current) {
    if (!k.startsWith("vendor:")) continue;
    const vendor = k.slice("vendor:".length);
    for (const metric of VENDOR_JUDGED) {
      const value = values.get(metric);
      if (value === undefined) continue;
      const d = judgeAnomaly(
        (history.get(k)?.get(metric) ?? []).map((p) => p.value),
        value,
        anomalyOptions(anomaly),
      );
      if (d) out.push(anomalyFinding(metric, value, d, severity, {}, { metric, vendor }));
    }
  }
  return out;
}

function anomalyFinding(
  metric: string,
  value: number,
  d: NonNullable<ReturnType<typeof judgeAnomaly>>,
  severity: Finding["severity"],
  where: { symbol?: string; interval?: string },
  details: { metric: string; vendor?: string },
): Finding {
  const change = round(value - d.median);
  const who = details.vendor ? `vendor ${details.vendor}: ` : "";
  const unit = details.vendor ? "runs" : "sessions";
  return {
    code: "metric_anomaly",
    severity,
    ...where,
    message: `${who}${metric} ${round(value)} left its recent range: median ${round(d.median)} over the last ${d.sessions} ${unit}, robust σ ${round(d.sigma)}, change ${change > 0 ? "+" : ""}${change}`,
    metrics: { value: round(value), median: round(d.median), sigma: round(d.sigma), sessions: d.sessions, ...(Number.isFinite(d.z) ? { z: round(d.z) } : {}) },
    details,
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
