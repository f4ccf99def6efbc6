import type { Config } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";
import type { Finding } from "../model/finding.ts";
import { badValue } from "./bad_value.ts";
import { duplicateRows } from "./duplicate_rows.ts";
import { flatPrices } from "./flat_prices.ts";
import { noData } from "./no_data.ts";
import { ohlcInconsistent } from "./ohlc_inconsistent.ts";
import { type Check, type CheckInput, type CheckOptions, checkOptions } from "./types.ts";
import { unsorted } from "./unsorted.ts";
import { coverage } from "./coverage.ts";
import { falseTick } from "./false_tick.ts";
import { gap } from "./gap.ts";
import { offCalendar } from "./off_calendar.ts";
import { priceStall } from "./price_stall.ts";
import { stale } from "./stale.ts";
import { toxicReturn } from "./toxic_return.ts";
import { volumeSpike } from "./volume_spike.ts";

/** Every series check, in report order. */
export const ALL_CHECKS: readonly Check[] = [
  noData,
  stale,
  gap,
  coverage,
  offCalendar,
  duplicateRows,
  unsorted,
  badValue,
  ohlcInconsistent,
  flatPrices,
  toxicReturn,
  volumeSpike,
  priceStall,
  falseTick,
];

/** Codes configurable under `checks.<code>` that are not series checks of their own. */
export const EXTRA_CODES = [
  "missing",
  "unreadable",
  "corrupt",
  "future_bar",
  "quarantined",
  "quality_score",
  // bootstrap validators (src/bootstrap/validate.ts reads their options)
  "cross_source_drift",
  "staleness",
  "missing_rows",
  "stale_series",
  "vendor_failed",
] as const;

/** Options of every check, resolved once per run (config errors surface before any file is read). */
export function resolveCheckOptions(config: Config, checks: readonly Check[] = ALL_CHECKS): Map<string, CheckOptions> {
  const map = new Map(checks.map((c) => [c.code, checkOptions(config, c.code)]));
  for (const code of EXTRA_CODES) map.set(code, checkOptions(config, code));
  const known = new Set(map.keys());
  for (const [code, opts] of Object.entries(config.checks ?? {})) {
    if (!known.has(code)) throw new ConfigError(`config checks.${code}: unknown check`, `use one of ${[...known].sort().join(", ")}`);
    // Options are read lazily by the checks; validate their types now so a typo fails before any file is read.
    for (const [key, value] of Object.entries(opts)) {
      if (key === "severity") continue;
      const ok = (typeof value === "number" && Number.isFinite(value)) || (Array.isArray(value) && value.every((x) => typeof x === "string"));
      if (!ok) throw new ConfigError(`config checks.${code}.${key}: expected a number, got ${JSON.stringify(value)}`, "fix that value in the config file");
    }
  }
  return map;
}

/** Run the enabled checks over one series. */
export function runChecks(input: CheckInput, options: Map<string, CheckOptions>, checks: readonly Check[] = ALL_CHECKS): Finding[] {
  const out: Finding[] = [];
  const empty = input.raw.timestamp.length === 0;
  for (const check of checks) {
    const opts = options.get(check.code);
    if (!opts?.enabled) continue;
    if (empty && check.code !== "no_data") continue;
    out.push(...check.run(input, opts));
  }
  return out;
}
