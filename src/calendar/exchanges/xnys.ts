import { defineCalendar } from "../spec.ts";
import { NYSE_HOLIDAYS, NYSE_ONE_OFF_CLOSURES, nyseEarlyCloseDays } from "./us.ts";

/** New York Stock Exchange (also NASDAQ, NYSE American, Arca, Cboe equities): 09:30–16:00 New York. */
export default defineCalendar({
  name: "XNYS",
  title: "New York Stock Exchange",
  profile: "equity",
  timezone: "America/New_York",
  firstYear: 1990,
  knownUntil: 2035,
  hours: [{ open: "09:30", close: "16:00" }],
  holidays: [...NYSE_HOLIDAYS, ...NYSE_ONE_OFF_CLOSURES],
  earlyCloses: [
    { close: "14:00", rules: nyseEarlyCloseDays(1990, 1992) },
    { close: "13:00", rules: nyseEarlyCloseDays(1993, 9999), key: "earlyClose" },
  ],
});
