// Measured freshness and completeness per lineage node: from the lakehouse (calendar-aware lag and coverage of each
// catalog series), foundation_health.json and the run records. Pure reads; "now" is ctx.now.
import { calendarFor } from "../calendar/index.ts";
import { coverageRatio } from "../checks/coverage.ts";
import { resolveCheckOptions } from "../checks/index.ts";
import { staleness } from "../checks/stale.ts";
import type { RunContext } from "../context.ts";
import { DqError } from "../errors.ts";
import type { RunRecord } from "../lakehouse/runs.ts";
import { withReleaseSchedules } from "../macro/cache.ts";
import { barCount } from "../model/bars.ts";
import { iso } from "../model/finding.ts";
import { assess, checkInput } from "../pipeline/assess.ts";
import { resolveTargets } from "../pipeline/targets.ts";
import type { SeriesRow } from "../report/summary.ts";
import type { StoredSeries } from "../store/types.ts";
import type { LineageNode, NodeId } from "./model.ts";

const HOUR_MS = 3_600_000;

/** One measured figure beside its target: `met` is null when there was nothing to measure. */
export interface Figure {
  value: number | null;
  target: number;
  met: boolean | null;
  /** How the value was obtained, in words (e.g. "worst of 12 series; median 0 h"). */
  basis: string;
}

/** Both figures of one node. */
export interface NodeMeasure {
  id: NodeId;
  freshness: Figure;
  completeness: Figure;
}

/** The lag and coverage of one catalog series as of now. */
export interface SeriesMeasure extends SeriesRow {
  lastExpected: string | null;
  lagHours: number | null;
  coverage: number | null;
  /** True when foundation_health.json holds a verdict for exactly this file (audit hash = catalog sha256). */
  audited: boolean;
}

/** Everything the lineage document and events are made of. */
export interface LineageMeasures {
  asOf: string;
  lakehouse: string;
  nodes: NodeMeasure[];
  series: SeriesMeasure[];
  /** Run records in file order (oldest first). */
  runs: RunRecord[];
  /** runs.jsonl lines skipped as malformed or torn. */
  skippedRunLines: number;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** When a run happened as far as the data is concerned: `asOf` if recorded, else the (pinned) now its id encodes, else its end. */
export function runAsOf(rec: RunRecord): string {
  if (typeof rec.asOf === "string" && !Number.isNaN(Date.parse(rec.asOf))) return new Date(rec.asOf).toISOString();
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(rec.runId);
  if (m) return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
  return rec.finishedAt;
}

/** The latest run (by as-of time, then file order) among `commands` that satisfies `ok`. */
export function lastRun(runs: readonly RunRecord[], commands: readonly string[], ok: (r: RunRecord) => boolean = () => true): RunRecord | undefined {
  let best: RunRecord | undefined;
  for (const r of runs) {
    if (!commands.includes(r.command) || !ok(r)) continue;
    if (!best || runAsOf(r) >= runAsOf(best)) best = r;
  }
  return best;
}

function ageFigure(nowMs: number, rec: RunRecord | undefined, target: number, what: string): Figure {
  if (!rec) return { value: null, target, met: null, basis: `no ${what} recorded` };
  const hours = round(Math.max(0, nowMs - Date.parse(runAsOf(rec))) / HOUR_MS, 2);
  return { value: hours, target, met: hours <= target, basis: `${rec.command} ${rec.runId} as of ${runAsOf(rec)}` };
}

function ratioFigure(num: number | undefined, den: number | undefined, target: number, basis: string): Figure {
  if (num === undefined || !den) return { value: null, target, met: null, basis: `not measurable: ${basis}` };
  const value = round(Math.max(0, Math.min(1, num / den)));
  return { value, target, met: value >= target, basis };
}

const FETCHING = ["ingest", "repair", "bootstrap", "flow"];
const INGESTING = ["ingest", "bootstrap", "flow"];
const n = (r: RunRecord | undefined, k: string): number | undefined => (typeof r?.counts?.[k] === "number" ? r.counts[k] : undefined);

/** Measure every catalog series: calendar-aware lag, coverage, status (all checks) and whether its audit is current. */
export async function measureSeries(ctx: RunContext): Promise<SeriesMeasure[]> {
  await withReleaseSchedules(ctx);
  const options = resolveCheckOptions(ctx.config);
  const health = await ctx.store.loadHealth();
  const targets = resolveTargets(ctx, await ctx.store.loadCatalog(), undefined, undefined);
  const out: SeriesMeasure[] = [];
  for (const t of targets) {
    const h = health.get(t.sym.id)?.intervals?.[t.interval];
    const base = { symbol: t.sym.id, interval: t.interval, profile: t.profile, audited: !!h && !!t.entry && h.audit_hash === t.entry.sha256 };
    let stored: StoredSeries | undefined;
    try {
      const read = await ctx.store.read(t.sym, t.interval, undefined);
      stored = read.kind === "ok" || read.kind === "uncataloged" ? read.stored : undefined;
    } catch (err) {
      if (!(err instanceof DqError)) throw err;
    }
    if (!stored || barCount(stored.bars) === 0) {
      out.push({
        ...base,
        status: "missing",
        rows: 0,
        start: null,
        end: null,
        lastExpected: null,
        lagHours: null,
        coverage: stored ? 0 : null,
        qualityScore: null,
      });
      continue;
    }
    const a = assess(ctx, t, stored.bars, options);
    const input = checkInput(ctx, t, stored.bars, calendarFor(t.calendar, ctx.reference));
    const s = staleness(input, options.get("stale"));
    const cov = coverageRatio(input);
    const ts = input.bars.timestamp;
    out.push({
      ...base,
      status: a.status,
      rows: ts.length,
      start: iso(ts[0]!),
      end: iso(ts[ts.length - 1]!),
      lastExpected: s ? iso(s.lastExpected) : null,
      lagHours: s ? round(s.lagMs / HOUR_MS, 2) : 0,
      coverage: round(cov.ratio),
      qualityScore: a.qualityScore,
    });
  }
  return out.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.interval < b.interval ? -1 : a.interval > b.interval ? 1 : 0));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function goldenMeasure(node: LineageNode, series: SeriesMeasure[]): NodeMeasure {
  const lags = series.map((s) => s.lagHours).filter((x): x is number => x !== null);
  const covs = series.map((s) => s.coverage ?? 0);
  const missing = series.filter((s) => s.lagHours === null).length;
  let freshness: Figure;
  if (!series.length) freshness = { value: null, target: node.freshnessSlaHours, met: null, basis: "no catalog series" };
  else {
    // A series without bars has no lag to measure: it can only count against the SLA.
    const worst = lags.length ? Math.max(...lags) : null;
    const basis = `worst of ${series.length} series; median ${lags.length ? round(median(lags), 2) : "—"} h${missing ? `; ${missing} without bars` : ""}`;
    freshness = { value: worst, target: node.freshnessSlaHours, met: worst !== null && worst <= node.freshnessSlaHours && missing === 0, basis };
  }
  let completeness: Figure;
  if (!series.length) completeness = { value: null, target: node.completenessTarget, met: null, basis: "no catalog series" };
  else {
    const mean = round(covs.reduce((a, b) => a + b, 0) / covs.length);
    const healthy = series.filter((s) => s.status === "healthy").length;
    const basis = `mean of ${series.length} series; min ${round(Math.min(...covs))}; healthy ${healthy}/${series.length}`;
    completeness = { value: mean, target: node.completenessTarget, met: mean >= node.completenessTarget, basis };
  }
  return { id: node.id, freshness, completeness };
}

/** Measure one node from the series and the runs as of `nowMs`. */
export function measureNode(node: LineageNode, series: SeriesMeasure[], runs: readonly RunRecord[], nowMs: number): NodeMeasure {
  // Fresh as the run `fresh` (named `what`), complete as `done` of `total` (basis: how, or why not measurable).
  const figures = (fresh: RunRecord | undefined, what: string, done: number | undefined, total: number | undefined, basis: string): NodeMeasure => ({
    id: node.id,
    freshness: ageFigure(nowMs, fresh, node.freshnessSlaHours, what),
    completeness: ratioFigure(done, total, node.completenessTarget, basis),
  });
  // A node fed by one kind of run: complete as what that run asked for minus what it missed.
  const shortfall = (r: RunRecord | undefined, what: string, total: number | undefined, missed: number, basis: (r: RunRecord) => string) =>
    figures(r, what, total === undefined ? undefined : total - missed, total, r ? basis(r) : `no ${what} recorded`);
  switch (node.id) {
    case "vendor_snapshots": {
      const r = lastRun(runs, FETCHING);
      const sym = n(r, "symbols");
      const bad = (n(r, "failed") ?? 0) + (n(r, "no_data") ?? 0);
      return shortfall(r, "fetching run", sym, bad, (r) => `${r.command} ${r.runId}: ${sym ?? "?"} requested, ${bad} failed or empty`);
    }
    case "normalised_bars": {
      const r = lastRun(runs, INGESTING);
      const fetched = n(r, "fetched");
      const q = n(r, "quarantined") ?? 0;
      return shortfall(r, "ingesting run", fetched, q, (r) => `${r.command} ${r.runId}: ${fetched ?? "?"} fetched, ${q} quarantined`);
    }
    case "golden_lakehouse":
      return goldenMeasure(node, series);
    case "quality_diagnostics": {
      const current = series.filter((s) => s.audited).length;
      const basis = series.length ? `${current} of ${series.length} catalog series audited as stored` : "no catalog series";
      return figures(lastRun(runs, ["audit", "flow"]), "audit", current, series.length, basis);
    }
    case "run_snapshots": {
      const written = lastRun(runs, ["snapshot"], (x) => (n(x, "copied") ?? 0) > 0);
      const attempt = lastRun(runs, ["snapshot"]);
      const copied = n(attempt, "copied");
      const asked = n(attempt, "symbols");
      const basis = attempt ? `${attempt.runId}: ${copied ?? "?"} of ${asked ?? "?"} assets copied` : "no snapshot recorded";
      return figures(written, "snapshot written", copied, asked, basis);
    }
    case "returns_matrix": {
      const r = lastRun(runs, ["snapshot"], (x) => (n(x, "copied") ?? 0) > 0);
      const observed = r?.symbols.reduce((a, s) => a + (typeof s.rows === "number" ? s.rows : 0), 0);
      const filled = n(r, "gapsFilled") ?? 0;
      const cells = observed === undefined ? undefined : observed + filled;
      const basis = r ? `${r.runId}: ${filled} neutral fills among ${cells ?? "?"} in-session cells` : "no snapshot recorded";
      return figures(r, "snapshot written", observed, cells, basis);
    }
    case "feature_store": {
      const r = lastRun(runs, ["features ingest"]);
      const asked = n(r, "symbols");
      const absent = n(r, "absent") ?? 0;
      return shortfall(r, "features ingest", asked, absent, (r) => `${r.runId}: ${asked ?? "?"} requested, ${absent} without a row`);
    }
  }
}

/** Measure the lakehouse and its runs; malformed or torn runs.jsonl lines are skipped with a warning, never fatal. */
export async function measureLineage(ctx: RunContext, nodes: readonly LineageNode[]): Promise<LineageMeasures> {
  await ctx.store.assertExists();
  let skipped = 0;
  const runs = await ctx.store.readRuns((line) => {
    skipped++;
    ctx.log.warn(`runs.jsonl line ${line} is malformed or torn (a writer killed mid-append?): skipped`);
  });
  const series = await measureSeries(ctx);
  const nowMs = ctx.now.getTime();
  return {
    asOf: ctx.now.toISOString(),
    lakehouse: ctx.store.location,
    nodes: nodes.map((node) => measureNode(node, series, runs, nowMs)),
    series,
    runs,
    skippedRunLines: skipped,
  };
}
