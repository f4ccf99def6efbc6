import { isMarketCalendar } from "../calendar/sessions.ts";
import { iso } from "../model/finding.ts";
import { type Interval, intervalMs } from "../model/interval.ts";
import { PROFILES, type Profile } from "../model/profile.ts";
import { releaseLag } from "./releases.ts";
import { type Check, type CheckInput, type CheckMeta, type CheckOptions, finding, type OptionMeta, scopeOf } from "./types.ts";

/** What staleness reads of a series; symbol and asset class select their `bySymbol` / `byClass` option layers. */
type StaleInput = Pick<CheckInput, "bars" | "calendar" | "interval" | "profile" | "nowMs"> &
  Partial<Pick<CheckInput, "symbol" | "assetClass" | "pushed" | "releases">>;

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

const meta: CheckMeta = {
  rule: "the last bar trails the calendar's last completed bar by more than the allowance (session markets: the last closed session must be there; a session in progress is not due yet); a series with a release calendar (FRED) is behind only when a scheduled release after the one that publishes its last observation (the first on or after the end of its period) has passed without a newer one",
  severity: "error; warning for a lag above warnHours within the allowance",
  options: {
    warnHours: {
      defaultText: "none (no warning tier)",
      min: 0,
      description: "a lag above this many hours but within the allowance is a warning (bootstrap flag --staleness-warn-hours)",
    },
    allowanceHours: {
      defaultText:
        "crypto: 24 bars, at most 24 h (24 h on 1h–1d, 24 min on 1m); equity, futures and forex: 0; a series judged by its release calendar: 24 (the release day)",
      min: 0,
      description: "hours the last bar may trail the calendar (every profile)",
    },
    ...Object.fromEntries(
      PROFILES.map((p): [string, OptionMeta] => [
        `${p}AllowanceHours`,
        {
          defaultText: `allowanceHours, else ${p === "crypto" ? "24 bars (at most 24 h)" : 0}`,
          min: 0,
          description: `the allowance for ${p} series (over allowanceHours)`,
        },
      ]),
    ),
  },
  example: "last bar 2026-11-06T00:00:00.000Z trails the last expected bar 2026-11-20T00:00:00.000Z by 336 h (allowance 0 h)",
};

/**
 * Allowance in hours: option `<profile>AllowanceHours`, else `allowanceHours`, else the default for the profile and
 * interval; each key read for the interval first (`byInterval["1m"]`), then at the top of `checks.stale`.
 */
export function allowanceHours(
  profile: Profile,
  opts?: CheckOptions,
  interval: Interval = "1d",
  who: Pick<StaleInput, "symbol" | "assetClass"> = {},
  dflt = defaultAllowanceHours(profile, interval),
): number {
  const o = opts?.scope({ interval, profile, ...who });
  return o ? o.number(`${profile}AllowanceHours`, o.number("allowanceHours", dflt)) : dflt;
}

const who = (input: StaleInput): Pick<StaleInput, "symbol" | "assetClass"> => ({
  ...(input.symbol !== undefined ? { symbol: input.symbol } : {}),
  ...(input.assetClass !== undefined ? { assetClass: input.assetClass } : {}),
});

/** How far the last bar trails the calendar as of `nowMs`. */
export interface Staleness {
  lastBar: number;
  /** The last bar the calendar expects to be there. */
  lastExpected: number;
  /** max(0, lastExpected − lastBar) in ms. */
  lagMs: number;
  allowanceMs: number;
  /** Judged by a release calendar: scheduled releases passed without a newer observation (lastExpected: the first). */
  releasesMissed?: number;
}

/** A release's day is allowed in full by default: FRED publishes during US hours, after a run early in the day. */
const RELEASE_ALLOWANCE_HOURS = 24;

/**
 * Reference point: crypto → the last completed bar as of now; session markets → the last bar of the last session
 * that has closed (a session in progress is not required yet). Undefined when there are no bars or nothing is due.
 */
export function staleness(input: StaleInput, opts?: CheckOptions): Staleness | undefined {
  const ts = input.bars.timestamp;
  if (ts.length === 0) return undefined;
  // The store's last bar (pushdown.ts) when it answered for these bars, else the last of them.
  const lastBar = input.pushed?.lastTs ?? ts[ts.length - 1]!;
  const byRelease = input.releases ? releaseLag(input.releases, ts, input.nowMs) : undefined;
  if (byRelease) {
    const at = byRelease.firstMissedMs;
    return {
      lastBar,
      lastExpected: at ?? lastBar,
      lagMs: at === undefined ? 0 : Math.max(0, input.nowMs - at),
      allowanceMs: allowanceHours(input.profile, opts, input.interval, who(input), RELEASE_ALLOWANCE_HOURS) * HOUR_MS,
      releasesMissed: byRelease.missed,
    };
  }
  const cal = input.calendar;
  let lastExpected: number | undefined;
  if (input.profile !== "crypto" && isMarketCalendar(cal)) {
    const s = cal.lastClosedSession(input.nowMs);
    lastExpected = s ? cal.lastCompleted(input.interval, s.closeMs) : undefined;
  } else lastExpected = cal.lastCompleted(input.interval, input.nowMs);
  if (lastExpected === undefined) return undefined;
  return {
    lastBar,
    lastExpected,
    lagMs: Math.max(0, lastExpected - lastBar),
    allowanceMs: allowanceHours(input.profile, opts, input.interval, who(input)) * HOUR_MS,
  };
}

/**
 * Freshness in [0, 1] for the quality score: 1 while the lag is within the allowance, then falling linearly to 0
 * at twice it. A zero allowance (session markets) falls from 1 at no lag to 0 at a lag of one day, so a missing
 * last minute costs little and a missing session costs everything. No bars → 0; nothing due yet → 1.
 */
export function freshness(input: StaleInput, opts?: CheckOptions): number {
  if (input.bars.timestamp.length === 0) return 0;
  const s = staleness(input, opts);
  if (!s) return 1;
  if (s.lagMs <= s.allowanceMs) return 1;
  const scale = s.allowanceMs > 0 ? s.allowanceMs : 24 * HOUR_MS;
  return Math.max(0, 1 - (s.lagMs - s.allowanceMs) / scale);
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const DAY_MS = 24 * HOUR_MS;

/** A bar time for people: the date for daily bars, else date and minute in UTC. */
function barTime(ms: number, interval: string): string {
  const t = iso(ms);
  return interval === "1d" ? t.slice(0, 10) : `${t.slice(0, 16).replace("T", " ")} UTC`;
}

/** A lag in days (hours below one day): `5 h`, `1 day`, `2.5 days`, `12 days`. */
export function daysText(ms: number): string {
  if (ms < DAY_MS) return `${round2(ms / HOUR_MS)} h`;
  const d = ms / DAY_MS;
  const shown = d >= 10 ? Math.round(d) : Math.round(d * 10) / 10;
  return `${shown} ${shown === 1 ? "day" : "days"}`;
}

/**
 * Sessions the series is behind: those that closed after its last bar ended, up to the last closed session as of
 * now. Undefined for calendars without sessions (crypto is measured in days).
 */
export function sessionsBehind(input: Pick<CheckInput, "calendar" | "interval" | "profile" | "nowMs">, lastBar: number): number | undefined {
  const cal = input.calendar;
  if (input.profile === "crypto" || !isMarketCalendar(cal)) return undefined;
  const last = cal.lastClosedSession(input.nowMs);
  if (!last) return undefined;
  const barEnd = lastBar + intervalMs(input.interval);
  // A session is labelled by its date; one opening the evening before (CME, forex) is at most a day before its label.
  return cal.sessionsBetween(lastBar - 2 * DAY_MS, last.label).filter((x) => x.closeMs > barEnd && x.closeMs <= last.closeMs).length;
}

/** `stale`: the last bar trails the calendar's last expected bar by more than the allowance. */
export const stale: Check = {
  code: "stale",
  meta,
  run(input, opts) {
    const s = staleness(input, opts);
    const warnMs = opts.scope(scopeOf(input)).number("warnHours", Number.POSITIVE_INFINITY) * HOUR_MS;
    if (!s || s.lagMs <= Math.min(warnMs, s.allowanceMs)) return [];
    const late = s.lagMs > s.allowanceMs;
    const lagHours = round2(s.lagMs / HOUR_MS);
    const allowance = round2(s.allowanceMs / HOUR_MS);
    const missed = s.releasesMissed;
    const sessions = missed === undefined ? sessionsBehind(input, s.lastBar) : undefined;
    const behind =
      missed !== undefined
        ? `${missed} ${missed === 1 ? "release" : "releases"} behind: ${input.releases!.name} released ${barTime(s.lastExpected, "1d")} without a newer observation`
        : sessions !== undefined
          ? `${sessions} ${sessions === 1 ? "session" : "sessions"} behind`
          : `${daysText(s.lagMs)} behind`;
    const expected = missed !== undefined ? "" : `last expected ${barTime(s.lastExpected, input.interval)}`;
    const allowed = late ? (s.allowanceMs > 0 ? `, allowance ${daysText(s.allowanceMs)}` : "") : `, over the warn age ${daysText(warnMs)}`;
    return [
      finding(
        input,
        "stale",
        late ? opts.severity("error") : "warning",
        `last bar ${barTime(s.lastBar, input.interval)}, ${behind}${expected || allowed ? ` (${[expected, allowed.replace(/^, /, "")].filter(Boolean).join(", ")})` : ""}`,
        {
          ageHours: round2((input.nowMs - s.lastBar) / HOUR_MS),
          lagHours,
          lagDays: round2(s.lagMs / DAY_MS),
          ...(sessions !== undefined ? { lagSessions: sessions } : {}),
          ...(missed !== undefined ? { lagReleases: missed, releaseId: input.releases!.releaseId } : {}),
          allowanceHours: allowance,
          ...(Number.isFinite(warnMs) ? { warnHours: round2(warnMs / HOUR_MS) } : {}),
        },
        { lastBar: iso(s.lastBar), lastExpected: iso(s.lastExpected) },
      ),
    ];
  },
};
