import { isMarketCalendar } from "../calendar/sessions.ts";
import { iso } from "../model/finding.ts";
import { type Interval, intervalMs } from "../model/interval.ts";
import type { Profile } from "../model/profile.ts";
import { type Check, type CheckInput, type CheckOptions, finding } from "./types.ts";

const HOUR_MS = 3_600_000;

/**
 * Built-in allowance in hours. Session markets must hold the last completed session (0). Crypto bars may lag 24 bars,
 * at most 24 h: 24 h for 1h, 4h and 1d bars (the SPEC's figure), but 24 minutes for 1m bars, 2 h for 5m, 6 h for 15m
 * and 12 h for 30m, so a 1-minute series 20 hours behind is stale rather than fresh.
 */
export function defaultAllowanceHours(profile: Profile, interval: Interval = "1d"): number {
  if (profile !== "crypto") return 0;
  return Math.min(24, (24 * intervalMs(interval)) / HOUR_MS);
}

/**
 * Allowance in hours: option `<profile>AllowanceHours`, else `allowanceHours`, else the default for the profile and
 * interval; each key read for the interval first (`byInterval["1m"]`), then at the top of `checks.stale`.
 */
export function allowanceHours(profile: Profile, opts?: CheckOptions, interval: Interval = "1d"): number {
  const o = opts?.at(interval);
  const dflt = defaultAllowanceHours(profile, interval);
  return o ? o.number(`${profile}AllowanceHours`, o.number("allowanceHours", dflt)) : dflt;
}

/** How far the last bar trails the calendar as of `nowMs`. */
export interface Staleness {
  lastBar: number;
  /** The last bar the calendar expects to be there. */
  lastExpected: number;
  /** max(0, lastExpected − lastBar) in ms. */
  lagMs: number;
  allowanceMs: number;
}

/**
 * Reference point: crypto → the last completed bar as of now; session markets → the last bar of the last session
 * that has closed (a session in progress is not required yet). Undefined when there are no bars or nothing is due.
 */
export function staleness(input: Pick<CheckInput, "bars" | "calendar" | "interval" | "profile" | "nowMs">, opts?: CheckOptions): Staleness | undefined {
  const ts = input.bars.timestamp;
  if (ts.length === 0) return undefined;
  const cal = input.calendar;
  let lastExpected: number | undefined;
  if (input.profile !== "crypto" && isMarketCalendar(cal)) {
    const s = cal.lastClosedSession(input.nowMs);
    lastExpected = s ? cal.lastCompleted(input.interval, s.closeMs) : undefined;
  } else lastExpected = cal.lastCompleted(input.interval, input.nowMs);
  if (lastExpected === undefined) return undefined;
  const lastBar = ts[ts.length - 1]!;
  return { lastBar, lastExpected, lagMs: Math.max(0, lastExpected - lastBar), allowanceMs: allowanceHours(input.profile, opts, input.interval) * HOUR_MS };
}

/**
 * Freshness in [0, 1] for the quality score: 1 while the lag is within the allowance, then falling linearly to 0
 * at twice it. A zero allowance (session markets) falls from 1 at no lag to 0 at a lag of one day, so a missing
 * last minute costs little and a missing session costs everything. No bars → 0; nothing due yet → 1.
 */
export function freshness(input: Pick<CheckInput, "bars" | "calendar" | "interval" | "profile" | "nowMs">, opts?: CheckOptions): number {
  if (input.bars.timestamp.length === 0) return 0;
  const s = staleness(input, opts);
  if (!s) return 1;
  if (s.lagMs <= s.allowanceMs) return 1;
  const scale = s.allowanceMs > 0 ? s.allowanceMs : 24 * HOUR_MS;
  return Math.max(0, 1 - (s.lagMs - s.allowanceMs) / scale);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** `stale`: the last bar trails the calendar's last expected bar by more than the allowance. */
export const stale: Check = {
  code: "stale",
  run(input, opts) {
    const s = staleness(input, opts);
    if (!s || s.lagMs <= s.allowanceMs) return [];
    const lagHours = round2(s.lagMs / HOUR_MS);
    const allowance = round2(s.allowanceMs / HOUR_MS);
    return [
      finding(
        input,
        "stale",
        opts.severity("error"),
        `last bar ${iso(s.lastBar)} trails the last expected bar ${iso(s.lastExpected)} by ${lagHours} h (allowance ${allowance} h)`,
        { ageHours: round2((input.nowMs - s.lastBar) / HOUR_MS), lagHours, allowanceHours: allowance },
        { lastBar: iso(s.lastBar), lastExpected: iso(s.lastExpected) },
      ),
    ];
  },
};
