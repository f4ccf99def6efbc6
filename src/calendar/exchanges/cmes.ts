import { dates, type Rule } from "../rules.ts";
import { type CalendarSpec, defineCalendar } from "../spec.ts";
import {
  christmas,
  goodFriday,
  independenceDay,
  juneteenth,
  laborDay,
  memorialDay,
  mlkDay,
  newYearsDay,
  nyseEarlyCloseDays,
  presidentsDay,
  thanksgiving,
} from "./us.ts";

/** US holidays on which Globex trades until `holidayClose` (12:00 CT) and reopens 17:00 for the next date. */
export const CME_HOLIDAY_HALTS: readonly Rule[] = [mlkDay, presidentsDay, memorialDay, juneteenth, independenceDay, laborDay, thanksgiving];

/**
 * CME Globex, one calendar for every product (today's equity-index schedule); the product groups in cme-groups.ts
 * refine it where schedules differ. The session labelled D opens 17:00 Chicago the calendar day before (Sunday
 * evening for Monday) and closes 16:00 on D; 16:00–17:00 is the daily halt; no Saturday session.
 * - closed: New Year's Day (Sunday → Monday; a Saturday one is not made up), Good Friday, Christmas (nearest weekday);
 * - halt at 12:00 CT (`holidayClose`): the other NYSE rule holidays;
 * - close at 12:15 CT (`earlyClose`): the NYSE early-close days.
 * NYSE's other one-off closures (storms, days of mourning) are not applied: Globex traded them, by product group.
 */
export const CMES_SPEC: CalendarSpec = defineCalendar({
  name: "CMES",
  title: "CME Globex (all products)",
  profile: "futures",
  timezone: "America/Chicago",
  firstYear: 1990,
  knownUntil: 2035,
  hours: [{ open: "17:00", close: "16:00" }],
  // 1994-04-27 (Nixon's funeral): every US futures market closed; other days of mourning differed by product group.
  holidays: [newYearsDay, goodFriday(), christmas, dates("National Day of Mourning (Richard Nixon)", ["1994-04-27"])],
  earlyCloses: [
    { close: "12:00", rules: CME_HOLIDAY_HALTS, key: "holidayClose" },
    { close: "12:15", rules: nyseEarlyCloseDays(1990, 9999), key: "earlyClose" },
  ],
  grid: "epoch",
});
