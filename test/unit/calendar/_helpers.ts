import { calendarFor } from "../../../src/calendar/index.ts";
import type { CheckInput, CheckOptions } from "../../../src/checks/types.ts";
import { allocBars, type Bars, normalizeBars } from "../../../src/model/bars.ts";
import type { Interval } from "../../../src/model/interval.ts";
import type { Profile } from "../../../src/model/profile.ts";
import { localClock } from "../../helpers/answers.ts";

/** UTC ms of an ISO string (tests read better with literal dates). */
export const T = (s: string): number => Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
export const ISO = (ms: number): string => new Date(ms).toISOString();

/** Check options with defaults, optionally overridden. */
export function opts(values: Record<string, number> = {}, severity?: "warning" | "error"): CheckOptions {
  const o: CheckOptions = {
    enabled: true,
    severity: (d) => severity ?? d,
    number: (k, d) => values[k] ?? d,
    numbers: (_k, d) => d,
    strings: (_k, d) => d,
    has: (k) => values[k] !== undefined,
    at: () => o,
    scope: () => o,
  };
  return o;
}

/** Bars at the given opens (in the given order, repeats kept as raw rows). */
export function barsAt(ts: ArrayLike<number>): Bars {
  const b = allocBars(ts.length);
  for (let i = 0; i < ts.length; i++) {
    b.timestamp[i] = ts[i]!;
    b.open[i] = b.high[i] = b.low[i] = b.close[i] = 100;
    b.volume[i] = 1;
  }
  return b;
}

/** A check input for a series with raw rows `ts`. */
export function inputFor(profile: Profile, interval: Interval, ts: ArrayLike<number>, extra: Partial<CheckInput> = {}): CheckInput {
  const raw = barsAt(ts);
  return {
    symbol: "TEST:X",
    interval,
    profile,
    raw,
    bars: normalizeBars(raw),
    calendar: calendarFor(profile),
    nowMs: T("2030-01-01"),
    ...extra,
  };
}

/** Local wall-clock "YYYY-MM-DD HH:MM" of a UTC ms in a zone (an oracle independent of luxon). */
export function wall(ms: number, zone: string): string {
  const { date, hm } = localClock(ms, zone);
  return `${date} ${hm}`;
}
