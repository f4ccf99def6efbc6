/** US holiday rules shared by the NYSE and CME calendars (observed dates, as the exchanges close). */
import { DAY_MS, nthWeekday } from "../dates.ts";
import { computed, easterOffset, FRI, fixed, MON, named, nth, observe, type Rule, type RuleOptions, THU, TUE, WED } from "../rules.ts";

// A Saturday New Year's Day is not made up on the Friday before (NYSE Rule 7.2: year-end accounting).
export const newYearsDay = fixed("New Year's Day", 1, 1, { observe: observe.sundayToMonday });
export const mlkDay = nth("Martin Luther King Jr. Day", 1, MON, 3, { from: 1998 });
export const presidentsDay = nth("Washington's Birthday", 2, MON, 3);
export const goodFriday = (o?: RuleOptions): Rule => easterOffset("Good Friday", -2, o);
export const memorialDay = nth("Memorial Day", 5, MON, -1);
export const juneteenth = fixed("Juneteenth", 6, 19, { from: 2022, observe: observe.nearestWeekday });
export const independenceDay = fixed("Independence Day", 7, 4, { observe: observe.nearestWeekday });
export const laborDay = nth("Labor Day", 9, MON, 1);
export const thanksgiving = nth("Thanksgiving Day", 11, THU, 4);
export const christmas = fixed("Christmas Day", 12, 25, { observe: observe.nearestWeekday });

/** Unscheduled NYSE closures (storms, attacks, national days of mourning). */
export const NYSE_ONE_OFF_CLOSURES = named({
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
});

/** The NYSE's rule holidays (the CME closes or halts on the same days). */
export const NYSE_HOLIDAYS: readonly Rule[] = [
  newYearsDay,
  mlkDay,
  presidentsDay,
  goodFriday(),
  memorialDay,
  juneteenth,
  independenceDay,
  laborDay,
  thanksgiving,
  christmas,
];

/** The NYSE's early-close days between two years (the close time is the caller's: 14:00 before 1993, then 13:00). */
export function nyseEarlyCloseDays(from: number, to: number): Rule[] {
  const r = { from, to };
  return [
    // July 3 half days began in 1995 on Mon/Tue/Thu; a Wednesday July 3 was a full day until 2013.
    // A Friday July 3 is the observed holiday itself; a weekend July 3 has no half day at all.
    fixed("Independence Day eve", 7, 3, { ...r, from: Math.max(from, 1995), days: [MON, TUE, THU] }),
    fixed("Independence Day eve", 7, 3, { ...r, from: Math.max(from, 2013), days: [WED] }),
    // 1995–2012: when July 4 was a Thursday the Friday after was the half day instead (2013 switched to July 3).
    fixed("Day after Independence Day", 7, 5, { from: Math.max(from, 1995), to: Math.min(to, 2012), days: [FRI] }),
    computed("Day after Thanksgiving", (y) => nthWeekday(y, 11, THU, 4) + DAY_MS, { ...r, from: Math.max(from, 1992) }),
    // Christmas Eve on a Friday is the observed Christmas holiday; on a weekend there is no session.
    fixed("Christmas Eve", 12, 24, { ...r, days: [MON, TUE, WED, THU] }),
    ...named({ "1997-12-26": "Day after Christmas", "1999-12-31": "New Year's Eve", "2003-12-26": "Day after Christmas" }),
  ].map((rule) => ({ name: rule.name, dates: (y, taken) => (y >= from && y <= to ? rule.dates(y, taken) : []) }));
}
