// The checks the PostgreSQL store answers in SQL (see src/checks/pushdown.ts): each query returns the first
// MAX_EVIDENCE flagged rows in bar order and, beside each, how many there are in all. Only comparisons and counts
// run in SQL. PostgreSQL orders NaN above every number (NaN > 0 is true there, false in JS), so every comparison
// that could meet a NaN is guarded to give JS's answer.
import type { Sql, TransactionSql } from "postgres";
import type { BadCell, Flagged, OhlcBar, PushedEvidence } from "../../checks/pushdown.ts";
import { MAX_EVIDENCE } from "../../checks/types.ts";
import type { Interval } from "../../model/interval.ts";
import type { SymbolId } from "../../model/symbol.ts";

const TS = "(extract(epoch from ts) * 1000)::float8";

// bad_value: a price ≤ 0, NaN or +∞ (−∞ is ≤ 0); a volume < 0, NaN or +∞. Columns in PRICE_COLUMNS order, then volume.
const BAD_VALUE = `with r as (
    select ts, open, high, low, close, volume from bars
    where symbol = $1 and interval = $2
      and (open <= 0 or high <= 0 or low <= 0 or close <= 0 or volume < 0
        or 'NaN' in (open, high, low, close, volume) or 'Infinity' in (open, high, low, close, volume)))
  select ${TS} as t, x.col, x.val, count(*) over () as n
  from r cross join lateral (values (1, 'open', open), (2, 'high', high), (3, 'low', low), (4, 'close', close), (5, 'volume', volume)) as x(k, col, val)
  where x.val = 'NaN' or x.val = 'Infinity' or (case when x.k = 5 then x.val < 0 else x.val <= 0 end)
  order by ts, x.k limit ${MAX_EVIDENCE}`;

// ohlc_inconsistent: high < open or close, low > open or close, high < low, each false when a NaN takes part (as in JS).
const OHLC = `select ${TS} as t, open, high, low, close, count(*) over () as n
  from bars
  where symbol = $1 and interval = $2
    and ((high < open and open <> 'NaN') or (high < close and close <> 'NaN') or (low > open and low <> 'NaN')
      or (low > close and low <> 'NaN') or (high < low and low <> 'NaN'))
  order by ts limit ${MAX_EVIDENCE}`;

function flagged<T>(rows: readonly Record<string, unknown>[], item: (r: Record<string, unknown>) => T): Flagged<T> {
  return { count: rows.length ? Number(rows[0]!.n) : 0, first: rows.map(item) };
}

/** The pushed-down evidence of one series, with the catalog version it was computed at, in one snapshot. */
export async function pushdownQueries(sql: Sql, sym: SymbolId, interval: Interval): Promise<PushedEvidence | undefined> {
  const args = [sym.id, interval];
  const [bad, ohlc, cat] = await sql.begin("isolation level repeatable read read only", (tx: TransactionSql) => [
    tx.unsafe(BAD_VALUE, args),
    tx.unsafe(OHLC, args),
    tx`select version from catalog where symbol = ${sym.id} and interval = ${interval}`,
  ]);
  const version = cat[0]?.version as string | undefined;
  if (version === undefined) return undefined;
  return {
    version,
    bad_value: flagged<BadCell>(bad, (r) => ({ ts: r.t as number, column: r.col as string, value: r.val as number })),
    ohlc_inconsistent: flagged<OhlcBar>(ohlc, (r) => ({
      ts: r.t as number,
      open: r.open as number,
      high: r.high as number,
      low: r.low as number,
      close: r.close as number,
    })),
  };
}
