import { DAY_MS, dayMs, easter, observed } from "./dates.ts";
import { nyseHolidays, nyseNotes } from "./nyse.ts";
import type { DayNote, SessionHours } from "./sessions.ts";

/** CME Globex hours (America/Chicago local minutes): the regular halt at `close`, holiday halts and early closes. */
export interface FuturesHours extends SessionHours {
  /** Close on a US holiday Globex trades through (MLK, Presidents, Memorial, Juneteenth, July 4, Labor, Thanksgiving). */
  holidayClose: number;
  /** Close on the days NYSE closes early (day after Thanksgiving, Christmas Eve, July 3). */
  earlyClose: number;
}

/**
 * CME Globex equity-index hours: the session labelled D opens 17:00 Chicago on the calendar day before
 * (Sunday evening for Monday) and closes 16:00 on D; 16:00–17:00 is the daily halt; no Saturday session.
 */
export const CME_HOURS: FuturesHours = { timezone: "America/Chicago", open: 17 * 60, close: 16 * 60, holidayClose: 12 * 60, earlyClose: 12 * 60 + 15 };

/** US holidays on which Globex equity index futures close outright (no session labelled that day). */
const FULL_CLOSURES = new Set(["New Year's Day", "Good Friday", "Christmas Day"]);

/**
 * Special CME days of a year. The rule set (today's Globex equity-index schedule, applied to every year):
 * - closed: New Year's Day (Sunday → Monday; a Saturday one is not made up), Good Friday, Christmas (Saturday → Friday, Sunday → Monday);
 * - halt at `holidayClose` (12:00 CT): every other NYSE rule holiday — the session opened the evening before and
 *   trades until noon, then the next session opens 17:00 as usual;
 * - close at `earlyClose` (12:15 CT): the NYSE 13:00 early-close days.
 * NYSE's one-off closures (storms, days of mourning) are not applied: Globex mostly traded those days;
 * add them in config/reference/holidays.json under "futures" when a vendor shows otherwise.
 */
export function cmeNotes(year: number, hours: FuturesHours = CME_HOURS): Map<number, DayNote> {
  const notes = new Map<number, DayNote>();
  const closures: [number | undefined, string][] = [
    [observed(dayMs(year, 1, 1), "none"), "New Year's Day"],
    [easter(year) - 2 * DAY_MS, "Good Friday"],
    [observed(dayMs(year, 12, 25), "friday"), "Christmas Day"],
  ];
  for (const [day, name] of closures) if (day !== undefined) notes.set(day, { day, kind: "closed", name });
  for (const h of nyseHolidays(year)) {
    if (h.day === undefined || FULL_CLOSURES.has(h.name) || notes.has(h.day)) continue;
    notes.set(h.day, { day: h.day, kind: "early", name: h.name, closeMin: hours.holidayClose });
  }
  for (const n of nyseNotes(year).values()) {
    if (n.kind === "early" && !notes.has(n.day)) notes.set(n.day, { day: n.day, kind: "early", name: n.name, closeMin: hours.earlyClose });
  }
  return notes;
}
