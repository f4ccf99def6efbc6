// Recording an audit: the registry and catalog scores under the lock (re-checking what a writer changed meanwhile),
// the audit state for the next audit, and the counts of the summary.
import { SERIES_STATUSES, type SeriesStatus } from "../checks/status.ts";
import type { CheckOptions } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { type Catalog, seriesKey } from "../lakehouse/catalog.ts";
import type { HealthRegistry } from "../lakehouse/health.ts";
import { sha256 } from "../lakehouse/store.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { StepResult } from "../report/summary.ts";
import type { Store } from "../store/types.ts";
import type { AuditedSeries } from "./audit-compose.ts";
import { type AuditState, type SeriesState, saveAuditState, stateKeyOf } from "./audit-state.ts";
import { commitBatch, openWriteSession } from "./commit.ts";
import { resolveTargets, type Target } from "./targets.ts";
import { canonicalJson } from "./verify.ts";

/** What recording needs of the run: its check options and state, what it covered, and how to check a series again. */
export interface RecordRun {
  options: Map<string, CheckOptions>;
  state: AuditState;
  symbols?: SymbolId[];
  interval?: Interval;
  /** Audit one series again on this thread, against the registry under the lock. */
  recheck: (t: Target, health: HealthRegistry) => Promise<AuditedSeries>;
}

/**
 * Update foundation_health.json and catalog scores under the lock. Everything learned without the lock is checked
 * first: a series whose catalog entry changed meanwhile (a writer committed), or that looked corrupt, is audited
 * again under the lock, so the registry only ever describes the files as they are. The catalog's hashes, rows and
 * ranges are never written from an audit.
 */
export async function recordAudit(ctx: RunContext, unlocked: AuditedSeries[], r: RecordRun): Promise<{ series: AuditedSeries[]; health: HealthRegistry }> {
  const s = await openWriteSession(ctx, "audit", r.options);
  try {
    const now = ctx.now.toISOString();
    // Every symbol whose registry entry this audit writes is claimed first (in one order, so writers never deadlock).
    for (const symbol of [...new Set(unlocked.map((one) => one.target.sym.id))].sort()) await s.writer.claim(symbol);
    const series: AuditedSeries[] = [];
    for (const one of unlocked) {
      const entry = s.catalog.get(one.target.sym.id, one.target.interval);
      if (!one.corrupt && (entry?.sha256 ?? null) === one.catalogSha) {
        series.push(one);
        continue;
      }
      // Only a re-check is long work: the lease is renewed (and checked) before each, and by the commit, not for
      // each of thousands of series that are merely compared (a lock-file read and a futimes each).
      s.writer.heartbeat();
      const { entry: _stale, ...target } = one.target;
      series.push(await r.recheck(entry ? { ...target, entry } : target, s.health));
    }
    // Series the lock holder's recovery just cataloged (adopted files) belong to a whole-lakehouse audit too.
    if (!r.symbols?.length) {
      const seen = new Set(series.map((one) => seriesKey(one.target.sym.id, one.target.interval)));
      for (const t of resolveTargets(ctx, s.catalog, undefined, r.interval, [])) {
        if (seen.has(seriesKey(t.sym.id, t.interval))) continue;
        await s.writer.claim(t.sym.id);
        series.push(await r.recheck(t, s.health));
      }
    }
    const bySymbol = new Map<string, AuditedSeries[]>();
    for (const one of series) bySymbol.set(one.target.sym.id, [...(bySymbol.get(one.target.sym.id) ?? []), one]);
    for (const [symbol, list] of bySymbol) {
      const before = s.health.get(symbol);
      const was = before ? JSON.stringify(before) : undefined;
      const e = s.health.ensure(symbol);
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
          s.writer.touchCatalog(symbol, one.target.interval);
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
      // Only an entry this audit changed is journaled and written: an audit that finds what the last one did at the
      // same --now commits nothing (no journal, registry or catalog rewrite, no fsync).
      if (JSON.stringify(e) !== was) s.writer.touchHealth(symbol);
    }
    await commitBatch(s);
    // The audit state is a cache beside the commit (lose it and the next audit is full), so it is not journaled.
    const next = nextState(r.state, series, s.catalog);
    if (next) await saveAuditState(ctx.store, next);
    return { series, health: s.health };
  } finally {
    await s.writer.release();
  }
}

/** The audit state after this audit, or undefined when it is what the last one left. */
function nextState(prev: AuditState, series: AuditedSeries[], catalog: Catalog): AuditState | undefined {
  const next: AuditState = new Map(prev);
  let changed = false;
  // Series no longer cataloged (deleted) leave the state.
  for (const k of prev.keys()) {
    if (!catalog.byKey(k)) changed = next.delete(k) || changed;
  }
  for (const one of series) {
    const k = stateKeyOf(one.target);
    if (one.state) {
      if (!sameState(prev.get(k), one.state)) changed = true;
      next.set(k, one.state);
    } else changed = next.delete(k) || changed;
  }
  return changed ? next : undefined;
}

/**
 * Whether two states hold the same data. A state that crossed from a worker (structured clone) or was rebuilt by a
 * full check is another object with the same content, so identity is only the cheap first answer; the content is
 * compared as the JSON it is stored as, key order aside (a PostgreSQL store hands back jsonb in its own key order).
 * The same plain JSON (native, ~10× cheaper) already proves it for the usual case of the same key order; only
 * states that differ there are compared canonically.
 */
function sameState(a: SeriesState | undefined, b: SeriesState): boolean {
  return a === b || (a !== undefined && a.key === b.key && (JSON.stringify(a) === JSON.stringify(b) || canonicalJson(a) === canonicalJson(b)));
}

/** The most severe of several series statuses (SERIES_STATUSES lists them most severe first). */
function worstStatus(list: string[]): string {
  const rank = (s: string) => SERIES_STATUSES.indexOf(s as SeriesStatus);
  return list.reduce((w, s) => (rank(s) >= 0 && rank(s) < rank(w) ? s : w), "healthy");
}

/** Counts and the quarantine section, from the registry as this audit left it. */
export function summarise(store: Store, series: AuditedSeries[], health: HealthRegistry): StepResult & { series: AuditedSeries[] } {
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
      name: store.seriesName(s.target.sym, s.target.interval),
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
