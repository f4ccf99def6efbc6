import { dates, easterOffset, fixed, observe, type RuleOptions } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { goodFriday } from "./common.ts";

const sun = { observe: observe.sundayToMonday } satisfies RuleOptions;

/** Johannesburg Stock Exchange: 09:00–17:00 Johannesburg. A Sunday holiday is observed on Monday; Saturday's is lost. */
export default defineCalendar({
  name: "XJSE",
  title: "Johannesburg Stock Exchange",
  profile: "equity",
  timezone: "Africa/Johannesburg",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [{ open: "09:00", close: "17:00" }],
  holidays: [
    fixed("New Year's Day", 1, 1, sun),
    fixed("Human Rights Day", 3, 21, sun),
    goodFriday(),
    easterOffset("Family Day", 1),
    fixed("Freedom Day", 4, 27, sun),
    fixed("Workers' Day", 5, 1, sun),
    fixed("Youth Day", 6, 16, sun),
    fixed("National Women's Day", 8, 9, sun),
    fixed("Heritage Day", 9, 24, sun),
    fixed("Day of Reconciliation", 12, 16, sun),
    fixed("Christmas Day", 12, 25, sun),
    fixed("Day of Goodwill", 12, 26, sun),
    // Elections, and Mondays after two holidays fell on one Sunday.
    dates("Election day", ["2004-04-14", "2006-03-01", "2009-04-22", "2011-05-18", "2014-05-07", "2016-08-03", "2019-05-08"]),
    dates("Public holiday", ["2008-05-02", "2011-12-27", "2016-12-27"]),
  ],
});
