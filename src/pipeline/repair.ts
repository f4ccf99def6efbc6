import { calendarFor } from "../calendar/index.ts";
import { missingRanges } from "../checks/gap.ts";
import { resolveCheckOptions } from "../checks/index.ts";
import type { RunContext } from "../context.ts";
import { type ErrorItem, InputError } from "../errors.ts";
import { type Catalog, keptGenesis, seriesRange } from "../lakehouse/catalog.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import { withReleaseSchedules } from "../macro/cache.ts";
import { type Bars, barCount, mergeBars, normalizeBars } from "../model/bars.ts";
import { type Finding, iso } from "../model/finding.ts";
import { type Interval, intervalMs } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import { describeMs, firstOutsideWindow, TIME_WINDOW_TEXT } from "../model/time-window.ts";
import type { LineageRef, StepResult, SymbolReport } from "../report/summary.ts";
import type { StoredSeries } from "../store/types.ts";
import type { Incomplete, Vendor } from "../vendors/types.ts";
import { checkInput } from "./assess.ts";
import { commitBatch, commitSeries, goldenReadFinding, holdBackUnfinished, openWriteSession, seriesFailure, type WriteSession } from "./commit.ts";
import { runAnomalies } from "./metric-anomaly.ts";
import { assertSameBasis } from "./price.ts";
import { resolveTargets, type Target, targetRow } from "./targets.ts";

export interface RepairOptions {
  vendor: Vendor;
  symbols?: SymbolId[];
  interval?: Interval;
  /** At most this many range fetches in the run. */
  maxFills?: number;
  /** Stop starting new fetches after this long (ms). */
  maxTimeMs?: number;
  /** Stop once this many bars have been fetched in the run. */
  maxCandles?: number;
  /** How far before the first bar a backfill asks (days); 0 turns backfill off. */
  backfillDays?: number;
  /** Clear the recorded genesis of the selected series first (a backfill then asks, and may prove it, again). */
  resetGenesis?: boolean;
  dryRun?: boolean;
  sourceName?: string;
}

/**
 * One fetch the repair plans: a missing range, or the backfill before the first bar. A `genesis` probe is never
 * planned: it follows a backfill that came back complete and empty, asking everything before the backfill's window
 * (no start: from the vendor's start of history).
 */
export interface RepairFetch {
  kind: "gap" | "backfill" | "genesis";
  fromMs?: number;
  toMs: number;
  bars?: number;
}

/** What repair intends for one series (also printed by --dry-run). */
export interface RepairPlan {
  symbol: string;
  interval: Interval;
  fetches: RepairFetch[];
}

const DAY = 86_400_000;

/**
 * The plan for one series: its calendar gaps newest first (each one bounded request around the missing range), then
 * a backfill unless a genesis at or before the first bar is recorded. Pure.
 */
export function planRepair(ctx: RunContext, t: Target, bars: Bars, backfillDays: number): RepairPlan {
  const input = checkInput(ctx, t, bars, calendarFor(t.calendar, ctx.reference));
  const fetches: RepairFetch[] = missingRanges(input).map((r) => ({ kind: "gap", fromMs: r.fromMs, toMs: r.toMs, bars: r.bars }));
  const first = input.bars.timestamp[0];
  // Genesis recorded (and not disproved by an earlier bar): never ask before it again.
  if (first !== undefined && backfillDays > 0 && !keptGenesis(t.entry?.genesis, first)) {
    fetches.push({ kind: "backfill", fromMs: first - backfillDays * DAY, toMs: first - intervalMs(t.interval) });
  }
  return { symbol: t.sym.id, interval: t.interval, fetches };
}

/**
 * Refetch calendar gaps (newest first) within the budgets, backfill before the first bar, record genesis only on
 * proof (see `repairOne`), commit. `--reset-genesis` clears the selected series' genesis first.
 */
export async function runRepair(ctx: RunContext, opts: RepairOptions): Promise<StepResult> {
  await ctx.store.assertExists();
  const options = resolveCheckOptions(ctx.config);
  await initParquet();
  await withReleaseSchedules(ctx);
  const backfillDays = opts.backfillDays ?? 365;
  // A dry run only reads; a repair takes the lock (and recovers what an interrupted writer left) first.
  const session = opts.dryRun ? undefined : await openWriteSession(ctx, "repair", options);
  const catalog = session?.catalog ?? (await ctx.store.loadCatalog());
  const counts = {
    symbols: 0,
    planned: 0,
    fetches: 0,
    barsFetched: 0,
    gapsFilled: 0,
    genesisRecorded: 0,
    genesisReset: 0,
    genesisCleared: 0,
    remainingGaps: 0,
    remainingBars: 0,
    skippedBudget: 0,
    failed: 0,
    corrupt: 0,
  };
  const plans: Record<string, unknown>[] = [];
  const symbols: SymbolReport[] = [];
  const findings: Finding[] = [];
  const errors: ErrorItem[] = [];
  const outputs: LineageRef[] = [];
  let targets: Target[] = [];
  try {
    targets = resolveTargets(ctx, catalog, opts.symbols, opts.interval, findings);
    counts.symbols = targets.length;
    const budget = { fills: opts.maxFills ?? Infinity, candles: opts.maxCandles ?? Infinity, deadline: Date.now() + (opts.maxTimeMs ?? Infinity) };
    ctx.progress.start(opts.dryRun ? "repair plan" : "repair", targets.length);
    for (const t of targets) {
      session?.writer.heartbeat();
      try {
        await session?.writer.claim(t.sym.id);
        const read = await ctx.store.read(t.sym, t.interval, catalog.get(t.sym.id, t.interval));
        if (read.kind === "corrupt" || read.kind === "unreadable") {
          // Filling gaps into a damaged file would make the damage look committed.
          counts.corrupt++;
          findings.push(goldenReadFinding(t, read));
          continue;
        }
        const stored = read.kind === "missing" ? undefined : read.stored;
        const reset = opts.resetGenesis ? resetGenesis(session, catalog, t) : undefined;
        if (reset) {
          counts.genesisReset++;
          // The plan below is made as if reset (a dry run shows the backfill it would ask), written only by a repair.
          t.entry = t.entry ? { ...t.entry, genesis: null } : t.entry;
          symbols.push(unchangedReport(t, stored?.bars, { genesisReset: reset }));
        }
        if (!stored || barCount(stored.bars) === 0) continue; // nothing to repair: a missing series is ingest's job
        // Refused even with no gap to fill, so a repair on the other basis never passes in silence.
        assertSameBasis(`${t.sym.id} ${t.interval}`, catalog.get(t.sym.id, t.interval), true, ctx.price ?? "raw");
        const plan = planRepair(ctx, t, normalizeBars(stored.bars), backfillDays);
        counts.planned += plan.fetches.length;
        plans.push({
          symbol: plan.symbol,
          interval: plan.interval,
          fetches: plan.fetches.map((f) => ({
            kind: f.kind,
            from: f.fromMs === undefined ? null : iso(f.fromMs),
            to: iso(f.toMs),
            ...(f.bars ? { bars: f.bars } : {}),
          })),
        });
        if (!session || plan.fetches.length === 0) continue;
        const r = await repairOne(ctx, session, t, plan, stored, opts, budget, counts);
        if (reset) symbols.pop(); // the repaired row replaces the reset-only one
        if (reset) r.report.genesisReset = reset;
        symbols.push(r.report);
        findings.push(...r.findings);
        if (r.output) outputs.push(r.output);
      } catch (err) {
        counts.failed++;
        errors.push(seriesFailure(t, err).toItem({ symbol: t.sym.id }));
      } finally {
        ctx.progress.tick();
      }
    }
    ctx.progress.done();
  } finally {
    if (session) {
      try {
        await commitBatch(session);
      } finally {
        await session.writer.release();
      }
    }
  }
  // A dry run records no metrics: its history is not judged either.
  if (session) findings.push(...(await runAnomalies(ctx, "repair", targets, { symbols, findings }, options)));
  return {
    counts,
    symbols,
    findings,
    errors,
    extra: { plan: plans, dryRun: opts.dryRun === true },
    lineage: { inputs: [{ name: opts.sourceName ?? opts.vendor.name, kind: "vendor", vendor: opts.vendor.name }], outputs },
  };
}

type Budget = { fills: number; candles: number; deadline: number };

async function repairOne(
  ctx: RunContext,
  s: WriteSession,
  t: Target,
  plan: RepairPlan,
  stored: StoredSeries,
  opts: RepairOptions,
  budget: Budget,
  counts: Record<string, number>,
) {
  const before = normalizeBars(stored.bars);
  const first = before.timestamp[0]!;
  let incoming: Bars | undefined;
  let genesis: string | undefined;
  const queue = [...plan.fetches];
  for (let f = queue.shift(); f; f = queue.shift()) {
    if (budget.fills <= 0 || budget.candles <= 0 || Date.now() >= budget.deadline) {
      counts.skippedBudget!++;
      if (f.kind === "genesis") ctx.log.info(`${t.sym.id} ${t.interval}: genesis not recorded: the probe before the backfill window was skipped by the budget`);
      continue;
    }
    // A deep fetch may already have filled a younger range: skip ranges that are now complete.
    if (f.kind === "gap" && incoming && covers(incoming, f)) continue;
    budget.fills--;
    counts.fetches!++;
    const res = await opts.vendor.fetch({
      symbol: t.sym,
      profile: t.profile,
      interval: t.interval,
      ...(f.fromMs === undefined ? {} : { fromMs: f.fromMs }),
      toMs: f.toMs,
    });
    const bad = firstOutsideWindow(res.bars.timestamp);
    if (bad >= 0)
      throw new InputError(
        `${opts.vendor.name} sent ${t.sym.id} ${t.interval} a bar at ${describeMs(res.bars.timestamp[bad]!)}, outside ${TIME_WINDOW_TEXT}`,
        "check the vendor's answer and its time unit; nothing was committed for this series",
      );
    const got = normalizeBars(res.bars);
    // What was downloaded, not what is kept: a vendor that fetched more than the window says so in barsReceived.
    const downloaded = res.barsReceived ?? barCount(got);
    budget.candles -= downloaded;
    counts.barsFetched! += downloaded;
    if (f.kind !== "gap") {
      const earlier = got.timestamp.length > 0 && got.timestamp[0]! < first;
      const verdict = judgeGenesis(f, earlier, res.incomplete);
      if (verdict.probe) queue.push({ kind: "genesis", toMs: f.fromMs! - intervalMs(t.interval) });
      if (verdict.proved) genesis = iso(first);
      if (verdict.why) ctx.log.info(`${t.sym.id} ${t.interval}: genesis not recorded: ${verdict.why}`);
      if (!earlier) continue;
    }
    incoming = incoming ? mergeBars(incoming, got) : got;
  }
  const entry = s.catalog.get(t.sym.id, t.interval);
  if (genesis && entry && entry.genesis !== genesis) {
    entry.genesis = genesis;
    s.writer.touchCatalog(t.sym.id, t.interval);
    counts.genesisRecorded!++;
  }
  const withGenesis = entry ? { ...t, entry } : t;
  const fit = incoming ? holdBackUnfinished(ctx, t, incoming) : undefined;
  const c = fit && barCount(fit.bars) ? commitSeries(ctx, s, withGenesis, fit.bars, stored, opts.vendor.name) : undefined;
  const after = c && c.outcome !== "quarantined" ? c.merged : before;
  if (c?.report.genesisCleared) counts.genesisCleared!++;
  const filled = countFilled(ctx, withGenesis, before, after);
  counts.gapsFilled! += filled;
  // The registry entry goes into the same commit as the bars it counts: a kill loses both or neither.
  const h = s.health.ensure(t.sym.id);
  h.gaps_filled += filled;
  h.last_repair = ctx.now.toISOString();
  s.writer.touchHealth(t.sym.id);
  await commitBatch(s);
  const remaining = missingRanges(checkInput(ctx, withGenesis, after, calendarFor(t.calendar, ctx.reference)));
  counts.remainingGaps! += remaining.length;
  counts.remainingBars! += remaining.reduce((n, r) => n + r.bars, 0);
  const report: SymbolReport = c?.report ?? unchangedReport(withGenesis, before);
  report.gapsFilled = filled;
  report.remainingGaps = remaining.length;
  if (genesis) report.genesis = genesis;
  const kept = c?.findings.filter((f) => f.code === "gap" || f.toxic || f.code === "bars_quarantined" || f.code === "held_back") ?? [];
  return { report, findings: fit?.future ? [fit.future, ...kept] : kept, output: c?.output };
}

/**
 * What one backfill or genesis-probe answer proves. Genesis is proved only by an answer that is complete (no
 * `incomplete`: not capped, cut, partial or unconfirmed), whose request reached the vendor's start of history (the
 * probe: no start), and that holds no bar before the first stored one. A bounded backfill that comes back empty and
 * complete proves only that its window is empty (an outage may be longer than --backfill-days): it calls for the probe.
 */
export function judgeGenesis(f: RepairFetch, earlier: boolean, incomplete: Incomplete | undefined): { proved: boolean; probe: boolean; why?: string } {
  if (earlier)
    return {
      proved: false,
      probe: false,
      ...(f.kind === "genesis" ? { why: "bars before the backfill window exist (an outage longer than --backfill-days)" } : {}),
    };
  if (incomplete)
    return {
      proved: false,
      probe: false,
      why: `the ${f.kind === "genesis" ? "probe" : "backfill"} answer was incomplete (${incomplete.reason}: ${incomplete.detail})`,
    };
  if (f.kind === "backfill") return { proved: false, probe: true };
  return { proved: f.fromMs === undefined, probe: false };
}

/** Clear the recorded genesis of one series (in the write session's catalog; a dry run changes nothing). The old value, if any. */
function resetGenesis(s: WriteSession | undefined, catalog: Catalog, t: Target): string | undefined {
  const entry = catalog.get(t.sym.id, t.interval);
  const old = entry?.genesis ?? undefined;
  if (!old || !entry) return undefined;
  if (s) {
    entry.genesis = null;
    s.writer.touchCatalog(t.sym.id, t.interval);
  }
  return old;
}

/** The row of a series repair did not rewrite. */
function unchangedReport(t: Target, bars: Bars | undefined, extra: Record<string, unknown> = {}): SymbolReport {
  return {
    ...targetRow(t),
    status: "unchanged",
    rows: bars ? barCount(bars) : 0,
    ...(bars ? seriesRange(bars) : { start: null, end: null }),
    qualityScore: t.entry?.qualityScore ?? null,
    ...extra,
  };
}

/** True when every expected bar of the range is already in `bars`. */
function covers(bars: Bars, f: RepairFetch): boolean {
  let n = 0;
  for (const ts of bars.timestamp) if (ts >= (f.fromMs ?? -Infinity) && ts <= f.toMs) n++;
  return f.bars !== undefined && n >= f.bars;
}

/** Calendar-expected bars inside the stored range that are present after the repair and were missing before. */
function countFilled(ctx: RunContext, t: Target, before: Bars, after: Bars): number {
  const cal = calendarFor(t.calendar, ctx.reference);
  const had = new Set(before.timestamp);
  const lo = before.timestamp[0]!;
  const hi = before.timestamp[before.timestamp.length - 1]!;
  let n = 0;
  for (const ts of after.timestamp) if (ts > lo && ts < hi && !had.has(ts) && cal.isExpected(t.interval, ts)) n++;
  return n;
}
