/**
 * Market calendars by profile. Decisions (see each file for the detail):
 * - daily bars are labelled with the session date at 00:00 UTC; CME and forex sessions open the evening before
 *   their label (Sunday evening → Monday);
 * - intraday grids: crypto, CME and forex on UTC multiples of the interval (a slot overlapping trading time is
 *   expected); NYSE on a grid from the 09:30 open (1h: 09:30 … 15:30; 4h: 09:30, 13:30; a short last bar on an early close);
 * - session edges come from the tz database once per day (luxon), so every DST switch is exact.
 */
import type { Profile } from "../model/profile.ts";
import { CME_HOURS, cmeNotes, type FuturesHours } from "./cme.ts";
import { CryptoCalendar } from "./crypto.ts";
import { FOREX_HOURS, forexNotes } from "./forex.ts";
import { type EquityHours, NYSE_HOURS, nyseNotes } from "./nyse.ts";
import { applyHolidayOverrides, type ReferenceOverrides } from "./reference.ts";
import { type MarketCalendar, SessionCalendar } from "./sessions.ts";

export type { MarketCalendar,   } from "./sessions.ts";
;
export {  loadReference, type ReferenceOverrides } from "./reference.ts";

function build(profile: Profile, ref: ReferenceOverrides | undefined): MarketCalendar {
  switch (profile) {
    case "crypto":
      return new CryptoCalendar();
    case "equity": {
      const hours: EquityHours = { ...NYSE_HOURS, ...ref?.sessions.equity };
      const o = ref?.holidays.equity;
      return new SessionCalendar("equity", hours, "session", (y) => applyHolidayOverrides(y, nyseNotes(y, hours.earlyClose), o));
    }
    case "futures": {
      const hours: FuturesHours = { ...CME_HOURS, ...ref?.sessions.futures };
      const o = ref?.holidays.futures;
      return new SessionCalendar("futures", hours, "epoch", (y) => applyHolidayOverrides(y, cmeNotes(y, hours), o));
    }
    case "forex": {
      const { timezone, open, close } = { ...FOREX_HOURS, ...ref?.sessions.forex };
      const o = ref?.holidays.forex;
      return new SessionCalendar("forex", { timezone, open, close }, "epoch", (y) => applyHolidayOverrides(y, forexNotes(y), o));
    }
  }
}

const defaults = new Map<Profile, MarketCalendar>();
const withReference = new WeakMap<ReferenceOverrides, Map<Profile, MarketCalendar>>();

/** The calendar of a profile, with reference overrides applied; cached per overrides object so year tables are built once. */
export function calendarFor(profile: Profile, reference?: ReferenceOverrides): MarketCalendar {
  let cache = defaults;
  if (reference) {
    cache = withReference.get(reference) ?? new Map();
    withReference.set(reference, cache);
  }
  let cal = cache.get(profile);
  if (!cal) {
    cal = build(profile, reference);
    cache.set(profile, cal);
  }
  return cal;
}
