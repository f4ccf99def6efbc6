import type { Calendar } from "../calendar/types.ts";
import type { Config } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";
import type { Bars } from "../model/bars.ts";
import type { Finding, Severity } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import type { Profile } from "../model/profile.ts";

/** What every check sees: the bars of one series, its calendar and the pinned "now". */
export interface CheckInput {
  symbol: string;
  interval: Interval;
  profile: Profile;
  /** Rows as stored (may be unsorted or repeated: that is what duplicate_rows/unsorted look at). */
  raw: Bars;
  /** Sorted, unique rows (last row wins on a repeated timestamp). */
  bars: Bars;
  calendar: Calendar;
  nowMs: number;
  /** Recorded start of history, if known (no gap is expected before it). */
  genesisMs?: number;
  /** Optional audit window (coverage). */
  fromMs?: number;
  toMs?: number;
  /** Instrument marked `stablecoin: true` in config (exempt from price_stall). */
  stablecoin?: boolean;
  /** The instrument's price increment from reference data (`tickSize`), judged by off_tick. */
  tickSize?: number;
  /**
   * Bars split_suspected explains as unadjusted splits, filled in by runChecks before the other checks run, so
   * toxic_return, false_tick and volume_spike judge the series as if it were split-adjusted and do not report
   * the split bar under a code that misnames it.
   */
  splits?: readonly SplitMark[];
}

/** An unadjusted split at bar `index` of `bars`: prices divided by `factor` from it on, volumes multiplied (a reverse split has factor < 1). */
export interface SplitMark {
  index: number;
  factor: number;
}

/**
 * Typed access to `checks.<code>.*` in the config, with defaults; bad values are config errors naming the key.
 * `checks.<code>.byInterval["1m"].<key>` overrides `<key>` for series of that interval (see `at`).
 */
export interface CheckOptions {
  readonly enabled: boolean;
  /** The configured base severity, or `dflt`. */
  severity(dflt: Severity): Severity;
  number(key: string, dflt: number): number;
  numbers(key: string, dflt: readonly number[]): readonly number[];
  strings(key: string, dflt: readonly string[]): readonly string[];
  /** True when `key` is configured (for this interval or for every interval), i.e. a default does not apply. */
  has(key: string): boolean;
  /** The options as seen by a series of `interval`: `byInterval[interval]` over the check's own keys. */
  at(interval: Interval): CheckOptions;
}

/** One option under `checks.<code>` in the config: its default, bounds and meaning (read by the config validator and `dqctl explain`). */
export interface OptionMeta {
  /** The value used when the config does not set it (undefined: it depends, see `defaultText`). */
  readonly default?: number | readonly string[] | readonly number[];
  /** Words for a default that depends on something (e.g. the profile). */
  readonly defaultText?: string;
  readonly description: string;
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

/** What a finding code means: the rule, its default severity, its options and an example (one record per code, next to its check). */
export interface CheckMeta {
  /** When the finding fires, in one sentence. */
  readonly rule: string;
  /** The default severity in words (e.g. "warning; error when one gap spans more than maxGapDays"). */
  readonly severity: string;
  readonly options: Readonly<Record<string, OptionMeta>>;
  /** An example finding message. */
  readonly example: string;
}

/** A pure check: bars and a calendar in, findings out. No I/O. */
export interface Check {
  readonly code: string;
  readonly meta: CheckMeta;
  run(input: CheckInput, opts: CheckOptions): Finding[];
}

/** Resolve the options of check `code` from the config. */
export function checkOptions(config: Config, code: string): CheckOptions {
  const raw = (config.checks?.[code] ?? {}) as Record<string, unknown>;
  return view(raw, {}, `config checks.${code}`);
}

// One layer of per-interval keys over the check's own: the most specific configured value wins, then the
// check's default (which may itself depend on the interval, e.g. price_stall's run length).
function view(raw: Record<string, unknown>, over: Record<string, unknown>, where: string, interval?: Interval): CheckOptions {
  const pick = (key: string): [unknown, string] =>
    over[key] !== undefined ? [over[key], `${where}.byInterval.${interval}.${key}`] : [raw[key], `${where}.${key}`];
  const sev = pick("severity")[0];
  return {
    enabled: sev !== "off",
    severity: (dflt) => (sev === "warning" || sev === "error" ? sev : dflt),
    number(key, dflt) {
      const [v, at] = pick(key);
      if (v === undefined) return dflt;
      if (typeof v !== "number" || !Number.isFinite(v)) throw new ConfigError(`${at}: expected a number, got ${JSON.stringify(v)}`);
      return v;
    },
    numbers(key, dflt) {
      const [v, at] = pick(key);
      if (v === undefined) return dflt;
      if (!Array.isArray(v) || !v.every((x) => typeof x === "number" && Number.isFinite(x))) throw new ConfigError(`${at}: expected a list of numbers`);
      return v as number[];
    },
    strings(key, dflt) {
      const [v, at] = pick(key);
      if (v === undefined) return dflt;
      if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new ConfigError(`${at}: expected a list of strings`);
      return v as string[];
    },
    has: (key) => pick(key)[0] !== undefined,
    at(iv) {
      const by = raw.byInterval;
      const layer = by && typeof by === "object" && !Array.isArray(by) ? (by as Record<string, unknown>)[iv] : undefined;
      return view(raw, layer && typeof layer === "object" ? (layer as Record<string, unknown>) : {}, where, iv);
    },
  };
}

/** Build a finding for a series. */
export function finding(
  input: Pick<CheckInput, "symbol" | "interval">,
  code: string,
  severity: Severity,
  message: string,
  metrics?: Record<string, number>,
  details?: Record<string, unknown>,
): Finding {
  const f: Finding = { code, severity, symbol: input.symbol, interval: input.interval, message };
  if (metrics) f.metrics = metrics;
  if (details) f.details = details;
  return f;
}

/** Cap on evidence rows listed in `details` (counts in `metrics` are always complete). */
export const MAX_EVIDENCE = 50;
