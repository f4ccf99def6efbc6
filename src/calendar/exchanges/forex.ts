import { defineCalendar } from "../spec.ts";

/**
 * Spot FX, 24/5: Sunday 17:00 → Friday 17:00 New York, cut into five sessions that each run 17:00 → 17:00.
 * The session ending 17:00 on weekday D is labelled D, so daily bars are the Monday–Friday dates at 00:00 UTC
 * (a Sunday-evening open belongs to Monday's bar), and the sessions tile the week with no gap. No built-in
 * holidays (the interbank market trades through US and UK holidays); add closures in holidays.json.
 */
export default defineCalendar({
  name: "FOREX",
  title: "Spot FX (24/5, New York close)",
  profile: "forex",
  timezone: "America/New_York",
  firstYear: 1990,
  knownUntil: 2100,
  hours: [{ open: "17:00", close: "17:00" }],
  holidays: [],
  grid: "epoch",
});
