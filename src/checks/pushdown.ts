// Checks a store can push down: what a store answers in its own query language (SQL) instead of dqctl scanning the
// bars it read back. The store returns only the evidence rows (and the counts); the check builds its finding from them
// exactly as from its own scan, so a finding is the same whichever path computed it. Only comparisons and counts are
// pushed down: they are exact in SQL; no metric is computed there.

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

/** What a store computed for one series at `version` (the version its read returned, or it does not apply). */
export interface PushedEvidence {
  version: string;
  bad_value: Flagged<BadCell>;
  ohlc_inconsistent: Flagged<OhlcBar>;
}
