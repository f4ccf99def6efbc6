import type { InstrumentConfig } from "../config/schema.ts";
import type { Profile } from "../model/profile.ts";
import type { SymbolId } from "../model/symbol.ts";
import { calendarForExchange, calendarNames, canonicalCalendar, cmeGroupOf, DEFAULT_CALENDAR, profileOfCalendar } from "./registry.ts";

/** The calendar a series follows, and the family it belongs to. */
export interface CalendarChoice {
  calendar: string;
  profile: Profile;
}

/** Why no calendar could be chosen: a one-line message naming the exchange, and how to map it. */
export interface UnknownCalendar {
  unknown: true;
  message: string;
  advice: string;
}

/**
 * The calendar of a symbol, most specific first: `instruments["<id>"].calendar`; the exchange's calendar (CME roots
 * by product group), unless `instruments["<id>"].profile` names another family; the profile's default calendar
 * (configured, or recorded in the catalog when the series was ingested); else unknown.
 */
export function resolveCalendar(
  sym: SymbolId,
  instruments?: Readonly<Record<string, InstrumentConfig | undefined>>,
  recorded?: string,
): CalendarChoice | UnknownCalendar {
  const inst = instruments?.[sym.id];
  if (inst?.calendar) {
    const calendar = canonicalCalendar(inst.calendar);
    if (calendar) return { calendar, profile: inst.profile ?? profileOfCalendar(calendar)! };
  }
  let calendar = calendarForExchange(sym.exchange);
  if (calendar === "CMES") calendar = cmeGroupOf(sym.ticker) ?? calendar;
  const family = calendar ? profileOfCalendar(calendar) : undefined;
  if (calendar && family && (!inst?.profile || inst.profile === family)) return { calendar, profile: family };
  const profile = (inst?.profile ?? recorded) as Profile | undefined;
  if (profile && profile in DEFAULT_CALENDAR) return { calendar: DEFAULT_CALENDAR[profile], profile };
  return {
    unknown: true,
    message: `${sym.id}: unknown exchange "${sym.exchange}", no calendar`,
    advice: `set instruments["${sym.id}"].calendar to its exchange's calendar (${calendarNames()
      .filter((n) => !n.includes("_"))
      .join(", ")}; see dqctl calendar --list) in the config or instruments.json`,
  };
}

/** True when the resolution found no calendar. */
export function isUnknown(r: CalendarChoice | UnknownCalendar): r is UnknownCalendar {
  return "unknown" in r;
}

/** The calendar name of a symbol whose profile is already known (its family's default when the exchange is not). */
export function calendarOfSymbol(sym: SymbolId, instruments: Readonly<Record<string, InstrumentConfig | undefined>> | undefined, profile: Profile): string {
  const r = resolveCalendar(sym, instruments, profile);
  return isUnknown(r) ? DEFAULT_CALENDAR[profile] : r.calendar;
}
