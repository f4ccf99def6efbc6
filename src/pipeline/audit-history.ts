// What the audit learns from the metric history (Store.readMetrics) besides the bars: `metric_anomaly` when a metric
// of a series leaves its own recent range (src/metrics/anomaly.ts), and the feed breaks per vendor × interval:
// `feed_stalled` (no series of a vendor got a new bar although its calendar had sessions since the last audit) and
// `feed_stale` (most series of a vendor lag together: one finding instead of one `stale` per series).
import { calendarFor } from "../calendar/index.ts";
import type { CheckOptions } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { FEED_STALE_META, FEED_STALLED_META } from "../metrics/anomaly.ts";
import { seriesKey as keyOf, sessionCounter } from "../metrics/history.ts";
import type { Finding, Severity } from "../model/finding.ts";
import type { AuditedSeries } from "./audit-compose.ts";
import { metricAnomalies, readHistory } from "./metric-anomaly.ts";

const vendorOf = (s: AuditedSeries) => s.target.entry?.source;

/** Add the history's findings to `findings` (the audit's, in place); `stale` findings a `feed_stale` covers leave it. */
export async function historyFindings(ctx: RunContext, series: readonly AuditedSeries[], findings: Finding[], options: Map<string, CheckOptions>) {
  const nowMs = ctx.now.getTime();
  const anomaly = options.get("metric_anomaly");
  const history = await readHistory(ctx, "audit", series, anomaly);
  const added = metricAnomalies(ctx, "audit", history, { series, findings }, anomaly);
  const sessions = sessionCounter(ctx, nowMs);
  const stalled = new Map<string, { due: number; moved: number; since: number }>();
  for (const s of series) {
    const past = history.get(keyOf(s.report.symbol, s.report.interval));
    if (!past) continue;
    const { session } = sessions(s.target.calendar);
    const cur = session(nowMs);
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
