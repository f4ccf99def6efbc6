/**
 * Quality of a bootstrap dataset, per symbol, by the one check engine (pure: no I/O).
 *
 * The stitched series is judged by `assessInput` — every check `runChecks` runs for ingest and audit, with the same
 * codes and `checks.<code>` options (byInterval, byClass, bySymbol included), plus the quality score — over the
 * requested window; each vendor's rows as delivered ride along in `sources` (duplicate_rows judges each vendor's
 * rows, cross_source_drift compares their closes).
 *
 * Decisions:
 * - The window is judged up to the last bar the calendar says has completed by the window's end (or now, when
 *   earlier): the checks' "now" is that reference point and coverage's window is [start, last completed], so a
 *   session still trading is not missing and weekends and holidays never are (a complete Monday–Friday forex
 *   series scores 1.0).
 * - The bootstrap flags sit above every config layer: `--minimum-coverage` is coverage's `warn`,
 *   `--max-age-hours` stale's allowance (every profile), `--staleness-warn-hours` stale's `warnHours`,
 *   `--drift-warn` / `--drift-tolerance` cross_source_drift's `warn` / `tolerance`.
 * - Status is the engine's (`seriesStatus`), except that a symbol with no bars at all is `missing` (the no_data
 *   error says which vendors answered empty), as the dataset has no rows for it.
 */
import type { Calendar } from "../calendar/types.ts";
import { coverageRatio } from "../checks/coverage.ts";
import { resolveCheckOptions } from "../checks/index.ts";
import { staleness } from "../checks/stale.ts";
import { type CheckInput, type CheckOptions, checkOptions } from "../checks/types.ts";
import type { Config } from "../config/schema.ts";
import type { Finding } from "../model/finding.ts";
import { type Interval, intervalMs } from "../model/interval.ts";
import { PROFILES, type Profile } from "../model/profile.ts";
import { assessInput } from "../pipeline/assess.ts";
import type { StitchedSeries, VendorSeries } from "./stitch.ts";

const HOUR_MS = 3_600_000;

/** Flag values that override the config (undefined: not given). */
export interface ValidationFlags {
  minimumCoverage?: number | undefined;
  stalenessWarnHours?: number | undefined;
  maxAgeHours?: number | undefined;
  driftWarn?: number | undefined;
  driftTolerance?: number | undefined;
}

/** The check options of a bootstrap run: the config's (validated now), with the flags above every layer. */
export function bootstrapOptions(config: Config, flags: ValidationFlags = {}): Map<string, CheckOptions> {
  const map = resolveCheckOptions(config);
  const over = (code: string, values: Record<string, number | undefined>) => {
    const set = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    if (Object.keys(set).length) map.set(code, checkOptions(config, code, set));
  };
  over("coverage", { warn: flags.minimumCoverage });
  const age = flags.maxAgeHours;
  // The profile keys too: a flag beats `checks.stale.<profile>AllowanceHours` in the config as well.
  over("stale", { warnHours: flags.stalenessWarnHours, allowanceHours: age, ...Object.fromEntries(PROFILES.map((p) => [`${p}AllowanceHours`, age])) });
  over("cross_source_drift", { warn: flags.driftWarn, tolerance: flags.driftTolerance });
  return map;
}

/** One symbol's series and where it is judged. */
export interface SeriesContext {
  symbol: string;
  interval: Interval;
  profile: Profile;
  calendar: Calendar;
  /** Resolved window: first and last bar open, inclusive. */
  startMs: number;
  endMs: number;
  nowMs: number;
  config: Config;
}

/** What validation concludes about one symbol. */
export interface Validation {
  findings: Finding[];
  coverage: { observed: number; expected: number; ratio: number };
  /** Hours the last bar trails the last completed bar (undefined: no bars, or nothing due yet). */
  lagHours?: number;
  qualityScore: number | null;
  status: string;
}

/** Validate one stitched symbol; `raw` holds each vendor's rows exactly as delivered. */
export function validateSeries(sc: SeriesContext, series: StitchedSeries, raw: readonly VendorSeries[], options: Map<string, CheckOptions>): Validation {
  const step = intervalMs(sc.interval);
  // Judge up to the last bar that has completed by the window's end (or now, when that is earlier).
  const refMs = Math.min(sc.nowMs, sc.endMs + step);
  const lastDue = sc.calendar.lastCompleted(sc.interval, refMs);
  const judgedEnd = lastDue === undefined ? sc.startMs - 1 : Math.min(sc.endMs, lastDue);
  const input: CheckInput = {
    symbol: sc.symbol,
    interval: sc.interval,
    profile: sc.profile,
    raw: series.bars,
    bars: series.bars,
    calendar: sc.calendar,
    nowMs: refMs,
    fromMs: sc.startMs,
    toMs: judgedEnd,
    sources: raw,
  };
  const inst = sc.config.instruments?.[sc.symbol];
  if (inst?.assetClass) input.assetClass = inst.assetClass;
  if (inst?.stablecoin) input.stablecoin = true;
  if (inst?.tickSize !== undefined) input.tickSize = inst.tickSize;
  const a = assessInput(input, options);
  const c = coverageRatio(input);
  const rows = series.bars.timestamp.length;
  const coverage = { observed: c.observed, expected: c.expected, ratio: rows ? c.ratio : 0 };
  if (rows === 0) return { findings: a.findings, coverage, qualityScore: null, status: "missing" };
  const st = staleness(input, options.get("stale"));
  const lag = st ? { lagHours: Math.round((st.lagMs / HOUR_MS) * 100) / 100 } : {};
  return { findings: a.findings, coverage, ...lag, qualityScore: a.qualityScore, status: a.status };
}
