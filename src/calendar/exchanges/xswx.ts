import { fixed } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { ascensionDay, boxingDay, christmasDay, christmasEve, easterMonday, goodFriday, labourDay, newYearsDay, newYearsEve, whitMonday } from "./common.ts";

/** SIX Swiss Exchange: 09:00–17:30 Zurich. */
export default defineCalendar({
  name: "XSWX",
  title: "SIX Swiss Exchange",
  profile: "equity",
  timezone: "Europe/Zurich",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [{ open: "09:00", close: "17:30" }],
  holidays: [
    newYearsDay(),
    fixed("Berchtold's Day", 1, 2),
    goodFriday(),
    easterMonday(),
    labourDay(),
    ascensionDay(),
    whitMonday(),
    fixed("Swiss National Day", 8, 1),
    christmasEve(),
    christmasDay(),
    boxingDay(),
    newYearsEve(),
  ],
});
