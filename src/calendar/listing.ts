import { iso } from "../model/finding.ts";
import { type Interval, intervalMs } from "../model/interval.ts";
import { dateKey, formatClock } from "./dates.ts";
import { aliasesOf, BUILT_IN, CRYPTO, cmeGroupRoots } from "./registry.ts";
import type { MarketCalendar } from "./sessions.ts";

/** One session as listed by `dqctl calendar`. */
export interface ListedSession {
  date: string;
  open: string;
  close: string;
  /** Lunch break, UTC, when the session has one. */
  breakStart?: string;
  breakEnd?: string;
  /** Name of the early close, when the session is short. */
  early?: string;
  /** Name of a late open or other special hours. */
  special?: string;
  /** Expected bars of `interval` that overlap the session (a 4h slot straddling the CME halt counts in both). */
  bars?: number;
}

/** Sessions, holidays and early closes of a calendar over a date range: plain data for the command to render. */
export interface CalendarListing {
  calendar: string;
  profile: string;
  timezone: string;
  from: string;
  to: string;
  interval?: Interval;
  sessions: ListedSession[];
  holidays: { date: string; name: string }[];
  earlyCloses: { date: string; name: string; close: string; localClose?: string }[];
  /** Late opens and other special hours. */
  specialHours: { date: string; name: string; open: string; localOpen?: string }[];
}

/** List what the calendar expects between two dates (session labels in [fromMs, toMs]). */
export function listCalendar(calendar: MarketCalendar, fromMs: number, toMs: number, interval?: Interval): CalendarListing {
  const sessions = calendar.sessionsBetween(fromMs, toMs);
  const byLabel = new Map(sessions.map((s) => [s.label, s]));
  const out: CalendarListing = {
    calendar: calendar.name,
    profile: calendar.profile,
    timezone: calendar.timezone,
    from: dateKey(fromMs),
    to: dateKey(toMs),
    sessions: [],
    holidays: [],
    earlyCloses: [],
    specialHours: [],
  };
  if (interval) out.interval = interval;
  for (const s of sessions) {
    const row: ListedSession = { date: dateKey(s.label), open: iso(s.openMs), close: iso(s.closeMs) };
    if (s.breakStartMs !== undefined && s.breakEndMs !== undefined) {
      row.breakStart = iso(s.breakStartMs);
      row.breakEnd = iso(s.breakEndMs);
    }
    if (s.early) row.early = s.early;
    if (s.special) row.special = s.special;
    if (interval) {
      row.bars = interval === "1d" ? 1 : calendar.expected(interval, s.openMs - intervalMs(interval) + 1, s.closeMs - 1).length;
    }
    out.sessions.push(row);
  }
  for (const n of calendar.notesBetween(fromMs, toMs)) {
    if (n.kind === "closed") {
      out.holidays.push({ date: dateKey(n.day), name: n.name });
      continue;
    }
    const s = byLabel.get(n.day);
    if (!s) continue;
    if (n.closeMin !== undefined) {
      const e: CalendarListing["earlyCloses"][number] = { date: dateKey(n.day), name: n.name, close: iso(s.closeMs) };
      e.localClose = formatClock(n.closeMin);
      out.earlyCloses.push(e);
    }
    if (n.openMin !== undefined) out.specialHours.push({ date: dateKey(n.day), name: n.name, open: iso(s.openMs), localOpen: formatClock(n.openMin) });
  }
  return out;
}

/** One known calendar, for `dqctl calendar --list`. */
export interface KnownCalendar {
  name: string;
  title: string;
  profile: string;
  timezone: string;
  /** Exchange prefixes that map to it. */
  aliases: string[];
  /** CME roots that pick it (a product group). */
  roots?: string[];
  from: number;
  /** How far the announced lists (lunar holidays, one-offs) are known. */
  knownUntil: number;
}

/** Every built-in calendar with the exchange prefixes that map to it. */
export function knownCalendars(): KnownCalendar[] {
  const roots = cmeGroupRoots();
  const out: KnownCalendar[] = BUILT_IN.map((s) => ({
    name: s.name,
    title: s.title,
    profile: s.profile,
    timezone: s.timezone,
    aliases: s.parent ? [] : aliasesOf(s.name),
    ...(s.parent ? { roots: [...(roots[s.name] ?? [])] } : {}),
    from: s.firstYear,
    knownUntil: s.knownUntil,
  }));
  out.push({ name: CRYPTO, title: "Crypto (24/7 UTC)", profile: "crypto", timezone: "UTC", aliases: aliasesOf(CRYPTO), from: 1970, knownUntil: 9999 });
  return out;
}
