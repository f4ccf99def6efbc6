import { iso } from "../model/finding.ts";
import { type Interval, intervalMs } from "../model/interval.ts";
import { dateKey, formatClock } from "./dates.ts";
import type { MarketCalendar } from "./sessions.ts";

/** One session as listed by `dqctl calendar`. */
export interface ListedSession {
  date: string;
  open: string;
  close: string;
  /** Name of the early close, when the session is short. */
  early?: string;
  /** Expected bars of `interval` that overlap the session (a 4h slot straddling the CME halt counts in both). */
  bars?: number;
}

/** Sessions, holidays and early closes of a calendar over a date range: plain data for the command to render. */
export interface CalendarListing {
  profile: string;
  timezone: string;
  from: string;
  to: string;
  interval?: Interval;
  sessions: ListedSession[];
  holidays: { date: string; name: string }[];
  earlyCloses: { date: string; name: string; close: string; localClose?: string }[];
}

/** List what the calendar expects between two dates (session labels in [fromMs, toMs]). */
export function listCalendar(calendar: MarketCalendar, fromMs: number, toMs: number, interval?: Interval): CalendarListing {
  const sessions = calendar.sessionsBetween(fromMs, toMs);
  const byLabel = new Map(sessions.map((s) => [s.label, s]));
  const out: CalendarListing = {
    profile: calendar.profile,
    timezone: calendar.timezone,
    from: dateKey(fromMs),
    to: dateKey(toMs),
    sessions: [],
    holidays: [],
    earlyCloses: [],
  };
  if (interval) out.interval = interval;
  for (const s of sessions) {
    const row: ListedSession = { date: dateKey(s.label), open: iso(s.openMs), close: iso(s.closeMs) };
    if (s.early) row.early = s.early;
    if (interval) {
      row.bars = interval === "1d" ? 1 : calendar.expected(interval, s.openMs - intervalMs(interval) + 1, s.closeMs - 1).length;
    }
    out.sessions.push(row);
  }
  for (const n of calendar.notesBetween(fromMs, toMs)) {
    if (n.kind === "closed") out.holidays.push({ date: dateKey(n.day), name: n.name });
    else {
      const s = byLabel.get(n.day);
      if (!s) continue;
      const e: CalendarListing["earlyCloses"][number] = { date: dateKey(n.day), name: n.name, close: iso(s.closeMs) };
      if (n.closeMin !== undefined) e.localClose = formatClock(n.closeMin);
      out.earlyCloses.push(e);
    }
  }
  return out;
}
