import { DAY_MS, dayMs, isWeekend } from "../dates.ts";
import { computed, dates, fixed } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { boxingDay, christmasDay, christmasEve, easterMonday, goodFriday, labourDay, newYearsDay, newYearsEve, whitMonday } from "./common.ts";

/** The last trading day before New Year's Eve (Xetra closes early then from 2010). */
function lastWorkingDay(year: number): number {
  let d = dayMs(year, 12, 30);
  while (isWeekend(d)) d -= DAY_MS;
  return d;
}

/** Deutsche Börse Xetra: 09:00–17:30 Frankfurt. */
export default defineCalendar({
  name: "XETR",
  title: "Deutsche Börse Xetra",
  profile: "equity",
  timezone: "Europe/Berlin",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [{ open: "09:00", close: "17:30" }],
  holidays: [
    newYearsDay(),
    goodFriday(),
    easterMonday(),
    labourDay(),
    whitMonday({ from: 2015, to: 2021 }),
    fixed("Day of German Unity", 10, 3, { from: 2014, to: 2021 }),
    christmasEve(),
    christmasDay(),
    boxingDay(),
    newYearsEve(),
    dates("Whit Monday", ["2007-05-28"]),
    dates("Reformation Day (500th anniversary)", ["2017-10-31"]),
  ],
  earlyCloses: [{ close: "14:00", key: "earlyClose", rules: [computed("Last trading day of the year", lastWorkingDay, { from: 2010 })] }],
});
