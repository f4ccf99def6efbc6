import { calendarFor } from "../calendar/index.ts";
import type { CheckOptions } from "../checks/types.ts";
import { finding } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { asDqError, type DqError } from "../errors.ts";
import { type Catalog, keptGenesis } from "../lakehouse/catalog.ts";
import type { HealthRegistry } from "../lakehouse/health.ts";
import { Batch } from "../lakehouse/journal.ts";
import type { Lock } from "../lakehouse/lock.ts";
import { type GoldenRead, Lakehouse, type StoredSeries, seriesRange } from "../lakehouse/store.ts";
import { type Bars, barCount, barsEqual, mergeBars, takeRows } from "../model/bars.ts";
import { type Finding, iso } from "../model/finding.ts";
import { intervalMs } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { LineageRef, SymbolReport } from "../report/summary.ts";
import { assess } from "./assess.ts";
import { assertSameBasis, choosePrice } from "./price.ts";
import { profileOf, type Target } from "./targets.ts";

/** The lakehouse state a writer holds while it has the lock. */
export interface WriteSession {
  lh: Lakehouse;
  lock: Lock;
  catalog: Catalog;
  health: HealthRegistry;
  /** Changes since the last commit; `commitBatch` makes them durable together. */
  batch: Batch;
  options: Map<string, CheckOptions>;
}

/**
 * Take the lakehouse lock for a writing command, recover what an interrupted writer left (see Lakehouse.lock),
 * and load the catalog and registry as they are under the lock.
 */
export async function openWriteSession(ctx: RunContext, command: string, options: Map<string, CheckOptions>): Promise<WriteSession> {
  const lh = new Lakehouse(ctx.lakehouse);
  const recovery = { profileOf: (sym: SymbolId) => profileOf(ctx, sym), now: ctx.now, log: (m: string) => ctx.log.warn(m) };
  const lock = await lh.lock(command, ctx.waitLockMs, recovery, (h) => ctx.log.info(`waiting for lakehouse lock held by pid ${h.pid} (${h.command})`));
  try {
    const catalog = lh.loadCatalog();
    const health = lh.loadHealth();
    return { lh, lock, catalog, health, batch: new Batch(lh.root, catalog, health), options };
  } catch (err) {
    lock.release();
    throw err;
  }
}

/**
 * Make the batch durable: data files, catalog entries and registry entries land together or not at all. The lease
 * is checked first: a writer that stalled past it and lost the lock stops here instead of writing.
 */
export function commitBatch(s: WriteSession): void {
  if (s.batch.empty) return;
  s.lock.heartbeat();
  s.batch.commit();
}

/** The codes whose findings make an asset toxic (a forced re-ingest with clean data clears them from the registry). */
const TOXIC_CODES = new Set(["toxic_return", "volume_spike", "price_stall", "split_suspected", "split_unadjusted"]);

export type CommitOutcome = "written" | "unchanged" | "quarantined";

export interface Commit {
  outcome: CommitOutcome;
  findings: Finding[];
  report: SymbolReport;
  output: LineageRef;
  merged: Bars;
}

/**
 * Golden means fit: bars that open after `now`, and the bar still in progress, are not committed. A bar in
 * progress is simply left for the next run; a bar from the future is reported.
 */
export function holdBackUnfinished(ctx: RunContext, t: Target, bars: Bars): { bars: Bars; heldBack: number; future: Finding | undefined } {
  const now = ctx.now.getTime();
  const iv = intervalMs(t.interval);
  const completed = calendarFor(t.calendar, ctx.reference).lastCompleted(t.interval, now);
  const keep: number[] = [];
  let future = 0;
  let firstFuture = Infinity;
  for (let i = 0; i < bars.timestamp.length; i++) {
    const ts = bars.timestamp[i]!;
    if (ts > now) {
      future++;
      firstFuture = Math.min(firstFuture, ts);
    } else if (ts + iv <= now || (completed !== undefined && ts <= completed)) keep.push(i);
  }
  const heldBack = bars.timestamp.length - keep.length;
  if (!heldBack) return { bars, heldBack: 0, future: undefined };
  const f = future
    ? finding(
        { symbol: t.sym.id, interval: t.interval },
        "future_bar",
        "warning",
        `${future} bar(s) open after now (${ctx.now.toISOString()}), first ${iso(firstFuture)}: not committed`,
        { bars: future },
        { first: iso(firstFuture), now: ctx.now.toISOString() },
      )
    : undefined;
  return { bars: takeRows(bars, keep), heldBack, future: f };
}

/**
 * Merge normalised incoming bars into the stored series and judge the result. Toxic: the incoming bars go to
 * quarantine with their reasons, the registry marks the asset, and the golden file stays byte-identical.
 * Otherwise the merged series is staged (only when it changed) with its catalog and registry entries; all of it
 * lands at the next `commitBatch`.
 */
export function commitSeries(
  ctx: RunContext,
  s: WriteSession,
  t: Target,
  incoming: Bars,
  stored: StoredSeries | undefined,
  source: string,
  clearToxic = false,
): Commit {
  const base = { symbol: t.sym.id, interval: t.interval, profile: t.profile };
  const prev = s.catalog.get(t.sym.id, t.interval);
  // The run's price basis (--price): refused when it differs from the stored series', applied before the merge.
  const price = ctx.price ?? "raw";
  assertSameBasis(`${t.sym.id} ${t.interval}`, prev, stored !== undefined, price);
  incoming = choosePrice(incoming, price);
  const merged = stored ? mergeBars(stored.bars, incoming) : incoming;
  const verdict = assess(ctx, prev ? { ...t, entry: prev } : t, merged, s.options);
  const now = ctx.now.toISOString();
  const entry = s.health.ensure(t.sym.id);
  s.batch.touchHealth(t.sym.id);

  if (verdict.toxic) {
    const toxic = verdict.findings.filter((f) => f.toxic && f.severity === "error");
    const q = s.lh.quarantineFiles(
      t.sym,
      t.interval,
      incoming,
      { symbol: t.sym.id, interval: t.interval, vendor: source, quarantinedAt: now, reasons: toxic },
      now,
    );
    for (const [rel, bytes] of q.files) s.batch.stage(t.sym.id, rel, bytes);
    entry.is_toxic = true;
    entry.status = "toxic";
    entry.reasons = [...new Set([...entry.reasons, ...toxic.map((f) => f.code)])].sort();
    entry.quarantined = [...new Set([...(entry.quarantined ?? []), q.parquet])];
    ctx.log.warn(`${t.sym.id} ${t.interval}: toxic (${toxic.map((f) => f.code).join(", ")}), quarantined to ${q.parquet}`);
    return {
      outcome: "quarantined",
      findings: verdict.findings,
      merged: stored?.bars ?? incoming,
      output: { name: q.parquet, kind: "quarantine", symbol: t.sym.id, interval: t.interval },
      report: { ...base, status: "toxic", rows: barCount(incoming), ...seriesRange(incoming), qualityScore: verdict.qualityScore, quarantined: [q.parquet] },
    };
  }

  let outcome: CommitOutcome = "unchanged";
  let sha = stored?.sha256;
  const file = s.lh.fileName(t.sym, t.interval);
  if (!stored || !barsEqual(stored.bars, merged)) {
    sha = s.batch.stage(t.sym.id, file, s.lh.encode(merged)).sha256;
    outcome = "written";
  }
  // Earlier bars than the recorded genesis disprove it: cleared here, the one place an entry is written.
  const genesis = keptGenesis(prev?.genesis, merged.timestamp[0]);
  const genesisCleared = prev?.genesis && !genesis ? prev.genesis : undefined;
  if (genesisCleared) ctx.log.info(`${t.sym.id} ${t.interval}: bars before the recorded genesis ${genesisCleared} arrived; genesis cleared`);
  if (outcome === "written" || !prev || prev.sha256 !== sha || genesisCleared) {
    s.catalog.set({
      symbol: t.sym.id,
      interval: t.interval,
      profile: t.profile,
      path: file,
      rows: barCount(merged),
      ...seriesRange(merged),
      genesis,
      sha256: sha!,
      source,
      ingestedAt: now,
      qualityScore: verdict.qualityScore,
      price,
    });
    s.batch.touchCatalog(t.sym.id, t.interval);
  }
  if (clearToxic && entry.is_toxic) {
    entry.is_toxic = false;
    entry.reasons = entry.reasons.filter((r) => !TOXIC_CODES.has(r));
  }
  if (!entry.is_toxic) entry.status = verdict.status;
  return {
    outcome,
    findings: verdict.findings,
    merged,
    output: { name: file, kind: "parquet", sha256: sha!, symbol: t.sym.id, interval: t.interval, rows: barCount(merged) },
    report: {
      ...base,
      status: verdict.status,
      rows: barCount(merged),
      ...seriesRange(merged),
      qualityScore: verdict.qualityScore,
      outcome,
      price,
      ...(genesisCleared ? { genesisCleared } : {}),
    },
  };
}

/** The finding for a golden file that is not what the catalog recorded, or that cannot be decoded. */
export function goldenReadFinding(t: Target, r: Extract<GoldenRead, { kind: "corrupt" | "unreadable" }>): Finding {
  const base = { symbol: t.sym.id, interval: t.interval };
  if (r.kind === "corrupt") {
    return finding(
      base,
      "corrupt",
      "error",
      `${r.path}: content changed outside dqctl (sha256 ${r.actual.slice(0, 12)}…, catalog recorded ${r.expected.slice(0, 12)}…); not read as golden — restore it from a backup or snapshot, or delete it to ingest the series again`,
      { size: r.size },
      { path: r.path, expected: r.expected, actual: r.actual },
    );
  }
  return finding(base, "unreadable", "error", r.error.message, undefined, { path: r.path, actual: r.actual });
}

/** One line for a series that failed, naming it (any error: vendor, input, or a filesystem errno). */
export function seriesFailure(t: Target, err: unknown): DqError {
  const e = asDqError(err);
  if (!e.message.includes(t.sym.id)) e.message = `${t.sym.id} ${t.interval}: ${e.message}`;
  return e;
}
