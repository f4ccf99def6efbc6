import { basename } from "node:path";
import { calendarFor } from "../calendar/index.ts";
import { planSanitize } from "../checks/sanitize.ts";
import { isToxicFinding } from "../checks/status.ts";
import { type CheckInput, type CheckOptions, finding, MAX_EVIDENCE, type OptionScope, scopeOf } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { asDqError, type DqError } from "../errors.ts";
import { type Catalog, keptGenesis } from "../lakehouse/catalog.ts";
import type { HealthRegistry } from "../lakehouse/health.ts";
import { seriesRange } from "../lakehouse/store.ts";
import { type Bars, barCount, barsEqual, mergeBars, revisedBars, takeRows } from "../model/bars.ts";
import { type Finding, iso } from "../model/finding.ts";
import { intervalMs } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { LineageRef, SymbolReport } from "../report/summary.ts";
import type { GoldenRead, SeriesStager, StoredSeries, StoreWriter } from "../store/types.ts";
import { type Assessment, assessInput, checkInput } from "./assess.ts";
import { assertSameBasis, choosePrice } from "./price.ts";
import { profileOf, type Target, targetRow } from "./targets.ts";

/** The store as a writer holds it: its lock, the catalog and registry under it, the run's check options. */
export interface WriteSession {
  /** Stages changes; `commitBatch` makes them durable together. */
  writer: StoreWriter;
  catalog: Catalog;
  health: HealthRegistry;
  options: Map<string, CheckOptions>;
}

/** What one series' commit works on: a writer's staging half (on a worker thread, a Stager for that series). */
export type SeriesSession = Omit<WriteSession, "writer"> & { writer: SeriesStager };

/**
 * Take the store's write lock for a writing command, recover what an interrupted writer left, and load the
 * catalog and registry as they are under the lock.
 */
export async function openWriteSession(ctx: RunContext, command: string, options: Map<string, CheckOptions>): Promise<WriteSession> {
  const recovery = { profileOf: (sym: SymbolId) => profileOf(ctx, sym), now: ctx.now, log: (m: string) => ctx.log.warn(m) };
  const writer = await ctx.store.openWriter({
    command,
    waitMs: ctx.waitLockMs,
    recovery,
    onWait: (h) => ctx.log.info(`waiting for lakehouse lock held by pid ${h.pid} (${h.command})`),
  });
  return { writer, catalog: writer.catalog, health: writer.health, options };
}

/**
 * Make the staged changes durable: series, catalog entries and registry entries land together or not at all. The
 * lease is checked first: a writer that stalled past it and lost the lock stops here instead of writing.
 */
export async function commitBatch(s: WriteSession): Promise<void> {
  await s.writer.commit();
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
 * Merge normalised incoming bars into the stored series and judge the result. Toxic bars that can be answered bar
 * by bar (see planSanitize) are cut out and quarantined with their evidence, and a latest bar that would veto the
 * asset is held back for one more bar; the rest is committed. A structural defect quarantines the incoming bars
 * whole: the registry marks the asset and the golden file stays byte-identical. Otherwise the merged series is
 * staged (only when it changed) with its catalog and registry entries; all of it lands at the next `commitBatch`.
 * Every commit re-judges the asset: a toxic mark is cleared when the series is now clean.
 */
export function commitSeries(ctx: RunContext, s: SeriesSession, t: Target, incoming: Bars, stored: StoredSeries | undefined, source: string): Commit {
  const base = targetRow(t);
  const prev = s.catalog.get(t.sym.id, t.interval);
  // The run's price basis (--price): refused when it differs from the stored series', applied before the merge.
  const price = ctx.price ?? "raw";
  assertSameBasis(`${t.sym.id} ${t.interval}`, prev, stored !== undefined, price);
  incoming = choosePrice(incoming, price);
  const target = prev ? { ...t, entry: prev } : t;
  const calendar = calendarFor(t.calendar, ctx.reference);
  let merged = stored ? mergeBars(stored.bars, incoming) : incoming;
  // Bars the vendor sent again with other values: the metric history's revision rate (barsReplaced ÷ rows).
  const barsReplaced = stored ? revisedBars(stored.bars, incoming) : 0;
  const input = checkInput(ctx, target, merged, calendar);
  let verdict = assessInput(input, s.options);
  const now = ctx.now.toISOString();
  const entry = s.health.ensure(t.sym.id);
  s.writer.touchHealth(t.sym.id);
  const cleaned = verdict.toxic ? sanitize(ctx, target, input, verdict, s.options) : undefined;
  const extra: Finding[] = [];
  let heldBack = 0;
  let cut: { file: string; rows: number } | undefined;
  if (cleaned && !cleaned.verdict.toxic) {
    merged = cleaned.bars;
    verdict = cleaned.verdict;
    heldBack = cleaned.held.length;
    if (cleaned.held.length) extra.push(heldBackFinding(base, cleaned.held));
    if (cleaned.cut.bars.timestamp.length) {
      const toxic = cleaned.toxic;
      const q = quarantine(
        s,
        t,
        cleaned.cut.bars,
        { symbol: t.sym.id, interval: t.interval, vendor: source, quarantinedAt: now, reasons: toxic, bars: cleaned.cut.marks },
        now,
      );
      cut = { file: q, rows: cleaned.cut.bars.timestamp.length };
      entry.quarantined = [...new Set([...(entry.quarantined ?? []), q])];
      extra.push(barsQuarantinedFinding(base, cleaned.cut.marks, q, s.options.get("bars_quarantined")!.scope(cleaned.scope)));
      ctx.log.warn(`${t.sym.id} ${t.interval}: ${cut.rows} toxic bar(s) cut out and quarantined to ${q}`);
    }
  } else if (verdict.toxic) {
    const toxic = verdict.findings.filter(isToxicFinding);
    const q = quarantine(s, t, incoming, { symbol: t.sym.id, interval: t.interval, vendor: source, quarantinedAt: now, reasons: toxic }, now);
    entry.is_toxic = true;
    entry.status = "toxic";
    entry.reasons = [...new Set([...entry.reasons.filter((r) => !TOXIC_CODES.has(r)), ...toxic.map((f) => f.code)])].sort();
    entry.quarantined = [...new Set([...(entry.quarantined ?? []), q])];
    ctx.log.warn(`${t.sym.id} ${t.interval}: toxic (${toxic.map((f) => f.code).join(", ")}), quarantined to ${q}`);
    return {
      outcome: "quarantined",
      findings: verdict.findings,
      merged: stored?.bars ?? incoming,
      output: { name: q, kind: "quarantine", symbol: t.sym.id, interval: t.interval },
      report: { ...base, status: "toxic", rows: barCount(incoming), ...seriesRange(incoming), qualityScore: verdict.qualityScore, quarantined: [q] },
    };
  }

  let outcome: CommitOutcome = "unchanged";
  let sha = stored?.sha256;
  const file = ctx.store.seriesName(t.sym, t.interval);
  if (!stored || !barsEqual(stored.bars, merged)) {
    sha = s.writer.stageSeries(t.sym, t.interval, merged).sha256;
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
    s.writer.touchCatalog(t.sym.id, t.interval);
  }
  // Re-judged with the new data: a toxic mark from an earlier ingest is cleared now that the series is clean.
  if (entry.is_toxic) {
    entry.is_toxic = false;
    entry.reasons = entry.reasons.filter((r) => !TOXIC_CODES.has(r));
    ctx.log.info(`${t.sym.id} ${t.interval}: clean with the new data; the toxic mark is cleared`);
  }
  entry.status = verdict.status;
  const report: SymbolReport = {
    ...base,
    status: verdict.status,
    rows: barCount(merged),
    ...seriesRange(merged),
    qualityScore: verdict.qualityScore,
    outcome,
    price,
    barsReplaced,
  };
  if (cut) {
    report.barsQuarantined = cut.rows;
    report.quarantined = [cut.file];
  }
  if (heldBack) report.heldBack = heldBack;
  if (genesisCleared) report.genesisCleared = genesisCleared;
  return {
    outcome,
    findings: [...verdict.findings, ...extra],
    merged,
    output: { name: file, kind: "parquet", sha256: sha!, symbol: t.sym.id, interval: t.interval, rows: barCount(merged) },
    report,
  };
}

/** A toxic series answered bar by bar: what stays, what is cut out (with why), what waits for the next bar. */
interface Sanitized {
  bars: Bars;
  verdict: Assessment;
  cut: { bars: Bars; marks: BarMark[] };
  held: BarMark[];
  toxic: Finding[];
  scope: OptionScope;
}

/** One condemned or held bar: its time and the codes that judged it. */
interface BarMark {
  timestamp: string;
  codes: string[];
}

/**
 * Cut and hold back bars until the series is no longer toxic (a held latest bar may reveal another one behind it:
 * a few rounds at most), or undefined when the defect is structural.
 */
function sanitize(ctx: RunContext, t: Target, judged: CheckInput, verdict: Assessment, options: Map<string, CheckOptions>): Sanitized | undefined {
  const merged = judged.raw;
  const scope = scopeOf(judged); // the series' scope: the same for every round, whatever bars are left
  let bars = merged;
  let v = verdict;
  const cutIdx: number[] = [];
  const cutMarks: BarMark[] = [];
  const held: BarMark[] = [];
  const toxic: Finding[] = [];
  // Indices into `merged` of the bars still in `bars`.
  let alive = Array.from({ length: barCount(merged) }, (_, i) => i);
  // Round 0 plans on the input commitSeries already judged; each later round on what the cuts left.
  let input = judged;
  for (let round = 0; round < 3 && v.toxic; round++) {
    const plan = planSanitize(input, v.findings, options);
    if (plan.kind === "structural") return undefined;
    toxic.push(...v.findings.filter(isToxicFinding));
    const drop = new Set([...plan.cut.keys(), ...plan.hold.keys()]);
    for (const [i, codes] of plan.cut) {
      cutIdx.push(alive[i]!);
      cutMarks.push({ timestamp: iso(input.bars.timestamp[i]!), codes });
    }
    for (const [i, codes] of plan.hold) held.push({ timestamp: iso(input.bars.timestamp[i]!), codes });
    const keep = alive.map((_, k) => k).filter((k) => !drop.has(k));
    bars = takeRows(bars, keep);
    alive = keep.map((k) => alive[k]!);
    input = checkInput(ctx, t, bars, judged.calendar);
    v = assessInput(input, options);
  }
  if (v.toxic) return undefined;
  cutIdx.sort((a, b) => a - b);
  cutMarks.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  return { bars, verdict: v, cut: { bars: takeRows(merged, cutIdx), marks: cutMarks }, held, toxic, scope };
}

/**
 * Stage `bars` into quarantine with their reasons, and return the evidence's name. The same bars quarantined before
 * (a later ingest fetching the same toxic answer) are not written again: the earlier evidence is theirs.
 */
function quarantine(s: SeriesSession, t: Target, bars: Bars, reason: Record<string, unknown>, stamp: string): string {
  return s.writer.stageQuarantine(t.sym, t.interval, bars, reason, stamp, s.health.get(t.sym.id)?.quarantined ?? []);
}

function heldBackFinding(base: Pick<CheckInput, "symbol" | "interval">, held: BarMark[]): Finding {
  const what = held.map((h) => `${h.timestamp} (${h.codes.join(", ")})`).join(", ");
  return finding(
    base,
    "held_back",
    "warning",
    `latest bar ${what} held back for one more bar of evidence; judged again when the next bar arrives`,
    { bars: held.length },
    { bars: held },
  );
}

function barsQuarantinedFinding(base: Pick<CheckInput, "symbol" | "interval">, marks: BarMark[], file: string, opts: CheckOptions): Finding {
  const codes = [...new Set(marks.flatMap((m) => m.codes))].join(", ");
  const first = marks.slice(0, MAX_EVIDENCE);
  const when = marks.length === 1 ? marks[0]!.timestamp : `${marks[0]!.timestamp} … ${marks[marks.length - 1]!.timestamp}`;
  return finding(
    base,
    "bars_quarantined",
    opts.severity("warning"),
    `${marks.length} toxic bar${marks.length === 1 ? "" : "s"} cut out and quarantined (${codes}: ${when}): ${basename(file)}`,
    { bars: marks.length },
    { bars: first, file },
  );
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
