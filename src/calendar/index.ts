/**
 * Market calendars: one declared spec per exchange (exchanges/*.ts) over one session engine (engine.ts).
 * Decisions (see each file for the detail):
 * - daily bars are labelled with the session date at 00:00 UTC; CME and forex sessions open the evening before
 *   their label (Sunday evening → Monday); session-date.ts maps vendor daily stamps onto those labels;
 * - intraday grids: crypto, CME and forex on UTC multiples of the interval (a slot overlapping trading time is
 *   expected); stock exchanges on a grid from the open, restarted after a lunch break (XNYS 1h: 09:30 … 15:30;
 *   XTKS 1h: 09:00, 10:00, 11:00, 12:30, 13:30, 14:30), a short last bar on an early close;
 * - session edges come from the tz database (luxon), so every DST switch is exact.
 */
import { ConfigError } from "../errors.ts";
import { isProfile, type Profile } from "../model/profile.ts";
import { CryptoCalendar } from "./crypto.ts";
import { compile, type HoursOverrides } from "./engine.ts";
import { applyHolidayOverrides, type ReferenceOverrides, referenceKeys } from "./reference.ts";
import { CRYPTO, calendarNames, canonicalCalendar, DEFAULT_CALENDAR, specOf } from "./registry.ts";
import { type MarketCalendar, SessionCalendar } from "./sessions.ts";

export { emptyReference, loadReference, type ReferenceOverrides } from "./reference.ts";
export { calendarNames } from "./registry.ts";
export type { MarketCalendar, Session } from "./sessions.ts";

function build(name: string, ref: ReferenceOverrides | undefined): MarketCalendar {
  if (name === CRYPTO) return new CryptoCalendar();
  const spec = specOf(name)!;
  const keys = referenceKeys(spec);
  let hours: HoursOverrides = {};
  for (const k of keys) hours = { ...hours, ...ref?.sessions[k] };
  const holidays = keys.map((k) => ref?.holidays[k]).filter((o) => o !== undefined);
  return new SessionCalendar(
    compile(spec, hours),
    holidays.length ? (y, notes) => holidays.reduce((n, o) => applyHolidayOverrides(y, n, o), notes) : undefined,
  );
}

const defaults = new Map<string, MarketCalendar>();
const withReference = new WeakMap<ReferenceOverrides, Map<string, MarketCalendar>>();

/** The canonical calendar a profile or calendar name (or exchange alias) means; a ConfigError when it means none. */
export function calendarName(which: Profile | string): string {
  if (isProfile(which)) return DEFAULT_CALENDAR[which];
  const name = canonicalCalendar(which);
  if (!name) throw new ConfigError(`unknown calendar "${which}"`, `use one of ${calendarNames().join(", ")} (dqctl calendar --list)`);
  return name;
}

/**
 * The calendar of a profile (its family's default: equity = XNYS, futures = CMES) or of a calendar name, with
 * reference overrides applied; cached per overrides object so year tables are built once.
 */
export function calendarFor(which: Profile | string, reference?: ReferenceOverrides): MarketCalendar {
  const name = calendarName(which);
  let cache = defaults;
  if (reference) {
    cache = withReference.get(reference) ?? new Map();
    withReference.set(reference, cache);
  }
  let cal = cache.get(name);
  if (!cal) {
    cal = build(name, reference);
    cache.set(name, cal);
  }
  return cal;
}
