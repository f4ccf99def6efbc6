import { basename } from "node:path";
import { collectGarbage } from "#runtime/gc.ts";
import { resolveCheckOptions } from "../checks/index.ts";
import { SERIES_STATUSES, type SeriesStatus } from "../checks/status.ts";
import { finding } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { seriesKey } from "../lakehouse/catalog.ts";
import type { HealthRegistry } from "../lakehouse/health.ts";
import { journalPending } from "../lakehouse/journal.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import { Lakehouse, seriesRange, sha256 } from "../lakehouse/store.ts";
import { type Bars, barCount } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { StepResult, SymbolReport } from "../report/summary.ts";
import { assess } from "./assess.ts";
import { commitBatch, goldenReadFinding, openWriteSession } from "./commit.ts";
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
  /** The file's hash as read (null when there is no file). */
  sha256: string | null;
  /** The catalog's hash when the series was read (null without an entry). */
  catalogSha: string | null;
  /** The file is not what the catalog recorded, or cannot be decoded. */
  corrupt: boolean;
  toxic: boolean;
}

const LARGE_SERIES = 100_000;

/** The health gate over the lakehouse: every check on every series, statuses, registry update. */
export async function runAudit(ctx: RunContext, opts: AuditOptions = {}): Promise<StepResult & { series: AuditedSeries[] }> {
  const lh = new Lakehouse(ctx.lakehouse);
  lh.assertExists();
  const options = resolveCheckOptions(ctx.config);
  await initParquet();
  // Read without the lock (audits run beside writers); what is written back is re-validated under the lock.
  const catalog = lh.loadCatalog();
  const health = lh.loadHealth();
  const unknown: Finding[] = []; // series with no calendar: reported, not audited
  const targets = resolveTargets(ctx, catalog, opts.symbols, opts.interval, unknown);
  // A plain audit covers the whole lakehouse, quarantine included: toxic assets with no golden file are listed too.
  if (!opts.symbols?.length && opts.held !== false) targets.push(...heldTargets(ctx, health, catalog, opts.interval));
  ctx.progress.start("audit", targets.length);
  let series: AuditedSeries[] = [];
  for (const t of targets) {
    const one = await auditSeries(ctx, lh, t, options, opts, health, !opts.readOnly);
    series.push(one);
    ctx.progress.tick(1, one.report.status);
  }
  ctx.progress.done();

  let recorded: HealthRegistry | undefined;
  if (!opts.readOnly && targets.length) ({ series, health: recorded } = await recordAudit(ctx, lh, series, options, opts));
  const result = summarise(lh, series, recorded ?? health);
  result.findings.unshift(...unknown);
  return result;
}

/**
 * Audit one series read without the lock. A file that does not match its catalog entry while a writer is mid-commit
 * (its journal is there) is read again once the commit is done; `settle` false leaves that to the locked pass.
 */
async function auditSeries(
  ctx: RunContext,
  lh: Lakehouse,
  t: Target,
  options: CheckMap,
  opts: AuditOptions,
  health: HealthRegistry | undefined,
  lockedPassFollows: boolean,
): Promise<AuditedSeries> {
  let one = auditOne(ctx, lh, t, options, opts, health);
  if (!lockedPassFollows) {
    const deadline = Date.now() + Math.max(ctx.waitLockMs, SETTLE_MS);
    while (one.corrupt && journalPending(lh.root) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      const entry = lh.loadCatalog().get(t.sym.id, t.interval);
      one = auditOne(ctx, lh, entry ? { ...t, entry } : t, options, opts, health);
    }
  }
  // A large series leaves tens of MB of decode garbage; collect it before the next file so memory stays flat.
  if (one.report.rows >= LARGE_SERIES) collectGarbage();
  return one;
}

type CheckMap = ReturnType<typeof resolveCheckOptions>;
const SETTLE_MS = 5_000;

function auditOne(ctx: RunContext, lh: Lakehouse, t: Target, options: CheckMap, opts: AuditOptions, health?: HealthRegistry): AuditedSeries {
  const base = { symbol: t.sym.id, interval: t.interval, profile: t.profile };
  const read = lh.readChecked(t.sym, t.interval, t.entry);
  const catalogSha = t.entry?.sha256 ?? null;
  if (read.kind === "corrupt" || read.kind === "unreadable") {
    const f = goldenReadFinding(t, read);
    return {
      target: t,
      findings: [f],
      sha256: read.actual,
      catalogSha,
      corrupt: true,
      toxic: false,
      report: { ...base, status: "corrupt", rows: 0, start: null, end: null, qualityScore: null, file: read.path },
    };
  }
  // An asset the registry holds in quarantine as toxic is `toxic`, with its files, whether or not a golden file exists.
  const files = health ? heldFiles(health, t.sym, t.interval) : [];
  // (Registries written before this finding existed recorded `missing` as the reason: not a reason for toxicity.)
  const reasons = health?.get(t.sym.id)?.reasons.filter((r) => r !== "missing" && r !== "quarantined") ?? [];
  const held = files.length ? heldFinding(base, files, reasons, options) : undefined;
  if (read.kind === "missing") {
    if (held)
      return {
        target: t,
        findings: [held],
        sha256: null,
        catalogSha,
        corrupt: false,
        toxic: true,
        report: { ...base, status: "toxic", rows: 0, start: null, end: null, qualityScore: null, quarantined: files },
      };
    const f = finding(base, "missing", options.get("missing")?.severity("error") ?? "error", `no lakehouse file ${lh.fileName(t.sym, t.interval)}`, undefined, {
      path: read.path,
    });
    return {
      target: t,
      findings: [f],
      sha256: null,
      catalogSha,
      corrupt: false,
      toxic: false,
      report: { ...base, status: "missing", rows: 0, start: null, end: null, qualityScore: null },
    };
  }
  const a = assess(ctx, t, read.stored.bars, options, opts);
  const bars: Bars = a.bars;
  return {
    target: t,
    findings: held ? [...a.findings, held] : a.findings,
    sha256: read.stored.sha256,
    catalogSha,
    corrupt: false,
    toxic: a.toxic || held !== undefined,
    report: {
      ...base,
      status: held ? "toxic" : a.status,
      rows: barCount(bars),
      ...seriesRange(bars),
      qualityScore: a.qualityScore,
      ...(held ? { quarantined: files } : {}),
    },
  };
}

/** The `quarantined` finding of a series held in quarantine as toxic (error unless configured otherwise). */
function heldFinding(base: { symbol: string; interval: Interval }, files: string[], reasons: string[], options: CheckMap): Finding {
  const severity = options.get("quarantined")?.severity("error") ?? "error";
  const why = reasons.length ? ` (${reasons.join(", ")})` : "";
  const f = finding(
    base,
    "quarantined",
    severity,
    `held in quarantine as toxic${why}: ${files.map((f) => basename(f)).join(", ")}`,
    { files: files.length },
    { files, reasons },
  );
  return { ...f, toxic: true };
}

/**
 * Update foundation_health.json and catalog scores under the lock. Everything learned without the lock is checked
 * first: a series whose catalog entry changed meanwhile (a writer committed), or that looked corrupt, is audited
 * again under the lock, so the registry only ever describes the files as they are. The catalog's hashes, rows and
 * ranges are never written from an audit.
 */
async function recordAudit(
  ctx: RunContext,
  lh: Lakehouse,
  unlocked: AuditedSeries[],
  options: CheckMap,
  opts: AuditOptions,
): Promise<{ series: AuditedSeries[]; health: HealthRegistry }> {
  const s = await openWriteSession(ctx, "audit", options);
  try {
    const now = ctx.now.toISOString();
    const series = unlocked.map((one) => {
      s.lock.heartbeat();
      const entry = s.catalog.get(one.target.sym.id, one.target.interval);
      if (!one.corrupt && (entry?.sha256 ?? null) === one.catalogSha) return one;
      const { entry: _stale, ...target } = one.target;
      return auditOne(ctx, lh, entry ? { ...target, entry } : target, options, opts, s.health);
    });
    // Series the lock holder's recovery just cataloged (adopted files) belong to a whole-lakehouse audit too.
    if (!opts.symbols?.length) {
      const seen = new Set(series.map((one) => seriesKey(one.target.sym.id, one.target.interval)));
      for (const t of resolveTargets(ctx, s.catalog, undefined, opts.interval, [])) {
        if (!seen.has(seriesKey(t.sym.id, t.interval))) series.push(auditOne(ctx, lh, t, options, opts, s.health));
      }
    }
    const bySymbol = new Map<string, AuditedSeries[]>();
    for (const one of series) bySymbol.set(one.target.sym.id, [...(bySymbol.get(one.target.sym.id) ?? []), one]);
    for (const [symbol, list] of bySymbol) {
      const e = s.health.ensure(symbol);
      s.batch.touchHealth(symbol);
      const quarantinedToxic = e.is_toxic && (e.quarantined?.length ?? 0) > 0;
      e.intervals ??= {};
      for (const one of list) {
        e.intervals[one.target.interval] = {
          status: one.report.status,
          rows: one.report.rows,
          audit_hash: one.sha256,
          // A series held in quarantine keeps the reasons it was quarantined for, not the code that says so.
          reasons: [...new Set(one.findings.flatMap((f) => (f.code === "quarantined" ? ((f.details?.reasons as string[] | undefined) ?? []) : [f.code])))],
          qualityScore: one.report.qualityScore,
        };
        const entry = s.catalog.get(symbol, one.target.interval);
        if (entry && one.sha256 === entry.sha256 && entry.qualityScore !== one.report.qualityScore) {
          entry.qualityScore = one.report.qualityScore;
          s.batch.touchCatalog(symbol, one.target.interval);
        }
      }
      const all = Object.values(e.intervals);
      e.status = worstStatus(all.map((i) => i.status));
      e.reasons = [...new Set(all.flatMap((i) => i.reasons))].sort();
      e.audit_hash = sha256(all.map((i) => i.audit_hash ?? "-").join(","));
      e.last_audit = now;
      // An ingest-time quarantine stays toxic until a forced re-ingest clears it; the audit only adds marks.
      e.is_toxic = quarantinedToxic || list.some((one) => one.toxic);
      if (e.is_toxic) e.status = "toxic";
    }
    commitBatch(s);
    return { series, health: s.health };
  } finally {
    s.lock.release();
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
  const inputs = series
    .filter((s) => s.sha256 && !s.corrupt)
    .map((s) => ({
      name: lh.fileName(s.target.sym, s.target.interval),
      kind: "parquet",
      sha256: s.sha256!,
      symbol: s.target.sym.id,
      interval: s.target.interval,
    }));
  return {
    counts,
    symbols: series.map((s) => s.report),
    findings: series.flatMap((s) => s.findings),
    extra: { quarantine },
    lineage: { inputs, outputs: [{ name: "foundation_health.json", kind: "registry" }] },
    series,
  };
}
