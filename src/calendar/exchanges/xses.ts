import { announced } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { XSES_CLOSURES } from "./xses-closures.ts";

/**
 * Singapore Exchange (SGX): 09:00–17:00 Singapore. Closures are Singapore's public holidays (a Sunday one is
 * observed on Monday), elections and market holidays as SGX announced them (1990–2026, via exchange_calendars).
 * 2027 lists the dates fixed by rule so far; Hari Raya Puasa and Haji, Vesak Day and Deepavali follow when the
 * Ministry of Manpower gazettes them (until then add them in holidays.json under "XSES").
 */
export default defineCalendar({
  name: "XSES",
  title: "Singapore Exchange",
  profile: "equity",
  timezone: "Asia/Singapore",
  firstYear: 1990,
  knownUntil: 2026,
  hours: [{ open: "09:00", close: "17:00" }],
  holidays: announced(XSES_CLOSURES),
});
