import { fixed, MON, named, nth, observe, onOrAfter } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { boxingDay, christmasDay, christmasEve, easterMonday, goodFriday, newYearsDay, newYearsEve } from "./common.ts";

/** Australian Securities Exchange: 10:00–16:00 Sydney; 14:10 close on the last trading days before Christmas and New Year. */
export default defineCalendar({
  name: "XASX",
  title: "Australian Securities Exchange",
  profile: "equity",
  timezone: "Australia/Sydney",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [{ open: "10:00", close: "16:00" }],
  holidays: [
    newYearsDay({ observe: observe.weekendToMonday }),
    onOrAfter("Australia Day", 1, 26, MON, { to: 1992 }),
    fixed("Australia Day", 1, 26, { from: 1994, observe: observe.weekendToMonday }),
    goodFriday(),
    easterMonday(),
    fixed("Anzac Day", 4, 25, { to: 2009 }),
    fixed("Anzac Day", 4, 25, { from: 2010, to: 2010, observe: observe.sundayToMonday }),
    fixed("Anzac Day", 4, 25, { from: 2011 }),
    nth("King's (Queen's) Birthday", 6, MON, 2),
    christmasDay({ observe: observe.christmasPair }),
    boxingDay({ observe: observe.christmasPair }),
    ...named({
      "1990-12-31": "New Year's Eve",
      "1999-12-31": "Y2K testing",
      "2011-04-26": "Easter Tuesday (Anzac Day substitute)",
      "2022-09-22": "National Day of Mourning (Queen Elizabeth II)",
    }),
  ],
  earlyCloses: [
    {
      close: "14:10",
      key: "earlyClose",
      // None in 2022: ASX traded full days before Christmas and New Year that year.
      rules: [
        christmasEve({ from: 2010, to: 2021, observe: observe.previousFriday }),
        newYearsEve({ from: 2010, to: 2021, observe: observe.previousFriday }),
        christmasEve({ from: 2023, observe: observe.previousFriday }),
        newYearsEve({ from: 2023, observe: observe.previousFriday }),
      ],
    },
  ],
});
