import type { Finding } from "../model/finding.ts";
import { type CheckInput, type CheckMeta, type CheckOptions, finding } from "./types.ts";

/** Per-symbol status, worst first (SPEC §5; `corrupt`: the golden file is not what the catalog recorded, or cannot be read). */
export const SERIES_STATUSES = ["corrupt", "missing", "toxic", "stale", "degraded", "healthy"] as const;
export type SeriesStatus = (typeof SERIES_STATUSES)[number];

/** A finding that vetoes the asset: flagged toxic by its check and still an error (a check downgraded to warning by config does not veto). */
export function isToxicFinding(f: Finding): boolean {
  return f.toxic === true && f.severity === "error";
}

/** Status of one series: `corrupt`, else `missing`, else `toxic` (any toxic error), else `stale` (a stale error), else `degraded` (any other finding), else `healthy`. */
export function seriesStatus(findings: readonly Finding[]): SeriesStatus {
  let toxic = false;
  let stale = false;
  if (findings.some((f) => f.code === "corrupt" || f.code === "unreadable")) return "corrupt";
  for (const f of findings) {
    if (f.code === "missing") return "missing";
    if (isToxicFinding(f)) toxic = true;
    else if (f.code === "stale" && f.severity === "error") stale = true; // a lag past warnHours only is a warning: degraded
  }
  if (toxic) return "toxic";
  if (stale) return "stale";
  // Findings carry only warning or error ("ok" is never a finding), so any finding degrades.
  return findings.length ? "degraded" : "healthy";
}

/**
 * Quality score in [0, 1]: the lower of coverage and freshness, rounded to 4 decimals so the
 * JSON does not carry float noise. A NaN input counts as 0: a score that could not be measured
 * must not read as good.
 */
export function qualityScore(coverage: number, freshness: number): number {
  const clamp = (x: number) => (Number.isNaN(x) ? 0 : Math.min(1, Math.max(0, x)));
  return Math.round(Math.min(clamp(coverage), clamp(freshness)) * 10_000) / 10_000;
}

/** What `quality_score` means (it is computed by the audit from coverage and freshness, not a series check of its own). */
export const QUALITY_SCORE_META = {
  rule: "the quality score, min(coverage, freshness), is below warn; freshness is 1 within the stale allowance and falls linearly to 0 at twice it",
  severity: "warning; error below the error score",
  options: {
    warn: { default: 0.85, min: 0, max: 1, description: "a score below this is a warning" },
    error: { default: 0.6, min: 0, max: 1, description: "a score below this is an error" },
  },
  example: "quality score 0.4 below 0.6",
} as const satisfies CheckMeta;

/** The `quality_score` finding: warning below `warn` (0.85), error below `error` (0.6); undefined when the score passes. */
export function qualityFinding(input: Pick<CheckInput, "symbol" | "interval">, score: number, opts: CheckOptions): Finding | undefined {
  if (!opts.enabled) return undefined;
  const warn = opts.number("warn", QUALITY_SCORE_META.options.warn.default);
  const error = opts.number("error", QUALITY_SCORE_META.options.error.default);
  if (score >= warn && score >= error) return undefined;
  const below = score < error;
  return finding(input, "quality_score", below ? "error" : opts.severity("warning"), `quality score ${score} below ${below ? error : warn}`, {
    score,
    warn,
    error,
  });
}
