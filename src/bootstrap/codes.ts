// Codes only bootstrap reports (its series findings come from the one check engine, src/checks/).
import type { CheckMeta } from "../checks/types.ts";

/** `vendor_failed` (bootstrap): one vendor failed for a symbol another vendor covered. */
export const VENDOR_FAILED_META: CheckMeta = {
  rule: "(bootstrap) a vendor failed for a symbol whose bars came from the other vendors instead",
  severity: "warning",
  options: {},
  example: "alphavantage failed (HTTP 503 after 3 attempts); bars taken from the other vendors",
};

/**
 * Codes earlier versions of bootstrap reported, and the engine's code that replaced each: a config that still
 * names one is refused with this advice (`dqctl explain <old>` says the same).
 */
export const RENAMED_CODES: Readonly<Record<string, { code: string; why: string }>> = {
  staleness: { code: "stale", why: "the engine's stale check (allowanceHours; warnHours for the warning tier)" },
  stale_series: { code: "stale", why: "the engine's stale check (a lag within warnHours is not reported)" },
  missing_rows: { code: "gap", why: "the engine's gap check (expected bars absent between the first and the last bar; coverage judges the window)" },
};
