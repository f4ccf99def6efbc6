// Checks of a feature set's rows (the screener's technicals): values outside the range their definition allows,
// and requested columns the vendor left empty. Pure: rows and the requested columns in, findings out. The
// freshness of a feature set is the `stale` check itself, over each symbol's feature dates (see pipeline/features.ts).
import type { FeatureRow } from "../features/rows.ts";
import type { Finding } from "../model/finding.ts";
import { type CheckMeta, type CheckOptions, finding, MAX_EVIDENCE } from "./types.ts";

/** The ranges a technical can only be inside by definition (oscillators 0–100, TradingView ratings −1…1). */
export const FEATURE_RANGES: readonly { match: RegExp; min: number; max: number }[] = [
  { match: /^RSI\d*(\[\d+\])?$/, min: 0, max: 100 },
  { match: /^Stoch\.(K|D|RSI\.K|RSI\.D)(\[\d+\])?$/, min: 0, max: 100 },
  { match: /^Recommend\.(All|MA|Other)(\[\d+\])?$/, min: -1, max: 1 },
];

export const FEATURE_OUT_OF_RANGE_META = {
  rule: "a feature value lies outside the range its definition allows: RSI and Stoch in 0–100, the Recommend ratings in −1…1 (the vendor computed or sent it wrong); the row is stored as sent",
  severity: "error",
  options: {},
  example: "NASDAQ:AAPL 2026-11-20: RSI = 131.2 outside 0…100",
} as const satisfies CheckMeta;

export const FEATURE_MISSING_META = {
  rule: "a requested feature column came back empty (null) or not a number (NaN), or the screener returned no row for the symbol at all",
  severity: "warning",
  options: {},
  example: "NYSE:IBM 2026-11-20: 2 of 24 requested columns empty: ADX, CCI20",
} as const satisfies CheckMeta;

const iv = "1d";

/** Range findings, one per symbol and date naming each value outside its range (evidence capped). */
export function featureOutOfRange(rows: readonly FeatureRow[], opts: CheckOptions): Finding[] {
  if (!opts.enabled) return [];
  const out: Finding[] = [];
  for (const r of rows) {
    const bad: { column: string; value: number; min: number; max: number }[] = [];
    for (const [column, value] of Object.entries(r.values)) {
      if (value === null || Number.isNaN(value)) continue;
      const range = FEATURE_RANGES.find((x) => x.match.test(column));
      if (range && (value < range.min || value > range.max)) bad.push({ column, value, min: range.min, max: range.max });
    }
    if (!bad.length) continue;
    const first = bad[0]!;
    out.push(
      finding(
        { symbol: r.symbol, interval: iv },
        "feature_out_of_range",
        opts.severity("error"),
        `${r.symbol} ${r.date}: ${first.column} = ${first.value} outside ${first.min}…${first.max}${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ""}`,
        { values: bad.length },
        { date: r.date, evidence: bad.slice(0, MAX_EVIDENCE) },
      ),
    );
  }
  return out;
}

/** Missing-value findings: requested columns null or NaN in a row, or symbols the screener returned nothing for. */
export function featureMissing(
  rows: readonly FeatureRow[],
  columns: readonly string[],
  absent: readonly { symbol: string; date: string }[],
  opts: CheckOptions,
): Finding[] {
  if (!opts.enabled) return [];
  const sev = opts.severity("warning");
  const out: Finding[] = absent.map((a) =>
    finding(
      { symbol: a.symbol, interval: iv },
      "feature_missing",
      sev,
      `${a.symbol} ${a.date}: the screener returned no row (unknown or delisted symbol); nothing stored`,
      { columns: columns.length },
      { date: a.date, columns: [...columns] },
    ),
  );
  for (const r of rows) {
    const empty = columns.filter((c) => r.values[c] === null || r.values[c] === undefined || Number.isNaN(r.values[c]));
    if (!empty.length) continue;
    const nan = empty.filter((c) => Number.isNaN(r.values[c]));
    out.push(
      finding(
        { symbol: r.symbol, interval: iv },
        "feature_missing",
        sev,
        `${r.symbol} ${r.date}: ${empty.length} of ${columns.length} requested columns empty: ${empty.slice(0, 8).join(", ")}${empty.length > 8 ? ", …" : ""}`,
        { columns: empty.length, nan: nan.length },
        { date: r.date, evidence: empty.slice(0, MAX_EVIDENCE), nan: nan.slice(0, MAX_EVIDENCE) },
      ),
    );
  }
  return out;
}
