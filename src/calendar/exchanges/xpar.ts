import { FRI, fixed, MON, THU, TUE, WED } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { boxingDay, christmasDay, christmasEve, easterMonday, goodFriday, labourDay, newYearsDay, newYearsEve, whitMonday } from "./common.ts";

const WEEKDAYS = [MON, TUE, WED, THU, FRI];

/** Euronext Paris (also Brussels and Lisbon share the Euronext calendar): 09:00–17:30 Paris. */
export default defineCalendar({
  name: "XPAR",
  title: "Euronext Paris",
  profile: "equity",
  timezone: "Europe/Paris",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [{ open: "09:00", close: "17:30" }],
  holidays: [
    newYearsDay(),
    goodFriday(),
    easterMonday(),
    whitMonday({ to: 2001 }),
    labourDay(),
    fixed("Bastille Day", 7, 14, { to: 2001 }),
    christmasDay(),
    boxingDay(),
    newYearsEve({ to: 2001 }),
  ],
  earlyCloses: [{ close: "14:05", key: "earlyClose", rules: [christmasEve({ days: WEEKDAYS }), newYearsEve({ from: 2002, days: WEEKDAYS })] }],
});
