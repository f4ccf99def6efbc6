import { ConfigError } from "../errors.ts";

/** Supported bar intervals and their length in milliseconds. */
export const INTERVALS = { "1m": 60_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000, "1h": 3_600_000, "4h": 14_400_000, "1d": 86_400_000 } as const;
export type Interval = keyof typeof INTERVALS;
export const INTERVAL_NAMES = Object.keys(INTERVALS) as Interval[];

/** True when `s` is one of the supported intervals. */
export function isInterval(s: string): s is Interval {
  return Object.hasOwn(INTERVALS, s);
}

/** Validate an interval before it is used in a path. */
export function parseInterval(s: string): Interval {
  if (!isInterval(s)) throw new ConfigError(`unknown interval "${s}"`, `use one of ${INTERVAL_NAMES.join(", ")}`);
  return s;
}

/** Interval length in ms. */
export function intervalMs(i: Interval): number {
  return INTERVALS[i];
}
