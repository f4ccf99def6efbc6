import type { Config } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";
import type { Finding } from "../model/finding.ts";
import { INTERVAL_NAMES, isInterval } from "../model/interval.ts";
import { PROFILES } from "../model/profile.ts";
import { parseSymbol } from "../model/symbol.ts";
import { suggestion } from "../suggest.ts";
import { ALL_CHECKS, CONFIGURABLE_CODES, codeInfo } from "./registry.ts";
import { findSplits, splitParams } from "./split_evidence.ts";
import { splitSuspected } from "./split_suspected.ts";
import { findUnadjustedSplits, splitUnadjusted } from "./split_unadjusted.ts";
import { type Check, type CheckInput, type CheckOptions, checkOptions, scopeOf } from "./types.ts";

export { ALL_CHECKS } from "./registry.ts";

/** Options of every check, resolved once per run (config errors surface before any file is read). */
export function resolveCheckOptions(config: Config, checks: readonly Check[] = ALL_CHECKS): Map<string, CheckOptions> {
  const map = new Map(checks.map((c) => [c.code, checkOptions(config, c.code)]));
  for (const code of CONFIGURABLE_CODES) if (!map.has(code)) map.set(code, checkOptions(config, code));
  for (const [code, opts] of Object.entries(config.checks ?? {})) {
    // The config loader refuses these with a suggestion; this guards configs built in code.
    if (!codeInfo(code)?.configurable) throw new ConfigError(`config checks.${code}: not a configurable check`, "run `dqctl explain` to list the checks");
    // Options are read lazily by the checks; validate their types now so a typo fails before any file is read.
    validateLayer(`config checks.${code}`, opts, "top");
    validateClasses(config, code, opts);
  }
  return map;
}

/** The classes `byClass` can name: the profiles and every instrument's assetClass (config and reference data). */
function knownClasses(config: Config): string[] {
  const own = Object.values(config.instruments ?? {}).flatMap((i) => (i.assetClass ? [i.assetClass] : []));
  return [...new Set([...PROFILES, ...own.sort()])];
}

// A class no instrument has would silently never apply: refuse it, naming the classes there are.
function validateClasses(config: Config, code: string, opts: unknown): void {
  const by = isPlain(opts) ? opts.byClass : undefined;
  if (!isPlain(by)) return;
  const known = knownClasses(config);
  for (const name of Object.keys(by))
    if (!known.includes(name))
      throw new ConfigError(
        `config checks.${code}.byClass.${name}: no profile or instrument assetClass is "${name}"${suggestion(name, known)}`,
        `classes: ${known.join(", ")} (profiles, and assetClass in instruments.json or the config's instruments)`,
      );
}

/** Why `name` cannot key `bySymbol` (undefined: it is a canonical dqctl id, the form series are matched by). */
export function symbolKeyProblem(name: string): string | undefined {
  let id: string;
  try {
    id = parseSymbol(name).id;
  } catch {
    return "not a dqctl id (EXCHANGE:TICKER)";
  }
  return id === name ? undefined : `write the id as ${id} (ids are matched as dqctl writes them)`;
}

function validateValue(where: string, value: unknown): void {
  const isList = Array.isArray(value) && (value.every((x) => typeof x === "string") || value.every((x) => typeof x === "number" && Number.isFinite(x)));
  if ((typeof value === "number" && Number.isFinite(value)) || isList) return;
  throw new ConfigError(`${where}: expected a number, got ${JSON.stringify(value)}`, "fix that value in the config file");
}

const ADVICE = {
  byInterval: `key it by interval: "byInterval": { "1m": { … } } (intervals: ${INTERVAL_NAMES.join(", ")})`,
  byClass: 'key it by profile or assetClass: "byClass": { "crypto": { … }, "etf": { … } }',
  bySymbol: 'key it by dqctl id: "bySymbol": { "NYSE:AAPL": { … } }',
} as const;

const isPlain = (x: unknown): x is Record<string, unknown> => !!x && typeof x === "object" && !Array.isArray(x);

/**
 * One layer of `checks.<code>`: option keys and `severity`, plus the scoped layers its level allows — the top takes
 * byInterval, byClass and bySymbol; a class or symbol layer takes byInterval; an interval layer nothing nested.
 */
function validateLayer(where: string, layer: unknown, level: "top" | "scope" | "interval"): void {
  if (!isPlain(layer)) throw new ConfigError(`${where}: expected an object of options`, "fix that value in the config file");
  for (const [key, v] of Object.entries(layer)) {
    const at = `${where}.${key}`;
    if (key === "severity") {
      if (v !== "warning" && v !== "error" && v !== "off") throw new ConfigError(`${at}: expected "warning", "error" or "off", got ${JSON.stringify(v)}`);
      continue;
    }
    if (key === "byInterval" || key === "byClass" || key === "bySymbol") {
      const nests = key === "byInterval" ? level !== "interval" : level === "top";
      if (!nests) throw new ConfigError(`${at}: ${key} does not nest here`, ADVICE[key]);
      if (!isPlain(v)) throw new ConfigError(`${at}: expected an object keyed by ${key.slice(2).toLowerCase()}`, ADVICE[key]);
      for (const [name, sub] of Object.entries(v)) {
        if (key === "byInterval" && !isInterval(name)) throw new ConfigError(`${at}.${name}: unknown interval`, ADVICE.byInterval);
        if (key === "bySymbol") {
          const problem = symbolKeyProblem(name);
          if (problem) throw new ConfigError(`${at}.${name}: ${problem}`, ADVICE.bySymbol);
        }
        validateLayer(`${at}.${name}`, sub, key === "byInterval" ? "interval" : "scope");
      }
      continue;
    }
    validateValue(at, v);
  }
}

/**
 * Run the enabled checks over one series, each with its options as seen by the series (its symbol, class and
 * interval layers, see OPTION_PRECEDENCE). Splits are found
 * first (when split_suspected is on) and handed to every check in `input.splits`, so the bar of an unadjusted split
 * is reported once, under the code that names it.
 */
export function runChecks(input: CheckInput, options: Map<string, CheckOptions>, checks: readonly Check[] = ALL_CHECKS): Finding[] {
  const out: Finding[] = [];
  const empty = input.raw.timestamp.length === 0;
  const scope = scopeOf(input);
  const splitOpts = options.get(splitSuspected.code)?.scope(scope);
  const scans = input.scans ?? {};
  let seen: CheckInput = { ...input, scans };
  // split_suspected's own run reuses the splits found here (scans.splits) for its evidence.
  // Splits the vendor recorded that show in the prices (split_unadjusted's) are marked the same way.
  if (!empty && !input.splits) {
    const marks = new Map<number, number>();
    if (options.get(splitUnadjusted.code)?.at(input.interval).enabled) for (const s of findUnadjustedSplits(input.bars)) marks.set(s.index, s.factor);
    if (splitOpts?.enabled) {
      const prior = scans.prior ? { rows: scans.prior.rows, events: scans.prior.splits } : undefined;
      scans.splits = findSplits(input.bars, splitParams(splitOpts), undefined, prior);
      for (const s of scans.splits) if (!marks.has(s.index)) marks.set(s.index, s.factor);
    }
    scans.marks = [...marks].sort((a, b) => a[0] - b[0]).map(([index, factor]) => ({ index, factor }));
    if (marks.size) seen = { ...seen, splits: scans.marks };
  }
  for (const check of checks) {
    const opts = options.get(check.code)?.scope(scope);
    if (!opts?.enabled) continue;
    if (empty && check.code !== "no_data") continue;
    out.push(...check.run(seen, opts));
  }
  return out;
}
