import type { Config } from "../config/schema.ts";
import type { Finding } from "../model/finding.ts";
import { badValue } from "./bad_value.ts";
import { duplicateRows } from "./duplicate_rows.ts";
import { flatPrices } from "./flat_prices.ts";
import { noData } from "./no_data.ts";
import { ohlcInconsistent } from "./ohlc_inconsistent.ts";
import { type Check, type CheckInput, type CheckOptions, checkOptions } from "./types.ts";
import { unsorted } from "./unsorted.ts";

/** Every series check, in report order. */
export const ALL_CHECKS: readonly Check[] = [noData, duplicateRows, unsorted, badValue, ohlcInconsistent, flatPrices];

/** Options of every check, resolved once per run (config errors surface before any file is read). */
export function resolveCheckOptions(config: Config, checks: readonly Check[] = ALL_CHECKS): Map<string, CheckOptions> {
  return new Map(checks.map((c) => [c.code, checkOptions(config, c.code)]));
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
