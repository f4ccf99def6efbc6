import { DAY_MS, dayMs, easter, lastWeekday, nthWeekday, observed, parseDateKey, weekday } from "./dates.ts";
import type { DayNote, SessionHours } from "./sessions.ts";

/** NYSE hours and its standard early close, in local minutes (America/New_York). */
export interface EquityHours extends SessionHours {
  earlyClose: number;
}

/** NYSE regular hours: 09:30–16:00 New York, early close 13:00. */
export const NYSE_HOURS: EquityHours = { timezone: "America/New_York", open: 9 * 60 + 30, close: 16 * 60, earlyClose: 13 * 60 };

/** Unscheduled full-day closures (storms, attacks, national days of mourning). */
const ONE_OFF_CLOSURES: Record<string, string> = {
  "1985-09-27": "Hurricane Gloria",
  "1994-04-27": "National Day of Mourning (Richard Nixon)",
  "2001-09-11": "September 11 attacks",
  "2001-09-12": "September 11 attacks",
  "2001-09-13": "September 11 attacks",
  "2001-09-14": "September 11 attacks",
  "2004-06-11": "National Day of Mourning (Ronald Reagan)",
  "2007-01-02": "National Day of Mourning (Gerald Ford)",
  "2012-10-29": "Hurricane Sandy",
  "2012-10-30": "Hurricane Sandy",
  "2018-12-05": "National Day of Mourning (George H. W. Bush)",
  "2025-01-09": "National Day of Mourning (Jimmy Carter)",
};

/** Early closes outside the rules (all 13:00). */
const ONE_OFF_EARLY: Record<string, string> = {
  "1997-12-26": "Day after Christmas",
  "1999-12-31": "New Year's Eve",
  "2003-12-26": "Day after Christmas",
};

/** A regular NYSE holiday of `year`: the observed day and its name. */
interface Holiday {
  day: number | undefined;
  name: string;
}

/** The rule-based NYSE holidays of a year (observed dates; undefined when not observed that year). */
export function nyseHolidays(year: number): Holiday[] {
  const list: Holiday[] = [
    // Saturday New Year's Day is not made up on the Friday before (NYSE Rule 7.2: year-end accounting).
    { day: observed(dayMs(year, 1, 1), "none"), name: "New Year's Day" },
    { day: nthWeekday(year, 2, 1, 3), name: "Washington's Birthday" },
    { day: easter(year) - 2 * DAY_MS, name: "Good Friday" },
    { day: lastWeekday(year, 5, 1), name: "Memorial Day" },
    { day: observed(dayMs(year, 7, 4), "friday"), name: "Independence Day" },
    { day: nthWeekday(year, 9, 1, 1), name: "Labor Day" },
    { day: nthWeekday(year, 11, 4, 4), name: "Thanksgiving Day" },
    { day: observed(dayMs(year, 12, 25), "friday"), name: "Christmas Day" },
  ];
  if (year >= 1998) list.push({ day: nthWeekday(year, 1, 1, 3), name: "Martin Luther King Jr. Day" });
  if (year >= 2022) list.push({ day: observed(dayMs(year, 6, 19), "friday"), name: "Juneteenth" });
  return list;
}

/** The rule-based NYSE early closes of a year (before holiday collisions are removed). */
function nyseEarlyCloses(year: number): Holiday[] {
  const list: Holiday[] = [];
  const july3 = dayMs(year, 7, 3);
  const w3 = weekday(july3);
  // July 3 half days began in 1995 on Mon/Tue/Thu; a Wednesday July 3 was a full day until 2013.
  // A Friday July 3 is the observed holiday itself; a weekend July 3 has no half day at all.
  if (year >= 1995 && (w3 === 1 || w3 === 2 || w3 === 4 || (w3 === 3 && year >= 2013))) list.push({ day: july3, name: "Independence Day eve" });
  // 1995–2012: when July 4 was a Thursday the Friday after was the half day instead (2013 switched to July 3).
  const july5 = dayMs(year, 7, 5);
  if (year >= 1995 && year <= 2012 && weekday(july5) === 5) list.push({ day: july5, name: "Day after Independence Day" });
  if (year >= 1992) list.push({ day: nthWeekday(year, 11, 4, 4) + DAY_MS, name: "Day after Thanksgiving" });
  // Christmas Eve on a Friday is the observed Christmas holiday; on a weekend there is no session.
  const eve = dayMs(year, 12, 24);
  if (weekday(eve) >= 1 && weekday(eve) <= 4) list.push({ day: eve, name: "Christmas Eve" });
  for (const [d, name] of Object.entries(ONE_OFF_EARLY)) if (d.startsWith(`${year}-`)) list.push({ day: parseDateKey(d), name });
  return list;
}

/** Special NYSE days of a year: holidays, one-off closures and early closes (14:00 before 1993, then `earlyClose`). */
export function nyseNotes(year: number, earlyClose: number = NYSE_HOURS.earlyClose): Map<number, DayNote> {
  const notes = new Map<number, DayNote>();
  for (const h of nyseHolidays(year)) if (h.day !== undefined) notes.set(h.day, { day: h.day, kind: "closed", name: h.name });
  for (const [d, name] of Object.entries(ONE_OFF_CLOSURES)) {
    if (d.startsWith(`${year}-`)) notes.set(parseDateKey(d), { day: parseDateKey(d), kind: "closed", name });
  }
  const close = year < 1993 ? 14 * 60 : earlyClose;
  for (const e of nyseEarlyCloses(year)) {
    if (e.day !== undefined && !notes.has(e.day)) notes.set(e.day, { day: e.day, kind: "early", name: e.name, closeMin: close });
  }
  return notes;
}
