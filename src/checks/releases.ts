// Staleness by a release calendar (a FRED series): what is due is decided by the scheduled release dates, not by
// sessions or days. Pure: the dates come in on the check input (CheckInput.releases), read from the cached calendar.

const DAY_MS = 86_400_000;

/** How many of the last observations the period is read from: all that release staleness reads of the bars. */
export const PERIOD_BARS = 13;

/** The scheduled release dates of the release that publishes one series, over the window the calendar covers. */
export interface ReleaseSchedule {
  releaseId: number;
  name: string;
  /** Release days (00:00 UTC of each date), ascending, unique. */
  dates: readonly number[];
  /** First and last day the cached calendar covers (00:00 UTC): releases outside it are unknown. */
  fromMs: number;
  toMs: number;
}

/** Where a series stands against its release calendar as of `nowMs`. */
export interface ReleaseLag {
  /** Releases whose day has begun, after the one that published the last observation. */
  missed: number;
  /** The first of them (00:00 UTC of its day); undefined when none is missed. */
  firstMissedMs?: number;
}

/**
 * The length of one observation's period: the median spacing of the last observations (daily 1 day, weekly 7,
 * monthly 30–31, quarterly 91–92); one day when there is a single observation.
 */
export function observationPeriodMs(ts: ArrayLike<number>): number {
  const n = ts.length;
  const gaps: number[] = [];
  for (let i = Math.max(1, n - PERIOD_BARS + 1); i < n; i++) gaps.push(ts[i]! - ts[i - 1]!);
  if (!gaps.length) return DAY_MS;
  gaps.sort((a, b) => a - b);
  return Math.max(DAY_MS, gaps[Math.floor((gaps.length - 1) / 2)]!);
}

/**
 * Releases missed by a series with observations `ts` (ascending). An observation is dated by the start of its period
 * and published once the period is over (October's CPI is dated 10-01, published 11-13; the 10-14 release was
 * September's), so the first release on or after the end of the last observation's period is taken as the one that
 * publishes it; every later release whose day has begun should have brought a newer observation. Undefined when the
 * calendar does not cover that period's end…now: the release dates in between are then not known, and the caller
 * falls back to the session calendar.
 */
export function releaseLag(s: ReleaseSchedule, ts: ArrayLike<number>, nowMs: number): ReleaseLag | undefined {
  const lastBar = ts[ts.length - 1]!;
  const periodEnd = lastBar + observationPeriodMs(ts);
  if (s.fromMs > periodEnd || s.toMs < Math.floor(nowMs / DAY_MS) * DAY_MS) return undefined;
  const after = s.dates.filter((d) => d >= periodEnd && d <= nowMs);
  const missed = Math.max(0, after.length - 1);
  return missed > 0 ? { missed, firstMissedMs: after[1]! } : { missed: 0 };
}
