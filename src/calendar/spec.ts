/**
 * The declarative form of an exchange calendar (one small file per exchange under exchanges/, read by engine.ts).
 * Modelled on exchange_calendars' `exchange_calendar_xlon.py`: time zone, regular hours (which may change over the
 * years), lunch breaks, holidays by rule and as the lists the exchange announces, early closes and late opens.
 */
import type { Profile } from "../model/profile.ts";
import type { Rule } from "./rules.ts";

/** Local wall-clock time "HH:MM" (00:00–24:00). */
export type Clock = string;

/** Regular hours from a date on (the first era has no `from`). An open at or after the close opens the evening before. */
export interface HoursEra {
  from?: string;
  open: Clock;
  close: Clock;
  /** Lunch break [start, end], local. */
  lunch?: readonly [Clock, Clock];
  /** Other hours on some weekdays (Tel Aviv's short Sunday, then Friday). */
  days?: Readonly<Partial<Record<"Sun" | "Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat", { open?: Clock; close?: Clock }>>>;
}

/** Trading weekdays from a date on: "Mon-Fri", "Sun-Thu", "Mon,Tue,Thu". */
export interface WeekdaysEra {
  from?: string;
  days: string;
}

/** Days closing at one time: the rules and lists that give them. `key` lets sessions.json move that close. */
export interface EarlyCloses {
  close: Clock;
  rules: readonly Rule[];
  key?: "earlyClose" | "holidayClose";
}

/** Days opening late at one time. */
export interface LateOpens {
  open: Clock;
  rules: readonly Rule[];
}

/** Days whose hours move: the open only (a late start), or every edge (Korea's college entrance exam day). */
export interface Shifts {
  minutes: number;
  edges: "open" | "all";
  rules: readonly Rule[];
}

/** One session with its own hours; `lunch: null` drops the break. */
export interface SpecialSession {
  name: string;
  open?: Clock;
  close?: Clock;
  lunch?: readonly [Clock, Clock] | null;
}

/**
 * Where intraday bars sit inside a session:
 * - "session": on a grid from the session open (and again from the end of a lunch break);
 * - "epoch": on UTC multiples of the interval (as FX and futures vendors label them); a slot overlapping trading time
 *   is expected, so a 4h slot that straddles the open or a halt is one bar.
 */
export type Grid = "session" | "epoch";

/** An exchange calendar, declared. */
export interface CalendarSpec {
  /** Canonical name (ISO 10383 MIC where there is one): XNYS, XTKS, CMES… */
  name: string;
  title: string;
  /** The market family this calendar belongs to (equity, futures, forex). */
  profile: Profile;
  timezone: string;
  /** First year with sessions (the exchange's first, or 1990). */
  firstYear: number;
  /** First session date, when the exchange opened during `firstYear` ("YYYY-MM-DD"). */
  since?: string;
  /** Last year the announced lists (lunar holidays, one-offs) are known to cover. */
  knownUntil: number;
  weekdays?: string | readonly WeekdaysEra[];
  hours: readonly HoursEra[];
  holidays: readonly Rule[];
  earlyCloses?: readonly EarlyCloses[];
  lateOpens?: readonly LateOpens[];
  shifts?: readonly Shifts[];
  /** Sessions with their own hours, keyed "YYYY-MM-DD" (wins over early closes and late opens). */
  special?: Readonly<Record<string, SpecialSession>>;
  /** Days that trade although they are not regular weekdays (make-up Saturdays), keyed "YYYY-MM-DD". */
  extraSessions?: Readonly<Record<string, string>>;
  grid?: Grid;
  /** The calendar this one refines (a CME product group over CMES), for reference overrides by profile. */
  parent?: string;
}

/** Declare a calendar (identity, for type checking and so every file reads the same). */
export function defineCalendar(spec: CalendarSpec): CalendarSpec {
  return spec;
}
