/**
 * Calendar-aware quality of a bootstrap dataset, per symbol (pure: no I/O).
 *
 * Pipeline issues: `no_data` (error), `duplicate_rows` (per vendor, on the rows as delivered), `missing_rows`
 * (calendar-expected bars absent in the window), `flat_prices`, `stale_series` (warnings with context).
 * Validators: `coverage`, `staleness`, `cross_source_drift` (warning or error).
 *
 * Decisions:
 * - The window is judged up to the last bar the calendar says has completed by the window's end (or now, when
 *   earlier): a session still trading is not counted missing. Expected bars come from the profile's calendar, so
 *   weekends and holidays are never missing (a complete Monday–Friday forex series scores 1.0).
 * - Staleness is measured in market time: `lagHours` = the expected bars between the last bar and the last completed
 *   bar, times the interval. A forex series holding Friday's bar on Monday morning has lag 0; wall-clock age is
 *   reported beside it (`ageHours`) but never judged, since it counts weekends.
 * - `stale_series` is the gentle notice that the series trails the calendar by at least one bar; once the lag
 *   crosses the warn threshold only the `staleness` finding is reported, so one symptom is not reported twice.
 * - Drift is (max − min) ÷ max of one bar's closes across vendors; one finding per symbol names the worst bar and
 *   lists the offending bars (worst first) in `details.bars`.
 */
import { align } from "../calendar/align.ts";
import type { Calendar } from "../calendar/types.ts";
import { coverage as coverageCheck } from "../checks/coverage.ts";
import { duplicateRows } from "../checks/duplicate_rows.ts";
import { flatPrices } from "../checks/flat_prices.ts";
import { qualityScore } from "../checks/status.ts";
import { type CheckInput, type CheckOptions, checkOptions, finding, MAX_EVIDENCE } from "../checks/types.ts";
import type { Config } from "../config/schema.ts";
import { type Finding, iso } from "../model/finding.ts";
import { type Interval, intervalMs } from "../model/interval.ts";
import type { Profile } from "../model/profile.ts";
import { CROSS_SOURCE_DRIFT_META, STALENESS_DEFAULTS } from "./codes.ts";
import { overlappingCloses, type StitchedSeries, type VendorSeries } from "./stitch.ts";

const HOUR_MS = 3_600_000;

/** Thresholds of the validators (flags override `checks.<code>.*` in the config, which overrides defaults). */
export interface ValidationOptions {
  coverageWarn: number;
  coverageError: number;
  stalenessWarnHours: number;
  maxAgeHours: number;
  driftWarn: number;
  driftTolerance: number;
}

/** Flag values that override the config (undefined: not given). */
export interface ValidationFlags {
  minimumCoverage?: number | undefined;
  stalenessWarnHours?: number | undefined;
  maxAgeHours?: number | undefined;
  driftWarn?: number | undefined;
  driftTolerance?: number | undefined;
}

/** Resolve the thresholds for one profile. `--minimum-coverage` sets the warn ratio; the error ratio never exceeds it. */
export function validationOptions(config: Config, profile: Profile, flags: ValidationFlags = {}): ValidationOptions {
  const cov = checkOptions(config, "coverage");
  const st = checkOptions(config, "staleness");
  const dr = checkOptions(config, "cross_source_drift");
  const coverageWarn = flags.minimumCoverage ?? cov.number("warn", coverageCheck.meta.options.warn.default);
  const driftTolerance = flags.driftTolerance ?? dr.number("tolerance", CROSS_SOURCE_DRIFT_META.options.tolerance.default);
  const d = STALENESS_DEFAULTS[profile];
  const maxAgeHours = flags.maxAgeHours ?? st.number(`${profile}MaxAgeHours`, st.number("maxAgeHours", d.max));
  return {
    coverageWarn,
    coverageError: Math.min(cov.number("error", coverageCheck.meta.options.error.default), coverageWarn),
    stalenessWarnHours: Math.min(flags.stalenessWarnHours ?? st.number(`${profile}WarnHours`, st.number("warnHours", d.warn)), maxAgeHours),
    maxAgeHours,
    driftTolerance,
    driftWarn: Math.min(flags.driftWarn ?? dr.number("warn", CROSS_SOURCE_DRIFT_META.options.warn.default), driftTolerance),
  };
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
  /** Market-time lag behind the calendar in hours (undefined: no bars, or nothing due yet). */
  lagHours?: number;
  qualityScore: number | null;
  status: "missing" | "stale" | "degraded" | "healthy";
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** Validate one stitched symbol; `raw` holds each vendor's rows exactly as delivered (for duplicate_rows). */
export function validateSeries(sc: SeriesContext, series: StitchedSeries, raw: readonly VendorSeries[], opts: ValidationOptions): Validation {
  const opt = (code: string) => checkOptions(sc.config, code);
  const on = (code: string, o = opt(code)) => (o.enabled ? o : undefined);
  const bars = series.bars;
  const findings: Finding[] = [];
  const step = intervalMs(sc.interval);
  // Judge up to the last bar that has completed by the window's end (or now, when that is earlier).
  const refMs = Math.min(sc.nowMs, sc.endMs + step);
  const lastDue = sc.calendar.lastCompleted(sc.interval, refMs);
  const judgedEnd = lastDue === undefined ? sc.startMs - 1 : Math.min(sc.endMs, lastDue);
  const a = align(sc.calendar, sc.interval, bars.timestamp, sc.startMs, judgedEnd);
  const coverage = { observed: a.observed, expected: a.expected, ratio: a.expected === 0 ? (bars.timestamp.length ? 1 : 0) : a.observed / a.expected };

  if (bars.timestamp.length === 0) {
    const o = on("no_data");
    if (o) {
      const from = raw.map((r) => r.vendor).join(", ") || "no vendor";
      findings.push(
        finding(
          sc,
          "no_data",
          o.severity("error"),
          `no bars from ${from} between ${iso(sc.startMs)} and ${iso(sc.endMs)}`,
          { rows: 0, expected: a.expected },
          { vendors: raw.map((r) => r.vendor) },
        ),
      );
    }
    return { findings, coverage, qualityScore: null, status: "missing" };
  }

  const input: CheckInput = { symbol: sc.symbol, interval: sc.interval, profile: sc.profile, raw: bars, bars, calendar: sc.calendar, nowMs: refMs };
  const dup = on("duplicate_rows");
  if (dup) {
    for (const r of raw) {
      for (const f of duplicateRows.run({ ...input, raw: r.bars }, dup)) {
        findings.push({ ...f, message: `${r.vendor}: ${f.message}`, details: { ...f.details, vendor: r.vendor } });
      }
    }
  }

  const miss = on("missing_rows");
  if (miss && a.missing.length) {
    const n = a.missing.reduce((s, r) => s + r.bars, 0);
    findings.push(
      finding(
        sc,
        "missing_rows",
        miss.severity("warning"),
        `${n} of ${a.expected} calendar-expected bars missing in ${a.missing.length} range${a.missing.length === 1 ? "" : "s"} between ${iso(sc.startMs)} and ${iso(judgedEnd)}`,
        { missingRows: n, ranges: a.missing.length, expected: a.expected },
        {
          ranges: a.missing.slice(0, MAX_EVIDENCE).map((r) => ({ from: iso(r.fromMs), to: iso(r.toMs), bars: r.bars })),
        },
      ),
    );
  }

  const flat = on("flat_prices");
  if (flat) findings.push(...flatPrices.run(input, flat));

  const cov = on("coverage");
  if (cov && coverage.expected > 0 && coverage.ratio < opts.coverageWarn) {
    const severity = coverage.ratio < opts.coverageError ? "error" : cov.severity("warning");
    findings.push(
      finding(
        sc,
        "coverage",
        severity,
        `coverage ${(coverage.ratio * 100).toFixed(1)}% (${coverage.observed} of ${coverage.expected} expected bars; warn below ${opts.coverageWarn * 100}%, error below ${opts.coverageError * 100}%)`,
        {
          coverage: round(coverage.ratio),
          observed: coverage.observed,
          expected: coverage.expected,
          warn: opts.coverageWarn,
          error: opts.coverageError,
        },
      ),
    );
  }

  const lastBar = bars.timestamp[bars.timestamp.length - 1]!;
  let lagHours: number | undefined;
  let freshness = 1;
  let staleError = false;
  if (lastDue !== undefined) {
    const behind = lastDue > lastBar ? sc.calendar.expected(sc.interval, lastBar + 1, lastDue).length : 0;
    lagHours = round((behind * step) / HOUR_MS, 2);
    const ageHours = round((refMs - (lastBar + step)) / HOUR_MS, 2);
    const context = { lastBar: iso(lastBar), lastExpected: iso(lastDue), reference: iso(refMs) };
    const metrics = { lagHours, barsBehind: behind, ageHours, warnHours: opts.stalenessWarnHours, maxAgeHours: opts.maxAgeHours };
    const st = on("staleness");
    if (opts.maxAgeHours > opts.stalenessWarnHours)
      freshness = Math.max(0, Math.min(1, 1 - (lagHours - opts.stalenessWarnHours) / (opts.maxAgeHours - opts.stalenessWarnHours)));
    else freshness = lagHours > opts.maxAgeHours ? 0 : 1;
    if (st && lagHours > opts.stalenessWarnHours) {
      staleError = lagHours > opts.maxAgeHours;
      const severity = staleError ? "error" : st.severity("warning");
      const limit = staleError ? `max age ${opts.maxAgeHours} h` : `warn age ${opts.stalenessWarnHours} h`;
      findings.push(
        finding(
          sc,
          "staleness",
          severity,
          `last bar ${iso(lastBar)} is ${behind} bar${behind === 1 ? "" : "s"} (${lagHours} market hours) behind the last completed bar ${iso(lastDue)}, over the ${limit}`,
          metrics,
          context,
        ),
      );
    } else if (behind > 0) {
      const ss = on("stale_series");
      if (ss)
        findings.push(
          finding(
            sc,
            "stale_series",
            ss.severity("warning"),
            `last bar ${iso(lastBar)} trails the last completed bar ${iso(lastDue)} by ${behind} bar${behind === 1 ? "" : "s"}`,
            metrics,
            context,
          ),
        );
    }
  }

  const dr = on("cross_source_drift");
  if (dr) findings.push(...crossSourceDrift(sc, series.contributions, opts, dr));

  const score = qualityScore(coverage.ratio, freshness);
  const status = staleError ? "stale" : findings.length ? "degraded" : "healthy";
  return { findings, coverage, ...(lagHours !== undefined ? { lagHours } : {}), qualityScore: score, status };
}

/** `cross_source_drift`: bars whose closes differ across vendors by more than the warn tolerance; error above the hard one. */
export function crossSourceDrift(
  sc: Pick<SeriesContext, "symbol" | "interval">,
  contributions: readonly VendorSeries[],
  opts: Pick<ValidationOptions, "driftWarn" | "driftTolerance">,
  o?: CheckOptions,
): Finding[] {
  const over: { timestamp: number; drift: number; closes: { vendor: string; close: number }[] }[] = [];
  const overlaps = overlappingCloses(contributions);
  for (const b of overlaps) {
    let max = -Infinity;
    let min = Infinity;
    for (const c of b.closes) {
      max = Math.max(max, c.close);
      min = Math.min(min, c.close);
    }
    if (!(max > 0)) continue; // a drift ratio needs a positive reference price
    const drift = (max - min) / max;
    if (drift > opts.driftWarn) over.push({ timestamp: b.timestamp, drift, closes: b.closes });
  }
  if (over.length === 0) return [];
  over.sort((x, y) => y.drift - x.drift || x.timestamp - y.timestamp);
  const worst = over[0]!;
  const errorBars = over.filter((b) => b.drift > opts.driftTolerance).length;
  const severity = errorBars > 0 ? "error" : (o?.severity("warning") ?? "warning");
  const pct = (x: number) => `${round(x * 100, 2)}%`;
  const closes = (b: typeof worst) => b.closes.map((c) => `${c.vendor} ${c.close}`).join(" vs ");
  const limit = errorBars > 0 ? `hard tolerance ${pct(opts.driftTolerance)}` : `warn tolerance ${pct(opts.driftWarn)}`;
  return [
    finding(
      sc,
      "cross_source_drift",
      severity,
      `close drift ${pct(worst.drift)} at ${iso(worst.timestamp)} (${closes(worst)}) above the ${limit}; ${over.length} of ${overlaps.length} shared bars above ${pct(opts.driftWarn)}`,
      {
        maxDrift: round(worst.drift, 6),
        bars: over.length,
        errorBars,
        comparedBars: overlaps.length,
        warnTolerance: opts.driftWarn,
        tolerance: opts.driftTolerance,
      },
      {
        bars: over
          .slice(0, MAX_EVIDENCE)
          .map((b) => ({ timestamp: iso(b.timestamp), drift: round(b.drift, 6), closes: Object.fromEntries(b.closes.map((c) => [c.vendor, c.close])) })),
      },
    ),
  ];
}
