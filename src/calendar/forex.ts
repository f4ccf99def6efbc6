import type { DayNote, SessionHours } from "./sessions.ts";

/**
 * Spot FX, 24/5: Sunday 17:00 → Friday 17:00 New York, cut into five sessions that each run 17:00 → 17:00.
 * The session ending 17:00 on weekday D is labelled D, so daily bars are the Monday–Friday dates at 00:00 UTC
 * (a Sunday-evening open belongs to Monday's bar), and the sessions tile the week with no gap.
 */
export const FOREX_HOURS: SessionHours = { timezone: "America/New_York", open: 17 * 60, close: 17 * 60 };

/** FX has no built-in holidays (the interbank market trades through US and UK holidays); add closures in holidays.json. */
export function forexNotes(_year: number): Map<number, DayNote> {
  return new Map();
}
