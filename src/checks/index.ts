import type { Config } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";
import type { Finding } from "../model/finding.ts";
import { ALL_CHECKS, CONFIGURABLE_CODES, codeInfo } from "./registry.ts";
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
