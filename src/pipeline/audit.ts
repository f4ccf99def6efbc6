import { basename } from "node:path";
import { collectGarbage } from "#runtime/gc.ts";
import { resolveCheckOptions } from "../checks/index.ts";
import { SERIES_STATUSES, type SeriesStatus } from "../checks/status.ts";
import { finding } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { DqError } from "../errors.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import type { HealthRegistry } from "../lakehouse/health.ts";
import { Lakehouse, seriesRange, sha256 } from "../lakehouse/store.ts";
import { type Bars, barCount } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { StepResult, SymbolReport } from "../report/summary.ts";
import { assess } from "./assess.ts";
import { heldFiles, heldTargets } from "./quarantined.ts";
import { resolveTargets, type Target } from "./targets.ts";

export interface AuditOptions {
  symbols?: SymbolId[];
  interval?: Interval;
  fromMs?: number;
  toMs?: number;
  /** Skip writing foundation_health.json and the catalog scores (read-only audit). */
  readOnly?: boolean;
  /** Without `symbols`: also list assets held in quarantine that have no catalog entry (default true). */
  held?: boolean;
}

/** One audited series (kept small: bars are dropped after checking so memory stays flat). */
export interface AuditedSeries {
  target: Target;
  report: SymbolReport;
  findings: Finding[];
  sha256: string | null;
  toxic: boolean;
}

const LARGE_SERIES = 100_000;

/** The health gate over the lakehouse: every check on every series, statuses, registry update. */
export async function runAudit(ctx: RunContext, opts: AuditOptions = {}): Promise<StepResult & { series: AuditedSeries[] }> {
  const lh = new Lakehouse(ctx.lakehouse);
  lh.assertExists();
  const options = resolveCheckOptions(ctx.config);
  const catalog = lh.loadCatalog();
  const health = lh.loadHealth();
  const targets = resolveTargets(ctx, catalog, opts.symbols, opts.interval);
  // A plain audit covers the whole lakehouse, quarantine included: toxic assets with no golden file are listed too.
  if (!opts.symbols?.length && opts.held !== false) targets.push(...heldTargets(ctx, health, catalog, opts.interval));
  await initParquet();

  const series: AuditedSeries[] = [];
  ctx.progress.start("audit", targets.length);
  for (const t of targets) {
    const one = auditOne(ctx, lh, t, options, opts, health);
    series.push(one);
    // A large series leaves tens of MB of decode garbage; collect it before the next file so memory stays flat.
    if (one.report.rows >= LARGE_SERIES) collectGarbage();
    ctx.progress.tick(1, one.report.status);
  }
  ctx.progress.done();

  const recorded = !opts.readOnly && targets.length ? await recordAudit(ctx, lh, series) : undefined;
  return summarise(lh, series, recorded ?? health);
}

function auditOne(ctx: RunContext, lh: Lakehouse, t: Target, options: ReturnType<typeof resolveCheckOptions>, opts: AuditOptions, health?: HealthRegistry): AuditedSeries {
  const base = { symbol: t.sym.id, interval: t.interval, profile: t.profile };
  let stored;
  try {
    stored = lh.readSync(t.sym, t.interval);
  } catch (err) {
    if (!(err instanceof DqError)) throw err;
    const f = finding(base, "unreadable", "error", err.message, undefined, { path: lh.pathFor(t.sym, t.interval) });
    return { target: t, findings: [f], sha256: null, toxic: false, report: { ...base, status: "missing", rows: 0, start: null, end: null, qualityScore: null } };
  }
  // An asset the registry holds in quarantine as toxic is `toxic`, with its files, whether or not a golden file exists.
  const files = health ? heldFiles(health, t.sym, t.interval) : [];
  // (Registries written before this finding existed recorded `missing` as the reason: not a reason for toxicity.)
  const reasons = health?.get(t.sym.id)?.reasons.filter((r) => r !== "missing" && r !== "quarantined") ?? [];
  const held = files.length ? heldFinding(base, files, reasons, options) : undefined;
  if (!stored) {
    if (held) return { target: t, findings: [held], sha256: null, toxic: true, report: { ...base, status: "toxic", rows: 0, start: null, end: null, qualityScore: null, quarantined: files } };
    const f = finding(base, "missing", options.get("missing")?.severity("error") ?? "error", `no lakehouse file ${lh.fileName(t.sym, t.interval)}`, undefined, { path: lh.pathFor(t.sym, t.interval) });
    return { target: t, findings: [f], sha256: null, toxic: false, report: { ...base, status: "missing", rows: 0, start: null, end: null, qualityScore: null } };
  }
  const a = assess(ctx, t, stored.bars, options, opts);
  const bars: Bars = a.bars;
  return {
    target: t,
    findings: held ? [...a.findings, held] : a.findings,
    sha256: stored.sha256,
    toxic: a.toxic || held !== undefined,
    report: { ...base, status: held ? "toxic" : a.status, rows: barCount(bars), ...seriesRange(bars), qualityScore: a.qualityScore, ...(held ? { quarantined: files } : {}) },
  };
}

/** The `quarantined` finding of a series held in quarantine as toxic (error unless configured otherwise). */
function heldFinding(base: { symbol: string; interval: Interval }, files: string[], reasons: string[], options: ReturnType<typeof resolveCheckOptions>): Finding {
  const severity = options.get("quarantined")?.severity("error") ?? "error";
  const why = reasons.length ? ` (${reasons.join(", ")})` : "";
  const f = finding(base, "quarantined", severity, `held in quarantine as toxic${why}: ${files.map((f) => basename(f)).join(", ")}`, { files: files.length }, { files, reasons });
  return { ...f, toxic: true };
}

/** Update foundation_health.json and catalog scores under the lock; returns the registry as saved. */
async function recordAudit(ctx: RunContext, lh: Lakehouse, series: AuditedSeries[]): Promise<HealthRegistry> {
  const lock = await lh.lock("audit", ctx.waitLockMs, (h) => ctx.log.info(`waiting for lakehouse lock held by pid ${h.pid} (${h.command})`));
  try {
    const health = lh.loadHealth();
    const catalog = lh.loadCatalog();
    const now = ctx.now.toISOString();
    const bySymbol = new Map<string, AuditedSeries[]>();
    for (const s of series) bySymbol.set(s.target.sym.id, [...(bySymbol.get(s.target.sym.id) ?? []), s]);
    for (const [symbol, list] of bySymbol) {
      const e = health.ensure(symbol);
      const quarantinedToxic = e.is_toxic && (e.quarantined?.length ?? 0) > 0;
      e.intervals ??= {};
      for (const s of list) {
        e.intervals[s.target.interval] = {
          status: s.report.status,
          rows: s.report.rows,
          audit_hash: s.sha256,
          // A series held in quarantine keeps the reasons it was quarantined for, not the code that says so.
          reasons: [...new Set(s.findings.flatMap((f) => (f.code === "quarantined" ? ((f.details?.reasons as string[] | undefined) ?? []) : [f.code])))],
          qualityScore: s.report.qualityScore,
        };
        const entry = catalog.get(symbol, s.target.interval);
        if (entry && s.sha256 && entry.sha256 !== s.sha256) {
          // A writer was killed between the data rename and the catalog save: the audited file is the truth.
          Object.assign(entry, { sha256: s.sha256, rows: s.report.rows, start: s.report.start, end: s.report.end });
        }
        if (entry && s.sha256 === entry.sha256) entry.qualityScore = s.report.qualityScore;
      }
      const all = Object.values(e.intervals);
      e.status = worstStatus(all.map((i) => i.status));
      e.reasons = [...new Set(all.flatMap((i) => i.reasons))].sort();
      e.audit_hash = sha256(all.map((i) => i.audit_hash ?? "-").join(","));
      e.last_audit = now;
      // An ingest-time quarantine stays toxic until a forced re-ingest clears it; the audit only adds marks.
      e.is_toxic = quarantinedToxic || list.some((s) => s.toxic);
      if (e.is_toxic) e.status = "toxic";
    }
    health.save();
    catalog.save();
    return health;
  } finally {
    lock.release();
  }
}

/** The most severe of several series statuses (SERIES_STATUSES lists them most severe first). */
function worstStatus(list: string[]): string {
  const rank = (s: string) => SERIES_STATUSES.indexOf(s as SeriesStatus);
  return list.reduce((w, s) => (rank(s) >= 0 && rank(s) < rank(w) ? s : w), "healthy");
}

/** Counts and the quarantine section, from the registry as this audit left it. */
function summarise(lh: Lakehouse, series: AuditedSeries[], health: HealthRegistry): StepResult & { series: AuditedSeries[] } {
  const counts: Record<string, number> = { symbols: series.length };
  for (const s of [...SERIES_STATUSES].reverse()) counts[s] = 0;
  for (const s of series) counts[s.report.status] = (counts[s.report.status] ?? 0) + 1;
  const quarantine = health
    .symbols()
    .filter((s) => (health.get(s)?.quarantined?.length ?? 0) > 0)
    .map((s) => ({ symbol: s, files: health.get(s)!.quarantined!, isToxic: health.get(s)!.is_toxic }));
  const inputs = series.filter((s) => s.sha256).map((s) => ({ name: lh.fileName(s.target.sym, s.target.interval), kind: "parquet", sha256: s.sha256!, symbol: s.target.sym.id, interval: s.target.interval }));
  return {
    counts,
    symbols: series.map((s) => s.report),
    findings: series.flatMap((s) => s.findings),
    extra: { quarantine },
    lineage: { inputs, outputs: [{ name: "foundation_health.json", kind: "registry" }] },
    series,
  };
}
