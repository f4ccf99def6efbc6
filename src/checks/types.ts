import type { Calendar } from "../calendar/types.ts";
import type { Config } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";
import type { Bars } from "../model/bars.ts";
import type { Finding, Severity } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import type { Profile } from "../model/profile.ts";
import type { PushedEvidence } from "./pushdown.ts";
import type { ReleaseSchedule } from "./releases.ts";
import type { ScanMemo } from "./scans.ts";

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
  /**
   * The release calendar of the release that publishes this series (a FRED series, from the cached macro calendar):
   * stale then judges scheduled releases, not sessions (see releases.ts).
   */
  releases?: ReleaseSchedule;
  /** Instrument marked `stablecoin: true` in config (exempt from price_stall). */
  stablecoin?: boolean;
  /** The instrument's `assetClass` from reference data or the config (selects `checks.<code>.byClass.<assetClass>`). */
  assetClass?: string;
  /** The instrument's price increment from reference data (`tickSize`), judged by off_tick. */
  tickSize?: number;
  /**
   * Bars split_suspected explains as unadjusted splits, filled in by runChecks before the other checks run, so
   * toxic_return, false_tick and volume_spike judge the series as if it were split-adjusted and do not report
   * the split bar under a code that misnames it.
   */
  splits?: readonly SplitMark[];
  /**
   * Each vendor's rows exactly as delivered, in priority order, when the series was stitched from several
   * (bootstrap): duplicate_rows judges each vendor's rows, cross_source_drift compares their closes bar by bar.
   */
  sources?: readonly SourceBars[];
  /**
   * What the windowed scanners found (filled in by runChecks and the checks), and what the last audit's found over
   * the first rows of these same bars: the incremental audit's memo (see scans.ts). Findings never depend on it.
   */
  scans?: ScanMemo;
  /**
   * Evidence the store computed itself for these same bars (a PostgreSQL store's SQL, see pushdown.ts): the checks
   * it covers build their findings from it instead of scanning the bars. Findings never differ by it.
   */
  pushed?: PushedEvidence;
}

/** One vendor's rows of a stitched series. */
export interface SourceBars {
  vendor: string;
  bars: Bars;
}

/** An unadjusted split at bar `index` of `bars`: prices divided by `factor` from it on, volumes multiplied (a reverse split has factor < 1). */
export interface SplitMark {
  index: number;
  factor: number;
}

/** Who a series is, as far as option resolution cares: its interval, its classes and its id. */
export interface OptionScope {
  interval: Interval;
  /** The profile (crypto, equity, futures, forex): the broad class, matched by `byClass.<profile>`. */
  profile?: Profile;
  /** The instrument's `assetClass` from reference data or the config (e.g. "stock", "etf"): matched by `byClass.<assetClass>`. */
  assetClass?: string;
  /** The dqctl id ("NYSE:AAPL"): matched by `bySymbol["NYSE:AAPL"]`. */
  symbol?: string;
}

/**
 * Typed access to `checks.<code>.*` in the config, with defaults; bad values are config errors naming the key.
 * Scoped layers override the check's own keys, most specific first (see `scope` and OPTION_PRECEDENCE).
 */
export interface CheckOptions {
  readonly enabled: boolean;
  /** The configured base severity, or `dflt`. */
  severity(dflt: Severity): Severity;
  number(key: string, dflt: number): number;
  numbers(key: string, dflt: readonly number[]): readonly number[];
  strings(key: string, dflt: readonly string[]): readonly string[];
  /** True when `key` is configured in any layer this view sees, i.e. a default does not apply. */
  has(key: string): boolean;
  /** The same view for a series of `interval` (keeps the symbol and class this view was scoped to). */
  at(interval: Interval): CheckOptions;
  /** The options as seen by one series: its symbol, class and interval layers over the check's own keys. */
  scope(scope: OptionScope): CheckOptions;
}

/**
 * How a key is resolved for a series, least specific first; the last layer that sets the key wins, then the
 * check's default (which may itself depend on the interval or profile). Scope beats interval: a symbol's setting
 * beats its class's, a class's beats the check's own, whatever the interval; within one scope the interval's
 * layer beats the scope's own keys. Flags (bootstrap's `--minimum-coverage` …) sit above every layer.
 */
export const OPTION_PRECEDENCE = [
  "checks.<code>.<key>",
  "checks.<code>.byInterval.<interval>.<key>",
  "checks.<code>.byClass.<profile>.<key>",
  "checks.<code>.byClass.<profile>.byInterval.<interval>.<key>",
  "checks.<code>.byClass.<assetClass>.<key>",
  "checks.<code>.byClass.<assetClass>.byInterval.<interval>.<key>",
  "checks.<code>.bySymbol.<symbol>.<key>",
  "checks.<code>.bySymbol.<symbol>.byInterval.<interval>.<key>",
] as const;

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

/** Resolve the options of check `code` from the config; `overrides` (flags) sit above every config layer. */
export function checkOptions(config: Config, code: string, overrides?: Record<string, unknown>): CheckOptions {
  const raw = (config.checks?.[code] ?? {}) as Record<string, unknown>;
  return view(raw, `config checks.${code}`, undefined, overrides);
}

interface Layer {
  values: Record<string, unknown>;
  where: string;
}

const objectAt = (o: unknown, key: string | undefined): Record<string, unknown> | undefined => {
  if (key === undefined || !o || typeof o !== "object" || Array.isArray(o)) return undefined;
  const v = (o as Record<string, unknown>)[key];
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
};

/** The layers a series sees, most specific first (the reverse of OPTION_PRECEDENCE). */
function optionLayers(raw: Record<string, unknown>, where: string, s?: OptionScope): Layer[] {
  const out: Layer[] = [];
  const add = (values: Record<string, unknown> | undefined, at: string) => {
    if (!values) return;
    if (s) {
      const iv = objectAt(values.byInterval, s.interval);
      if (iv) out.push({ values: iv, where: `${at}.byInterval.${s.interval}` });
    }
    out.push({ values, where: at });
  };
  if (s?.symbol !== undefined) add(objectAt(raw.bySymbol, s.symbol), `${where}.bySymbol.${s.symbol}`);
  if (s?.assetClass !== undefined && s.assetClass !== s.profile) add(objectAt(raw.byClass, s.assetClass), `${where}.byClass.${s.assetClass}`);
  if (s?.profile !== undefined) add(objectAt(raw.byClass, s.profile), `${where}.byClass.${s.profile}`);
  add(raw, where);
  return out;
}

const SCOPE_KEYS = new Set(["byInterval", "byClass", "bySymbol"]);

function view(raw: Record<string, unknown>, where: string, s: OptionScope | undefined, overrides: Record<string, unknown> | undefined): CheckOptions {
  const layers = optionLayers(raw, where, s);
  if (overrides) layers.unshift({ values: overrides, where: "flag" });
  const pick = (key: string): [unknown, string | undefined] => {
    if (SCOPE_KEYS.has(key)) return [undefined, undefined];
    for (const l of layers) if (l.values[key] !== undefined) return [l.values[key], `${l.where}.${key}`];
    return [undefined, undefined];
  };
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
    at: (interval) => view(raw, where, { ...s, interval }, overrides),
    scope: (next) => view(raw, where, next, overrides),
  };
}

/** The scope of a check input (its interval, profile, asset class and symbol). */
export function scopeOf(input: Pick<CheckInput, "interval" | "profile" | "assetClass" | "symbol">): OptionScope {
  return {
    interval: input.interval,
    profile: input.profile,
    symbol: input.symbol,
    ...(input.assetClass !== undefined ? { assetClass: input.assetClass } : {}),
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
