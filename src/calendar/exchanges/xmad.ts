import { FRI, fixed, MON, observe, THU, TUE, WED } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import {
  allSaintsDay,
  assumptionDay,
  boxingDay,
  christmasDay,
  christmasEve,
  easterMonday,
  epiphany,
  goodFriday,
  labourDay,
  newYearsDay,
  newYearsEve,
} from "./common.ts";

const WEEKDAYS = [MON, TUE, WED, THU, FRI];

/** Bolsa de Madrid (BME): 09:00–17:30 Madrid. */
export default defineCalendar({
  name: "XMAD",
  title: "Bolsa de Madrid",
  profile: "equity",
  timezone: "Europe/Madrid",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [{ open: "09:00", close: "17:30" }],
  holidays: [
    newYearsDay(),
    epiphany({ to: 2006 }),
    goodFriday(),
    easterMonday(),
    labourDay(),
    assumptionDay({ to: 2004, observe: observe.weekendToMonday }),
    fixed("National Day", 10, 12, { to: 2004 }),
    allSaintsDay({ to: 2004 }),
    fixed("Constitution Day", 12, 6, { to: 2004 }),
    fixed("Immaculate Conception", 12, 8, { to: 2004 }),
    christmasEve({ to: 2010 }),
    christmasEve({ from: 2021, to: 2023 }),
    christmasDay(),
    boxingDay(),
    newYearsEve({ to: 2010 }),
    newYearsEve({ from: 2021, to: 2023 }),
  ],
  earlyCloses: [
    {
      close: "14:00",
      key: "earlyClose",
      rules: [
        christmasEve({ from: 2012, to: 2020, days: WEEKDAYS }),
        christmasEve({ from: 2024, days: WEEKDAYS }),
        newYearsEve({ from: 2012, to: 2020, days: WEEKDAYS }),
        newYearsEve({ from: 2024, days: WEEKDAYS }),
      ],
    },
  ],
});
