import type { Interval } from "../model/interval.ts";
import type { Profile } from "../model/profile.ts";

/** A market calendar: which bar open times (UTC ms) are expected for an interval. */
export interface Calendar {
  readonly profile: Profile;
  /** Expected bar opens in [fromMs, toMs] (inclusive), ascending. Daily bars are session dates at 00:00 UTC. */
  expected(interval: Interval, fromMs: number, toMs: number): Float64Array;
  /** How many bars `expected` lists, where the calendar can tell without listing them (24/7: arithmetic). */
  count?(interval: Interval, fromMs: number, toMs: number): number;
  /** True when a bar opening at `ts` is expected (in session, on the interval grid). */
  isExpected(interval: Interval, ts: number): boolean;
  /** Open time of the last expected bar that has fully completed by `nowMs`, if any. */
  lastCompleted(interval: Interval, nowMs: number): number | undefined;
}
