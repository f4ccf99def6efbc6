/**
 * The session-date rule for daily bars. Vendors stamp a daily bar differently: the date at 00:00 UTC, local
 * midnight in the exchange's zone (`2023-03-15 00:00:00+09:00` for a Tokyo Wednesday), or the session's open
 * (09:30 New York, or 22:00Z Sunday for CME's and forex's Monday). A daily bar belongs to the session it opens or
 * labels in the exchange's time zone, and is stored as that session date at 00:00 UTC. Anything else is not
 * guessed at: the caller keeps the stamp and reports it.
 */
import { DAY_MS } from "./dates.ts";
import type { MarketCalendar } from "./sessions.ts";
import { utcToLocal } from "./zones.ts";

/** How a daily stamp was read. */
export type DailyStamp = "utc-midnight" | "local-midnight" | "session-open" | "vendor-midnight";

/**
 * The session date (00:00 UTC ms) a vendor's daily stamp stands for, or undefined when the stamp is none of: 00:00 UTC
 * of a date (offset-less dates too), 00:00 local in the calendar's zone, a session's open, or 00:00 in the zone the
 * vendor says it stamps in (`vendorZone`, e.g. Yahoo's exchangeTimezoneName).
 */
export function sessionDate(cal: MarketCalendar, ts: number, vendorZone?: string): number | undefined {
  return readDailyStamp(cal, ts, vendorZone)?.label;
}

/** `sessionDate` with how the stamp was read (for messages and tests). */
export function readDailyStamp(cal: MarketCalendar, ts: number, vendorZone?: string): { label: number; how: DailyStamp } | undefined {
  if (!Number.isFinite(ts)) return undefined;
  if (ts % DAY_MS === 0) return { label: ts, how: "utc-midnight" };
  const local = utcToLocal(cal.timezone, ts);
  if (local % DAY_MS === 0) return { label: local, how: "local-midnight" };
  // The session opening at `ts` is labelled with the local date, or the next one (an evening open), or for a zone far
  // east the date before (an open before midnight UTC, e.g. Sydney's 10:00 is 23:00Z the day before).
  const day = Math.floor(local / DAY_MS) * DAY_MS;
  for (const s of cal.sessionsBetween(day - DAY_MS, day + 2 * DAY_MS)) if (s.openMs === ts) return { label: s.label, how: "session-open" };
  if (vendorZone && vendorZone !== cal.timezone) {
    try {
      const v = utcToLocal(vendorZone, ts);
      if (v % DAY_MS === 0) return { label: v, how: "vendor-midnight" };
    } catch {
      /* an unknown vendor zone matches nothing */
    }
  }
  return undefined;
}

/** Collects the daily stamps that matched no rule, so a vendor can report the first one once per fetch. */
export class DailyLabeler {
  unmatched = 0;
  first: { where: string; ts: number } | undefined;

  constructor(
    readonly calendar: MarketCalendar,
    private readonly vendorZone?: string,
  ) {}

  /** The label of a stamp, or the stamp itself (kept, counted) when it matches no rule; `where` names its row. */
  label(ts: number, where: () => string): number {
    const l = sessionDate(this.calendar, ts, this.vendorZone);
    if (l !== undefined) return l;
    this.unmatched++;
    this.first ??= { where: where(), ts };
    return ts;
  }

  /** One line for the log when some stamps matched no rule, else undefined. */
  warning(what: string): string | undefined {
    if (!this.first) return undefined;
    const n = this.unmatched;
    const zone = this.calendar.timezone;
    return `${what}: ${n} daily timestamp${n === 1 ? "" : "s"} neither midnight (UTC or ${zone}) nor a ${this.calendar.name} session open, kept as ${n === 1 ? "it is" : "they are"} (first: ${this.first.where}, ${new Date(this.first.ts).toISOString()}); label daily bars with the session date`;
  }
}
