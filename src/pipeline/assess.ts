import { calendarFor } from "../calendar/index.ts";
import type { Calendar } from "../calendar/types.ts";
import { coverageRatio } from "../checks/coverage.ts";
import { runChecks } from "../checks/index.ts";
import { freshness } from "../checks/stale.ts";
import { qualityFinding, qualityScore, seriesStatus } from "../checks/status.ts";
import { type CheckInput, type CheckOptions, scopeOf } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { type Bars, barCount, normalizeBars } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import type { Target } from "./targets.ts";

/** The verdict on one series: its findings, status and quality score. */
export interface Assessment {
  findings: Finding[];
  status: string;
  qualityScore: number | null;
  toxic: boolean;
  bars: Bars;
  /** The coverage ratio the score was taken from (null without bars); the incremental audit keeps it. */
  coverage: number | null;
}

/** Build the check input of a stored series. */
export function checkInput(ctx: RunContext, t: Target, raw: Bars, calendar: Calendar, window?: { fromMs?: number; toMs?: number }): CheckInput {
  const input: CheckInput = {
    symbol: t.sym.id,
    interval: t.interval,
    profile: t.profile,
    raw,
    bars: normalizeBars(raw),
    calendar,
    nowMs: ctx.now.getTime(),
  };
  if (t.entry?.genesis) input.genesisMs = Date.parse(t.entry.genesis);
  const inst = ctx.config.instruments?.[t.sym.id];
  if (inst?.assetClass) input.assetClass = inst.assetClass;
  if (inst?.stablecoin) input.stablecoin = true;
  if (inst?.tickSize !== undefined) input.tickSize = inst.tickSize;
  const releases = ctx.releases?.[t.sym.id];
  if (releases) input.releases = releases;
  if (window?.fromMs !== undefined) input.fromMs = window.fromMs;
  if (window?.toMs !== undefined) input.toMs = window.toMs;
  return input;
}

/** Run every check over one series and derive status and quality score (pure: no I/O). */
export function assess(ctx: RunContext, t: Target, raw: Bars, options: Map<string, CheckOptions>, window?: { fromMs?: number; toMs?: number }): Assessment {
  const calendar = calendarFor(t.calendar, ctx.reference);
  return assessInput(checkInput(ctx, t, raw, calendar, window), options);
}

/**
 * The one verdict on a series, whoever asks (ingest, audit, flow, repair, bootstrap): every enabled check through
 * runChecks, then the quality score min(coverage, freshness) and its `quality_score` finding, then the status.
 */
export function assessInput(input: CheckInput, options: Map<string, CheckOptions>): Assessment {
  const findings = runChecks(input, options);
  let score: number | null = null;
  let coverage: number | null = null;
  if (barCount(input.bars) > 0) {
    coverage = coverageRatio(input).ratio;
    score = qualityScore(coverage, freshness(input, options.get("stale")!));
    const q = qualityFinding(input, score, options.get("quality_score")!.scope(scopeOf(input)));
    if (q) findings.push(q);
  }
  const status = seriesStatus(findings);
  return { findings, status, qualityScore: score, toxic: status === "toxic", bars: input.bars, coverage };
}
