// What the bootstrap validators' finding codes mean and which options they take (read by validate.ts for its
// defaults, and by the check registry for `dqctl explain` and the config validator).
import type { CheckMeta, OptionMeta } from "../checks/types.ts";
import { PROFILES, type Profile } from "../model/profile.ts";

/** Default staleness per profile, in market hours behind the calendar: crypto never closes, so it tolerates less. */
export const STALENESS_DEFAULTS: Record<Profile, { warn: number; max: number }> = {
  crypto: { warn: 24, max: 48 },
  equity: { warn: 24, max: 72 },
  futures: { warn: 24, max: 72 },
  forex: { warn: 24, max: 72 },
};

const perProfile = (suffix: string, pick: (p: Profile) => number, what: string): Record<string, OptionMeta> =>
  Object.fromEntries(PROFILES.map((p) => [`${p}${suffix}`, { defaultText: `${pick(p)}`, min: 0, description: `${what} for ${p} series` }]));

/** `staleness` (bootstrap): the last bar trails the calendar by more market hours than warnHours / maxAgeHours. */
export const STALENESS_META: CheckMeta = {
  rule: "(bootstrap) the last bar trails the calendar's last completed bar by more market hours than warnHours (weekends and holidays do not count)",
  severity: "warning; error beyond maxAgeHours",
  options: {
    warnHours: { defaultText: "24", min: 0, description: "market hours behind that make a warning (flag --staleness-warn-hours)" },
    maxAgeHours: { defaultText: "48 for crypto, 72 otherwise", min: 0, description: "market hours behind that make an error (flag --max-age-hours)" },
    ...perProfile("WarnHours", (p) => STALENESS_DEFAULTS[p].warn, "warnHours"),
    ...perProfile("MaxAgeHours", (p) => STALENESS_DEFAULTS[p].max, "maxAgeHours"),
  },
  example: "last bar 2026-11-06T00:00:00.000Z trails the last completed bar by 240 market hours (max age 72 h)",
};

/** `cross_source_drift` (bootstrap): one bar's closes disagree across vendors. */
export const CROSS_SOURCE_DRIFT_META = {
  rule: "(bootstrap) (max − min) ÷ max of one bar's closes across vendors is above warn",
  severity: "warning; error above tolerance",
  options: {
    warn: { default: 0.01, min: 0, max: 1, description: "drift above this ratio is a warning (flag --drift-warn)" },
    tolerance: { default: 0.02, min: 0, max: 1, description: "drift above this ratio is an error (flag --drift-tolerance)" },
  },
  example: "close drift 2.50% at 2026-11-20T00:00:00.000Z (yahoo 1.0850, alphavantage 1.0579) above the hard tolerance 2.00%",
} as const satisfies CheckMeta;

/** `missing_rows` (bootstrap): calendar-expected bars absent in the window. */
export const MISSING_ROWS_META: CheckMeta = {
  rule: "(bootstrap) calendar-expected bars are absent in the requested window",
  severity: "warning",
  options: {},
  example: "3 of 261 calendar-expected bars missing in 1 range between 2025-11-21T00:00:00.000Z and 2026-11-20T00:00:00.000Z",
};

/** `stale_series` (bootstrap): the gentle notice before `staleness`. */
export const STALE_SERIES_META: CheckMeta = {
  rule: "(bootstrap) the series trails the calendar by at least one bar, but less than warnHours of staleness",
  severity: "warning",
  options: {},
  example: "last bar 2026-11-19T00:00:00.000Z trails the last completed bar 2026-11-20T00:00:00.000Z by 1 bar",
};

/** `vendor_failed` (bootstrap): one vendor failed for a symbol another vendor covered. */
export const VENDOR_FAILED_META: CheckMeta = {
  rule: "(bootstrap) a vendor failed for a symbol whose bars came from the other vendors instead",
  severity: "warning",
  options: {},
  example: "alphavantage failed (HTTP 503 after 3 attempts); bars taken from the other vendors",
};
