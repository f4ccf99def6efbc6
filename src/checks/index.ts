import type { Config } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";
import type { Finding } from "../model/finding.ts";
import { INTERVAL_NAMES, isInterval } from "../model/interval.ts";
import { ALL_CHECKS, CONFIGURABLE_CODES, codeInfo } from "./registry.ts";
import { findSplits, splitParams, splitSuspected } from "./split_suspected.ts";
import { findUnadjustedSplits, splitUnadjusted } from "./split_unadjusted.ts";
import { type Check, type CheckInput, type CheckOptions, checkOptions } from "./types.ts";

export { ALL_CHECKS } from "./registry.ts";

/** Options of every check, resolved once per run (config errors surface before any file is read). */
export function resolveCheckOptions(config: Config, checks: readonly Check[] = ALL_CHECKS): Map<string, CheckOptions> {
  const map = new Map(checks.map((c) => [c.code, checkOptions(config, c.code)]));
  for (const code of CONFIGURABLE_CODES) if (!map.has(code)) map.set(code, checkOptions(config, code));
  for (const [code, opts] of Object.entries(config.checks ?? {})) {
    // The config loader refuses these with a suggestion; this guards configs built in code.
    if (!codeInfo(code)?.configurable) throw new ConfigError(`config checks.${code}: not a configurable check`, "run `dqctl explain` to list the checks");
    // Options are read lazily by the checks; validate their types now so a typo fails before any file is read.
    for (const [key, value] of Object.entries(opts)) {
      if (key === "severity") continue;
      if (key === "byInterval") validateByInterval(code, value);
      else validateValue(`config checks.${code}.${key}`, value);
    }
  }
  return map;
}

function validateValue(where: string, value: unknown): void {
  const isList = Array.isArray(value) && (value.every((x) => typeof x === "string") || value.every((x) => typeof x === "number" && Number.isFinite(x)));
  if ((typeof value === "number" && Number.isFinite(value)) || isList) return;
  throw new ConfigError(`${where}: expected a number, got ${JSON.stringify(value)}`, "fix that value in the config file");
}

// `checks.<code>.byInterval` = { "<interval>": { <key>: value, … } }: the same keys as the check's own, per interval.
function validateByInterval(code: string, value: unknown): void {
  const where = `config checks.${code}.byInterval`;
  const advice = `key it by interval: "byInterval": { "1m": { … } } (intervals: ${INTERVAL_NAMES.join(", ")})`;
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new ConfigError(`${where}: expected an object keyed by interval`, advice);
  for (const [iv, layer] of Object.entries(value)) {
    if (!isInterval(iv)) throw new ConfigError(`${where}.${iv}: unknown interval`, advice);
    if (!layer || typeof layer !== "object" || Array.isArray(layer)) throw new ConfigError(`${where}.${iv}: expected an object of options`, advice);
    for (const [key, v] of Object.entries(layer)) {
      if (key === "byInterval") throw new ConfigError(`${where}.${iv}.byInterval: byInterval does not nest`, advice);
      if (key === "severity") {
        if (v !== "warning" && v !== "error" && v !== "off")
          throw new ConfigError(`${where}.${iv}.severity: expected "warning", "error" or "off", got ${JSON.stringify(v)}`, advice);
        continue;
      }
      validateValue(`${where}.${iv}.${key}`, v);
    }
  }
}

/**
 * Run the enabled checks over one series, each with its options as seen by the series' interval. Splits are found
 * first (when split_suspected is on) and handed to every check in `input.splits`, so the bar of an unadjusted split
 * is reported once, under the code that names it.
 */
export function runChecks(input: CheckInput, options: Map<string, CheckOptions>, checks: readonly Check[] = ALL_CHECKS): Finding[] {
  const out: Finding[] = [];
  const empty = input.raw.timestamp.length === 0;
  const splitOpts = options.get(splitSuspected.code)?.at(input.interval);
  let seen = input;
  // split_suspected's own run finds them again for its evidence: a cheap pass (most bars stop at the gap test).
  // Splits the vendor recorded that show in the prices (split_unadjusted's) are marked the same way.
  if (!empty && !input.splits) {
    const marks = new Map<number, number>();
    if (options.get(splitUnadjusted.code)?.at(input.interval).enabled) for (const s of findUnadjustedSplits(input.bars)) marks.set(s.index, s.factor);
    if (splitOpts?.enabled) for (const s of findSplits(input.bars, splitParams(splitOpts))) if (!marks.has(s.index)) marks.set(s.index, s.factor);
    if (marks.size)
      seen = {
        ...input,
        splits: [...marks].sort((a, b) => a[0] - b[0]).map(([index, factor]) => ({ index, factor })),
      };
  }
  for (const check of checks) {
    const opts = options.get(check.code)?.at(input.interval);
    if (!opts?.enabled) continue;
    if (empty && check.code !== "no_data") continue;
    out.push(...check.run(seen, opts));
  }
  return out;
}
