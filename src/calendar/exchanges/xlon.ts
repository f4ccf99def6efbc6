import { MON, named, nth, observe } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { boxingDay, christmasDay, christmasEve, easterMonday, goodFriday, newYearsDay, newYearsEve } from "./common.ts";

/** London Stock Exchange: 08:00–16:30 London; 12:30 close on Christmas Eve and New Year's Eve. */
export default defineCalendar({
  name: "XLON",
  title: "London Stock Exchange",
  profile: "equity",
  timezone: "Europe/London",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [{ open: "08:00", close: "16:30" }],
  holidays: [
    newYearsDay({ observe: observe.weekendToMonday }),
    goodFriday(),
    easterMonday(),
    // Early May bank holiday: moved to VE Day for its 50th and 75th anniversaries.
    nth("Early May Bank Holiday", 5, MON, 1, { except: [1995, 2020] }),
    // Spring bank holiday: moved for the Golden, Diamond and Platinum Jubilees.
    nth("Spring Bank Holiday", 5, MON, -1, { except: [2002, 2012, 2022] }),
    nth("Summer Bank Holiday", 8, MON, -1),
    christmasDay({ observe: observe.christmasPair }),
    boxingDay({ observe: observe.christmasPair }),
    ...named({
      "1995-05-08": "VE Day (50th anniversary)",
      "1999-12-31": "Millennium",
      "2002-06-03": "Golden Jubilee",
      "2002-06-04": "Golden Jubilee",
      "2011-04-29": "Royal Wedding",
      "2012-06-04": "Diamond Jubilee",
      "2012-06-05": "Diamond Jubilee",
      "2020-05-08": "VE Day (75th anniversary)",
      "2022-06-02": "Platinum Jubilee (Spring Bank Holiday)",
      "2022-06-03": "Platinum Jubilee",
      "2022-09-19": "State Funeral of Queen Elizabeth II",
      "2023-05-08": "Coronation of King Charles III",
    }),
  ],
  earlyCloses: [
    {
      close: "12:30",
      key: "earlyClose",
      rules: [christmasEve({ observe: observe.previousFriday }), newYearsEve({ observe: observe.previousFriday, except: [1999] })],
    },
  ],
});
