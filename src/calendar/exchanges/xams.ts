import { FRI, fixed, MON, THU, TUE, WED } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { ascensionDay, boxingDay, christmasDay, christmasEve, easterMonday, goodFriday, labourDay, newYearsDay, newYearsEve, whitMonday } from "./common.ts";

const WEEKDAYS = [MON, TUE, WED, THU, FRI];

/** Euronext Amsterdam: 09:00–17:30 Amsterdam (Euronext's common calendar since 2002). */
export default defineCalendar({
  name: "XAMS",
  title: "Euronext Amsterdam",
  profile: "equity",
  timezone: "Europe/Amsterdam",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [{ open: "09:00", close: "17:30" }],
  holidays: [
    newYearsDay(),
    goodFriday(),
    easterMonday(),
    ascensionDay({ to: 2000 }),
    whitMonday({ to: 2001 }),
    fixed("Queen's Day", 4, 30, { to: 2001 }),
    labourDay(),
    christmasDay(),
    boxingDay(),
    newYearsEve({ to: 2001 }),
  ],
  earlyCloses: [{ close: "14:05", key: "earlyClose", rules: [christmasEve({ days: WEEKDAYS }), newYearsEve({ from: 2002, days: WEEKDAYS })] }],
});
