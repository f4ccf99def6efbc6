// The HTML report's data: the run's summary (the one document every renderer reads) joined with the bars the
// lakehouse holds, golden and quarantined, packed small enough for thousands of series in one page.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { align, type MissingRange } from "../../calendar/align.ts";
import { calendarFor } from "../../calendar/index.ts";
import { isUnknown } from "../../calendar/resolve.ts";
import { isMarketCalendar, lowerBound, type MarketCalendar } from "../../calendar/sessions.ts";
import { codeInfo } from "../../checks/registry.ts";
import type { RunContext } from "../../context.ts";
import { decodeBars } from "../../lakehouse/parquet.ts";
import { seriesKey } from "../../metrics/history.ts";
import { type Bars, mergeBars, normalizeBars, sliceBars } from "../../model/bars.ts";
import type { Finding } from "../../model/finding.ts";
import { type Interval, parseInterval } from "../../model/interval.ts";
import type { Profile } from "../../model/profile.ts";
import { parseSymbol } from "../../model/symbol.ts";
import { seriesCalendar } from "../../pipeline/targets.ts";
import type { Summary } from "../summary.ts";
import { closeOnly, detailWindows, downsample, type PackedBars, packBars } from "./encode.ts";
import { type HistoryDoc, type HistorySeries, reportHistory } from "./history.ts";

/** Series up to this many bars are shipped whole; longer ones as an overview plus full detail around each finding. */
export const FULL_BARS = 1_000;
const OVERVIEW_BUCKETS = 90;
const DETAIL_RADIUS = 10;
const MAX_WINDOWS = 8;
const MAX_SHADED = 400;

/** A finding as drawn: its code, severity, message and the bar timestamps (ms) it points at. */
export interface DrawnFinding {
  code: string;
  severity: string;
  message: string;
  ts: number[];
}

/** One chart's data: the overview (or every bar) and full-detail windows where findings are. */
export interface ChartData {
  ohlc: boolean;
  sampled: boolean;
  bars: PackedBars;
  detail: PackedBars[];
  /** The findings marked on it (absent on the golden chart: the series' own findings). */
  findings?: DrawnFinding[];
  /** Missing expected bars as [first open, last open, bars] (ms), oldest first. */
  missing: [number, number, number][];
}

/** The session-by-session coverage strip: runs of [state, sessions, first session label ms]; 0 ok, 1 partial, 2 missing. */
export interface CoverageStrip {
  sessions: number;
  runs: [number, number, number][];
}

/** One series section of the report. */
export interface SeriesDoc {
  symbol: string;
  interval: string;
  profile: string;
  calendar: string;
  status: string;
  rows: number;
  start: string | null;
  end: string | null;
  score: number | null;
  findings: DrawnFinding[];
  golden?: ChartData;
  /** The newest quarantined version; `cutOut`: its file holds only bars cut out of the golden series (drawn in place). */
  quarantined?: ChartData & { file: string; cutOut: boolean };
  strip?: CoverageStrip;
  /** The metric history's sparklines (absent before two runs of history). */
  history?: HistoryDoc;
}

/** Everything the page shows. */
export interface ReportDoc {
  command: string;
  runId: string;
  generatedAt: string;
  status: string;
  exitCode: number;
  counts: Record<string, number>;
  series: SeriesDoc[];
  /** Per vendor, the fetch latency's history. */
  vendors: Record<string, HistoryDoc>;
}

const TS_KEYS = new Set(["timestamp", "timestamps", "from", "lastBar"]);

/** The bar timestamps a finding's evidence points at (details.*.timestamp, timestamps, ranges' from, lastBar). */
export function findingTimestamps(f: Pick<Finding, "details">): number[] {
  const out = new Set<number>();
  const walk = (v: unknown, key: string | undefined, depth: number): void => {
    if (depth > 4 || v === null || v === undefined) return;
    if (typeof v === "string") {
      if (key && TS_KEYS.has(key)) {
        const ms = Date.parse(v);
        if (Number.isFinite(ms)) out.add(ms);
      }
    } else if (Array.isArray(v)) for (const x of v) walk(x, key, depth + 1);
    else if (typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k, depth + 1);
  };
  walk(f.details, undefined, 0);
  return [...out].sort((a, b) => a - b);
}

const drawn = (f: Finding): DrawnFinding => ({ code: f.code, severity: f.severity, message: f.message, ts: findingTimestamps(f) });

/** The chart of one version of a series (golden or quarantined); `missing` from the calendar's alignment. */
function chartOf(bars: Bars, findings: DrawnFinding[], missing: readonly MissingRange[]): ChartData {
  const ohlc = !closeOnly(bars);
  const sampled = bars.timestamp.length > FULL_BARS;
  const stamps = findings.flatMap((f) => f.ts);
  const detail = sampled ? detailWindows(bars, stamps, DETAIL_RADIUS, MAX_WINDOWS).map(([a, b]) => packBars(sliceBars(bars, a, b), ohlc, 5)) : [];
  const overview = sampled ? packBars(downsample(bars, OVERVIEW_BUCKETS), ohlc, 4) : packBars(bars, ohlc, 5);
  return { ohlc, sampled, bars: overview, detail, missing: missing.slice(-MAX_SHADED).map((r) => [r.fromMs, r.toMs, r.bars]) };
}

/** Missing expected bars between the first and the last bar. */
function missingOf(calendar: MarketCalendar | undefined, interval: Interval, ts: Float64Array): MissingRange[] {
  return calendar && ts.length > 1 ? align(calendar, interval, ts, ts[0]!, ts[ts.length - 1]!).missing : [];
}

/** Each session between the first and last bar: ok, partly or wholly missing (run-length coded). */
export function coverageStrip(calendar: MarketCalendar, interval: Interval, ts: Float64Array, missing: readonly MissingRange[]): CoverageStrip | undefined {
  const n = ts.length;
  if (n === 0) return undefined;
  const from = ts[0]!;
  const to = ts[n - 1]!;
  const cells: [number, number][] = []; // [label, state]
  if (interval === "1d") {
    const exp = calendar.expected("1d", from, to);
    let r = 0;
    for (const e of exp) {
      while (r < missing.length && missing[r]!.toMs < e) r++;
      const m = missing[r];
      cells.push([e, m && m.fromMs <= e ? 2 : 0]);
    }
  } else {
    const exp = calendar.expected(interval, from, to);
    const gone = new Set<number>();
    for (const m of missing) for (let i = lowerBound(exp, m.fromMs); i < exp.length && exp[i]! <= m.toMs; i++) gone.add(exp[i]!);
    let i = 0;
    for (const s of calendar.sessionsBetween(from - 86_400_000, to + 86_400_000)) {
      if (s.closeMs <= from || s.openMs > to) continue;
      let want = 0;
      let lost = 0;
      while (i < exp.length && exp[i]! < s.openMs) i++;
      for (; i < exp.length && exp[i]! < s.closeMs; i++) {
        want++;
        if (gone.has(exp[i]!)) lost++;
      }
      if (want) cells.push([s.label, lost === 0 ? 0 : lost === want ? 2 : 1]);
    }
  }
  const runs: [number, number, number][] = [];
  for (const [label, state] of cells) {
    const last = runs[runs.length - 1];
    if (last && last[0] === state) last[1]++;
    else runs.push([state, 1, label]);
  }
  return { sessions: cells.length, runs };
}

/** The newest quarantined file of a series and the findings its reason file recorded. */
function quarantinedVersion(files: readonly string[]): { file: string; bars: Bars; findings: DrawnFinding[] } | undefined {
  const file = [...files].sort().at(-1);
  if (!file) return undefined;
  let bars: Bars;
  try {
    bars = normalizeBars(decodeBars(readFileSync(file), file));
  } catch {
    return undefined; // gone or unreadable: the overview still lists it
  }
  let findings: DrawnFinding[] = [];
  try {
    const reason = JSON.parse(readFileSync(file.replace(/\.parquet$/, ".reason.json"), "utf8")) as { reasons?: Finding[] };
    findings = (reason.reasons ?? []).map(drawn);
  } catch {
    // no reason file: the chart has no markers
  }
  return { file, bars, findings };
}

/** Build the report's data from a run's summary and the store (Parquet must be initialised). */
export async function buildReportDoc(ctx: RunContext, summary: Summary): Promise<ReportDoc> {
  const catalog = await ctx.store.loadCatalog();
  const held = new Map<string, string[]>();
  for (const q of (summary.quarantine as { symbol: string; files: string[] }[] | undefined) ?? []) held.set(q.symbol, q.files);
  const series: SeriesDoc[] = [];
  const judged: HistorySeries[] = [];
  for (const s of summary.symbols) {
    const sym = parseSymbol(s.symbol);
    const interval = parseInterval(s.interval);
    const own = summary.findings.filter((f) => f.symbol === s.symbol && (f.interval === undefined || f.interval === s.interval));
    const findings = own.map(drawn);
    const entry = catalog.get(sym.id, interval);
    const choice = seriesCalendar(ctx, sym, entry);
    const calName = isUnknown(choice) ? "" : choice.calendar;
    const cal = calName ? calendarFor(calName, ctx.reference) : undefined;
    const calendar = cal && isMarketCalendar(cal) ? cal : undefined;
    if (calName) judged.push({ symbol: s.symbol, interval, profile: s.profile as Profile, calendar: calName });
    const doc: SeriesDoc = {
      symbol: s.symbol,
      interval: s.interval,
      profile: s.profile,
      calendar: calName,
      status: s.status,
      rows: s.rows,
      start: s.start,
      end: s.end,
      score: s.qualityScore,
      findings,
    };
    // A corrupt or unreadable series has its finding saying so, and nothing to draw.
    const read = s.rows > 0 ? await ctx.store.read(sym, interval, entry) : undefined;
    const golden: Bars | undefined = read?.kind === "ok" || read?.kind === "uncataloged" ? read.stored.bars : undefined;
    if (golden?.timestamp.length) {
      const missing = missingOf(calendar, interval, golden.timestamp);
      doc.golden = chartOf(golden, findings, missing);
      if (calendar) {
        const strip = coverageStrip(calendar, interval, golden.timestamp, missing);
        if (strip) doc.strip = strip;
      }
    }
    const files = held.get(s.symbol);
    const q = files ? quarantinedVersion(files) : undefined;
    if (q?.bars.timestamp.length) {
      // Bars cut out of a commit are drawn in place, among the golden bars around them: the version the vendor sent.
      const bars = golden?.timestamp.length ? mergeBars(golden, q.bars) : q.bars;
      const chart = chartOf(bars, q.findings, missingOf(calendar, interval, bars.timestamp));
      doc.quarantined = { ...chart, findings: q.findings, file: basename(q.file), cutOut: golden !== undefined };
    }
    series.push(doc);
  }
  const history = await reportHistory(ctx, summary, judged);
  for (const doc of series) {
    const h = history.series.get(seriesKey(doc.symbol, doc.interval));
    if (h) doc.history = h;
  }
  return {
    command: summary.command,
    runId: summary.runId,
    generatedAt: summary.finishedAt,
    status: summary.status,
    exitCode: summary.exitCode,
    counts: summary.counts,
    series,
    vendors: Object.fromEntries(history.vendors),
  };
}

/** The explanation of every code the report mentions (code → rule and default severity). */
export function explanations(codes: Iterable<string>): Map<string, { rule: string; severity: string }> {
  const out = new Map<string, { rule: string; severity: string }>();
  for (const c of [...new Set(codes)].sort()) {
    const info = codeInfo(c);
    out.set(c, info ? { rule: info.rule, severity: info.severity } : { rule: "reported by dqctl; see `dqctl explain` for the list of codes", severity: "-" });
  }
  return out;
}
