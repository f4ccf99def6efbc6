import { localToUtc } from "./zones.ts";

/** Civil-date arithmetic on UTC-midnight epoch ms ("day ms"), plus the one luxon call per session edge. */
export const DAY_MS = 86_400_000;

/** 00:00 UTC of a civil date (month 1–12). */
export function dayMs(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day);
}

/** Weekday of a day ms: 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return new Date(day).getUTCDay();
}

/** True on Saturday or Sunday. */
export function isWeekend(day: number): boolean {
  const w = weekday(day);
  return w === 0 || w === 6;
}

/** The n-th (1-based) weekday `wd` of a month. */
export function nthWeekday(year: number, month: number, wd: number, n: number): number {
  const first = dayMs(year, month, 1);
  const offset = (wd - weekday(first) + 7) % 7;
  return first + (offset + (n - 1) * 7) * DAY_MS;
}

/** The last weekday `wd` of a month. */
export function lastWeekday(year: number, month: number, wd: number): number {
  const last = dayMs(year, month + 1, 0);
  return last - ((weekday(last) - wd + 7) % 7) * DAY_MS;
}

/** Easter Sunday (Gregorian, anonymous algorithm). */
export function easter(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayMs(year, month, day);
}

/** "YYYY-MM-DD" of a day ms. */
export function dateKey(day: number): string {
  return new Date(day).toISOString().slice(0, 10);
}

/** Day ms of a "YYYY-MM-DD" string, or NaN when it is not a real date. */
export function parseDateKey(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return Number.NaN;
  const ms = dayMs(Number(m[1]), Number(m[2]), Number(m[3]));
  return dateKey(ms) === s ? ms : Number.NaN;
}

/** UTC year of an epoch ms. */
export function yearOf(ms: number): number {
  return new Date(ms).getUTCFullYear();
}

/** Minutes after midnight of "HH:MM" (00:00–24:00), or NaN. */
export function parseClock(s: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(s);
  if (!m) return Number.NaN;
  const min = Number(m[1]) * 60 + Number(m[2]);
  return min <= 1440 ? min : Number.NaN;
}

/** "HH:MM" of minutes after midnight. */
export function formatClock(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;
}

/**
 * UTC ms of wall-clock `minutes` after midnight on civil date `day` in `zone` ("24:00" is the next midnight).
 * Offsets come from the tz database through luxon (zones.ts caches each zone's switches per year), so DST is exact
 * and hot loops stay integer arithmetic.
 */
export function wallClockMs(day: number, minutes: number, zone: string): number {
  return localToUtc(zone, day + minutes * 60_000);
}
