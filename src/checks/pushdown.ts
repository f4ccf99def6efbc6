// Checks a store can push down: what a store answers in its own query language (SQL) instead of dqctl scanning the
// bars it read back. The store returns only the evidence rows (and the counts); the check builds its finding from them
// exactly as from its own scan, so a finding is the same whichever path computed it. Only comparisons, counts and
// run lengths are pushed down: they are exact in SQL. A metric that needs IEEE arithmetic as JS does it (a ratio) is
// computed by the check from the evidence rows; the store returns a superset of the rows that could qualify.

import type { Interval } from "../model/interval.ts";

/** One flagged bar of bad_value: the bar's open time (epoch ms), the column and its value as stored. */
export interface BadCell {
  ts: number;
  column: string;
  value: number;
}

/** One flagged bar of ohlc_inconsistent. */
export interface OhlcBar {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** The first MAX_EVIDENCE flagged items in bar order (columns in PRICE_COLUMNS order, then volume) and how many there are. */
export interface Flagged<T> {
  count: number;
  first: T[];
}

/** A close-to-close move between two usable closes: the bar it reaches (ts), the close before and its close. */
export interface Move {
  ts: number;
  prev: number;
  close: number;
}

/**
 * toxic_return's evidence at `maxRatio`: every move whose log ratio comes within 1e-9 of the threshold (a superset of
 * the toxic ones, in bar order; the check applies the exact test), and the distinct (prev, close) pairs within 1e-9 of
 * the series' largest and smallest log ratio (the check takes the exact extremes among them).
 */
export interface ToxicEvidence {
  maxRatio: number;
  candidates: Move[];
  extremes: { prev: number; close: number }[];
  /** False when no pair of usable closes exists (the extremes are then ±∞ as in the scan). */
  any: boolean;
}

/** One run of zero close changes as price_stall's scan finds it: bar indexes [from, to], to − from changes. */
export interface StallEvidenceRun {
  from: number;
  to: number;
  length: number;
  price: number;
}

/** price_stall's evidence at `minRun`: how many runs, the longest, the last MAX_EVIDENCE runs in bar order. */
export interface StallEvidence {
  minRun: number;
  count: number;
  longest: number;
  last: StallEvidenceRun[];
}

/** A timestamp stored more than once, and how many times. */
export interface Repeat {
  ts: number;
  count: number;
}

/** duplicate_rows' evidence over the rows as stored: extra rows, every repeated timestamp in order. */
export interface DuplicateEvidence {
  extra: number;
  repeated: Repeat[];
}

/**
 * gap's and coverage's evidence over the window [fromMs, toMs] (both inclusive): the calendar's expected bar opens
 * there (dqctl's, handed to the store), how many of them the store holds, and the missing runs, oldest first.
 */
export interface CalendarEvidence {
  fromMs: number;
  toMs: number;
  expected: number;
  observed: number;
  missing: { fromMs: number; toMs: number; bars: number }[];
}

/** What a store computed for one series at `version` (the version its read returned, or it does not apply). */
export interface PushedEvidence {
  version: string;
  bad_value: Flagged<BadCell>;
  ohlc_inconsistent: Flagged<OhlcBar>;
  toxic_return: ToxicEvidence;
  price_stall: StallEvidence;
  duplicate_rows: DuplicateEvidence;
  /** Present when the request carried a window and the calendar's opens in it. */
  calendar?: CalendarEvidence;
  /** The last bar's open time (stale), undefined for a series without bars. */
  lastTs?: number;
}

/** One series to push checks down for, with the options the checks will run with (evidence depends on them). */
export interface PushdownRequest {
  symbol: string;
  interval: Interval;
  maxRatio: number;
  minRun: number;
  /** The window gap and coverage are judged over, and which of the call's session lists holds the calendar's opens in it. */
  window?: { fromMs: number; toMs: number; sessions: number };
}

/** The key of a series in a pushdown answer. */
export function pushdownKey(symbol: string, interval: Interval): string {
  return `${symbol} ${interval}`;
}
