import { DAY_MS, dayMs, weekday } from "../dates.ts";
import { computed, FRI, fixed, MON, named, nth, observe, THU, TUE, WED } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { boxingDay, christmasDay, christmasEve, goodFriday, newYearsDay } from "./common.ts";

/** The Monday before May 25 (Victoria Day). */
const victoriaDay = (y: number) => dayMs(y, 5, 24) - ((weekday(dayMs(y, 5, 24)) - MON + 7) % 7) * DAY_MS;

/** Toronto Stock Exchange (and TSX Venture): 09:30–16:00 Toronto; 13:00 close on Christmas Eve from 2010. */
export default defineCalendar({
  name: "XTSE",
  title: "Toronto Stock Exchange",
  profile: "equity",
  timezone: "America/Toronto",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [{ open: "09:30", close: "16:00" }],
  holidays: [
    newYearsDay({ observe: observe.weekendToMonday }),
    nth("Family Day", 2, MON, 3, { from: 2008 }),
    goodFriday(),
    computed("Victoria Day", victoriaDay),
    fixed("Canada Day", 7, 1, { observe: observe.weekendToMonday }),
    nth("Civic Holiday", 8, MON, 1),
    nth("Labour Day", 9, MON, 1),
    nth("Thanksgiving", 10, MON, 2),
    christmasDay({ observe: observe.christmasPair }),
    boxingDay({ observe: observe.christmasPair }),
    ...named({ "2001-09-11": "September 11 attacks", "2001-09-12": "September 11 attacks" }),
  ],
  earlyCloses: [{ close: "13:00", key: "earlyClose", rules: [christmasEve({ from: 2010, days: [MON, TUE, WED, THU, FRI] })] }],
});
