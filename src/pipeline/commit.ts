import type { CheckOptions } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import type { Catalog } from "../lakehouse/catalog.ts";
import type { HealthRegistry } from "../lakehouse/health.ts";
import { type Lakehouse, seriesRange, type StoredSeries } from "../lakehouse/store.ts";
import { type Bars, barCount, barsEqual, mergeBars, normalizeBars } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import type { LineageRef, SymbolReport } from "../report/summary.ts";
import { assess } from "./assess.ts";
import type { Target } from "./targets.ts";

/** The lakehouse state a writer holds while it has the lock. */
export interface WriteSession {
  lh: Lakehouse;
  catalog: Catalog;
  health: HealthRegistry;
  options: Map<string, CheckOptions>;
  /** Catalog entries changed since the last save (saved by `flushCatalog`, always after the data files). */
  catalogDirty?: boolean;
}

/** Save the catalog if entries changed. Call after the data files of those entries are renamed into place. */
export function flushCatalog(s: WriteSession): void {
  if (!s.catalogDirty) return;
  s.catalog.save();
  s.catalogDirty = false;
}

export type CommitOutcome = "written" | "unchanged" | "quarantined";

export interface Commit {
  outcome: CommitOutcome;
  findings: Finding[];
  report: SymbolReport;
  output: LineageRef;
  merged: Bars;
}

/**
 * Merge normalised incoming bars into the stored series and judge the result. Toxic: the incoming bars go to
 * quarantine with their reasons, the registry marks the asset, and the golden file stays byte-identical.
 * Otherwise the merged series is written atomically (only when it changed) and then the catalog is saved.
 */
export async function commitSeries(
  ctx: RunContext,
  s: WriteSession,
  t: Target,
  incoming: Bars,
  stored: StoredSeries | undefined,
  source: string,
  clearToxic = false,
): Promise<Commit> {
  const base = { symbol: t.sym.id, interval: t.interval, profile: t.profile };
  const merged = stored ? mergeBars(stored.bars, incoming) : incoming;
  const prev = s.catalog.get(t.sym.id, t.interval);
  const verdict = assess(ctx, prev ? { ...t, entry: prev } : t, merged, s.options);
  const now = ctx.now.toISOString();
  const entry = s.health.ensure(t.sym.id);

  if (verdict.toxic) {
    const toxic = verdict.findings.filter((f) => f.toxic && f.severity === "error");
    const path = await s.lh.quarantine(t.sym, t.interval, incoming, { symbol: t.sym.id, interval: t.interval, vendor: source, quarantinedAt: now, reasons: toxic }, now);
    entry.is_toxic = true;
    entry.status = "toxic";
    entry.reasons = [...new Set([...entry.reasons, ...toxic.map((f) => f.code)])].sort();
    entry.quarantined = [...(entry.quarantined ?? []), path];
    ctx.log.warn(`${t.sym.id} ${t.interval}: toxic (${toxic.map((f) => f.code).join(", ")}), quarantined to ${path}`);
    return {
      outcome: "quarantined",
      findings: verdict.findings,
      merged: stored?.bars ?? incoming,
      output: { name: path, kind: "quarantine", symbol: t.sym.id, interval: t.interval },
      report: { ...base, status: "toxic", rows: barCount(incoming), ...seriesRange(incoming), qualityScore: verdict.qualityScore, quarantined: [path] },
    };
  }

  let outcome: CommitOutcome = "unchanged";
  let sha = stored?.sha256;
  if (!stored || !barsEqual(stored.bars, merged)) {
    sha = (await s.lh.write(t.sym, t.interval, merged)).sha256;
    outcome = "written";
  }
  if (outcome === "written" || !prev || prev.sha256 !== sha) {
    s.catalog.set({
      symbol: t.sym.id,
      interval: t.interval,
      profile: t.profile,
      path: s.lh.fileName(t.sym, t.interval),
      rows: barCount(merged),
      ...seriesRange(merged),
      genesis: prev?.genesis ?? null,
      sha256: sha!,
      source,
      ingestedAt: now,
      qualityScore: verdict.qualityScore,
    });
    // Saved by flushCatalog after the data file is in place: the catalog never points at data that is not there.
    s.catalogDirty = true;
  }
  if (clearToxic && entry.is_toxic) {
    entry.is_toxic = false;
    entry.reasons = entry.reasons.filter((r) => r !== "toxic_return" && r !== "volume_spike" && r !== "price_stall");
  }
  if (!entry.is_toxic) entry.status = verdict.status;
  return {
    outcome,
    findings: verdict.findings,
    merged,
    output: { name: s.lh.fileName(t.sym, t.interval), kind: "parquet", sha256: sha!, symbol: t.sym.id, interval: t.interval, rows: barCount(merged) },
    report: { ...base, status: verdict.status, rows: barCount(merged), ...seriesRange(merged), qualityScore: verdict.qualityScore, outcome },
  };
}

/**
 * A writer killed between renaming a data file and saving the catalog leaves an entry whose hash is the previous
 * file's (the entry still points at real data). Whoever reads the file next brings the entry up to date.
 */
export function healCatalogEntry(s: WriteSession, stored: StoredSeries, symbol: string, interval: string): boolean {
  const entry = s.catalog.get(symbol, interval);
  if (!entry || entry.sha256 === stored.sha256) return false;
  const bars = normalizeBars(stored.bars);
  Object.assign(entry, { sha256: stored.sha256, rows: barCount(bars), ...seriesRange(bars) });
  s.catalogDirty = true;
  return true;
}
