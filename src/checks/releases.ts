// Staleness by a release calendar (a FRED series): what is due is decided by the scheduled release dates, not by
// sessions or days. Pure: the dates come in on the check input (CheckInput.releases), read from the cached calendar.

const DAY_MS = 86_400_000;

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
 * Releases missed by a series whose last observation is dated `lastBar`. An observation is dated by the start of
 * its period and published after it (CPI for October is dated 10-01 and released in November), so the first release
 * after the last observation's date is taken as the one that published it; every later release whose day has begun
 * should have brought a newer observation. Undefined when the calendar does not cover `lastBar`…now: then the
 * release dates in between are not known and the caller falls back to the session calendar.
 */
export function releaseLag(s: ReleaseSchedule, lastBar: number, nowMs: number): ReleaseLag | undefined {
  if (s.fromMs > lastBar + DAY_MS || s.toMs < Math.floor(nowMs / DAY_MS) * DAY_MS) return undefined;
  const after = s.dates.filter((d) => d > lastBar && d <= nowMs);
  const missed = Math.max(0, after.length - 1);
  return missed > 0 ? { missed, firstMissedMs: after[1]! } : { missed: 0 };
}
