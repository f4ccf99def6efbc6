// A feature set's rows: one per (symbol, session date), the requested columns as numbers (null: the vendor sent
// none). Stored partitioned by date; a re-ingest of the same (symbol, date) replaces its row.

/** The TradingView technicals feature set's name (its folder under features/ and its lineage node). */
export const TV_TECHNICALS_1D = "tv_technicals_1d";

/** The screener's technical columns ingested by default (`--columns` or config features.columns to change). */
export const DEFAULT_FEATURE_COLUMNS: readonly string[] = [
  "Recommend.All",
  "Recommend.MA",
  "Recommend.Other",
  "RSI",
  "MACD.macd",
  "MACD.signal",
  "ADX",
  "Stoch.K",
  "CCI20",
  "ATR",
  ...[20, 30, 50, 100, 200].flatMap((n) => [`SMA${n}`, `EMA${n}`]),
  "BB.upper",
  "BB.lower",
  "Volatility.D",
];

/** One symbol's features on one session date. */
export interface FeatureRow {
  symbol: string;
  /** The session date, YYYY-MM-DD. */
  date: string;
  /** When the values were fetched (UTC epoch ms). */
  fetchedAt: number;
  /** Column → value; NaN when the vendor sent something that is not a finite number, null when it sent nothing. */
  values: Record<string, number | null>;
}

/** What to read back: a date range (inclusive, YYYY-MM-DD) and symbols. */
export interface FeatureFilter {
  from?: string;
  to?: string;
  symbols?: readonly string[];
}

/** True when a row passes the filter. */
export function featureMatches(r: FeatureRow, f: FeatureFilter): boolean {
  return (f.from === undefined || r.date >= f.from) && (f.to === undefined || r.date <= f.to) && (!f.symbols || f.symbols.includes(r.symbol));
}

/** Merge `incoming` over `stored` by (symbol, date): a re-ingested row replaces the stored one. Sorted by symbol. */
export function mergeFeatureRows(stored: readonly FeatureRow[], incoming: readonly FeatureRow[]): FeatureRow[] {
  const by = new Map<string, FeatureRow>();
  for (const r of [...stored, ...incoming]) by.set(`${r.symbol}\u0000${r.date}`, r);
  return [...by.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Two rows hold the same values (NaN equal to NaN, an absent column equal to null), ignoring when they were fetched. */
export function sameFeatures(a: FeatureRow, b: FeatureRow): boolean {
  const keys = new Set([...Object.keys(a.values), ...Object.keys(b.values)]);
  return [...keys].every((k) => Object.is(a.values[k] ?? null, b.values[k] ?? null));
}
