// What the audit learns from the metric history (Store.readMetrics) besides the bars: `metric_anomaly` when a metric
// of a series leaves its own recent range (src/metrics/anomaly.ts), and the feed breaks per vendor × interval:
// `feed_stalled` (no series of a vendor got a new bar although its calendar had sessions since the last audit) and
// `feed_stale` (most series of a vendor lag together: one finding instead of one `stale` per series).
import { calendarFor } from "../calendar/index.ts";
import type { Calendar } from "../calendar/types.ts";
import type { CheckOptions } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { anomalyOptions, deviation, FEED_STALE_META, FEED_STALLED_META, newBarsPerSession, perSession, type Sample } from "../metrics/anomaly.ts";
import { metricsOf } from "../metrics/collect.ts";
import type { Finding, Severity } from "../model/finding.ts";
import type { AuditedSeries } from "./audit-compose.ts";

/** The metrics judged for anomalies, as stored; newBarsPerSession is derived from `rows`. */
const JUDGED = ["coverage", "lagSessions", "findings"] as const;
const READ = ["rows", "lastBarMs", ...JUDGED];

const keyOf = (symbol: string, interval: string) => `${symbol} ${interval}`;
const vendorOf = (s: AuditedSeries) => s.target.entry?.source;

/** Add the history's findings to `findings` (the audit's, in place); `stale` findings a `feed_stale` covers leave it. */
export async function historyFindings(ctx: RunContext, series: readonly AuditedSeries[], findings: Finding[], options: Map<string, CheckOptions>) {
  const nowMs = ctx.now.getTime();
  const history = new Map<string, Map<string, { at: number; value: number }[]>>();
  for (const r of await ctx.store.readMetrics({ metrics: READ, command: "audit", beforeMs: nowMs })) {
    if (!r.symbol) continue;
    const k = keyOf(r.symbol, r.interval);
    let m = history.get(k);
    if (!m) history.set(k, (m = new Map()));
    let list = m.get(r.metric);
    if (!list) m.set(r.metric, (list = []));
    list.push({ at: r.at, value: r.value });
  }
  const current = new Map<string, number>();
  for (const r of metricsOf(ctx, { runId: ctx.runId, command: "audit", symbols: series.map((s) => s.report), findings }))
    current.set(`${keyOf(r.symbol, r.interval)} ${r.metric}`, r.value);
  const sessions = sessionCounter(ctx, nowMs);
  const added: Finding[] = [];
  const stalled = new Map<string, { due: number; moved: number; since: number }>();
  const anomaly = options.get("metric_anomaly");
  for (const s of series) {
    const k = keyOf(s.report.symbol, s.report.interval);
    const past = history.get(k);
    if (!past) continue;
    const session = sessions(s.target.calendar);
    const cur = session(nowMs);
    const samples = (metric: string) =>
      perSession((past.get(metric) ?? []).map((p) => ({ session: session(p.at), value: p.value }))).filter((p) => p.session < cur);
    if (anomaly?.enabled) {
      const o = anomalyOptions(anomaly.scope({ interval: s.target.interval, profile: s.target.profile, symbol: s.target.sym.id }));
      const judge = (metric: string, hist: readonly Sample[], value: number | undefined) => {
        if (value === undefined) return;
        const d = deviation(
          hist.map((h) => h.value),
          value,
          o,
        );
        if (!d) return;
        const change = round(value - d.median);
        added.push({
          code: "metric_anomaly",
          severity: anomaly.severity("warning"),
          symbol: s.report.symbol,
          interval: s.report.interval,
          message: `${metric} ${round(value)} left its recent range: median ${round(d.median)} over the last ${d.sessions} sessions, robust σ ${round(d.sigma)}, change ${change > 0 ? "+" : ""}${change}`,
          metrics: {
            value: round(value),
            median: round(d.median),
            sigma: round(d.sigma),
            sessions: d.sessions,
            ...(Number.isFinite(d.z) ? { z: round(d.z) } : {}),
          },
          details: { metric },
        });
      };
      const rows = samples("rows");
      if (rows.length) {
        const rates = newBarsPerSession([...rows, { session: cur, value: s.report.rows }]);
        judge("newBarsPerSession", rates.slice(0, -1), rates[rates.length - 1]!.value);
      }
      for (const metric of JUDGED) judge(metric, samples(metric), current.get(`${k} ${metric}`));
    }
    // Stalled: the series was due a new bar since the last audit (its calendar closed one) and did not get it.
    const lastBars = past.get("lastBarMs") ?? [];
    const prev = lastBars.reduce<{ at: number; value: number } | undefined>((a, p) => (!a || p.at > a.at ? p : a), undefined);
    const vendor = vendorOf(s);
    const end = s.report.end ? Date.parse(s.report.end) : undefined;
    if (!prev || !vendor || end === undefined || session(prev.at) >= cur) continue;
    const due = (calendarFor(s.target.calendar, ctx.reference).lastCompleted(s.target.interval, nowMs) ?? 0) > prev.value;
    if (!due) continue;
    const g = keyOf(vendor, s.report.interval);
    const st = stalled.get(g) ?? { due: 0, moved: 0, since: prev.at };
    st.due++;
    if (end > prev.value) st.moved++;
    st.since = Math.min(st.since, prev.at);
    stalled.set(g, st);
  }
  const stalledOpts = options.get("feed_stalled");
  if (stalledOpts?.enabled)
    for (const [g, st] of stalled) {
      if (st.moved || st.due < stalledOpts.number("minSeries", FEED_STALLED_META.options.minSeries.default)) continue;
      const [vendor, interval] = g.split(" ") as [string, string];
      added.push({
        code: "feed_stalled",
        severity: stalledOpts.severity("warning"),
        interval,
        message: `vendor ${vendor} ${interval}: none of ${st.due} series got a new bar since the last audit (${new Date(st.since).toISOString()}) although sessions closed`,
        metrics: { series: st.due },
        details: { vendor },
      });
    }
  feedStale(series, findings, options.get("feed_stale"));
  findings.push(...added);
}

/** Replace the `stale` findings of a vendor × interval whose series lag together by one `feed_stale`. */
function feedStale(series: readonly AuditedSeries[], findings: Finding[], opts: CheckOptions | undefined) {
  if (!opts?.enabled) return;
  const minSeries = opts.number("minSeries", FEED_STALE_META.options.minSeries.default);
  const share = opts.number("share", FEED_STALE_META.options.share.default);
  const groups = new Map<string, { total: number; symbols: Set<string> }>();
  const vendorBySeries = new Map<string, string>();
  for (const s of series) {
    const vendor = vendorOf(s);
    if (!vendor) continue;
    vendorBySeries.set(keyOf(s.report.symbol, s.report.interval), vendor);
    const g = groups.get(keyOf(vendor, s.report.interval)) ?? { total: 0, symbols: new Set<string>() };
    g.total++;
    groups.set(keyOf(vendor, s.report.interval), g);
  }
  const groupOf = (f: Finding) => {
    const vendor = f.symbol && f.interval ? vendorBySeries.get(keyOf(f.symbol, f.interval)) : undefined;
    return vendor ? keyOf(vendor, f.interval!) : undefined;
  };
  for (const f of findings) if (f.code === "stale") groups.get(groupOf(f) ?? "")?.symbols.add(f.symbol!);
  for (const [g, { total, symbols }] of groups) {
    if (symbols.size < minSeries || symbols.size < share * total) continue;
    const [vendor, interval] = g.split(" ") as [string, string];
    const covered = findings.filter((f) => f.code === "stale" && groupOf(f) === g);
    const severity: Severity = covered.some((f) => f.severity === "error") ? "error" : "warning";
    for (const f of covered) findings.splice(findings.indexOf(f), 1);
    const names = [...symbols].sort();
    findings.push({
      code: "feed_stale",
      severity: opts.severity(severity),
      interval,
      message: `vendor ${vendor} ${interval}: ${names.length} of ${total} series stale together (a vendor outage), e.g. ${names.slice(0, 3).join(", ")}`,
      metrics: { series: names.length, of: total },
      details: { vendor, symbols: names },
    });
  }
}

/** Per calendar, a numbering of its closed daily sessions: session(t) counts the sessions closed by t. */
function sessionCounter(ctx: RunContext, nowMs: number) {
  const cache = new Map<string, (t: number) => number>();
  const YEARS_MS = 5 * 366 * 86_400_000;
  return (calendar: string) => {
    let f = cache.get(calendar);
    if (!f) {
      const cal: Calendar = calendarFor(calendar, ctx.reference);
      const opens = cal.expected("1d", nowMs - YEARS_MS, nowMs);
      f = (t: number) => {
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
      cache.set(calendar, f);
    }
    return f;
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
