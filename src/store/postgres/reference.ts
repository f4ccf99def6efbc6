// The PostgreSQL store's non-bar tables: the symbol metadata history (`symbols`, one row per version) and the
// feature store (`features`, long format: one row per set, symbol, date and column, so any configured column fits
// and a NaN stays a NaN). Writes run inside the writer's commit transaction.
import type { ReservedSql, Sql } from "postgres";
import { type FeatureFilter, type FeatureRow, featureMatches } from "../../features/rows.ts";
import type { Listing, SymbolVersion } from "../../symbols/history.ts";

const CHUNK = 1000;

/** Every stored version, by symbol then valid_from. */
export async function selectSymbols(sql: Sql): Promise<SymbolVersion[]> {
  const rows = await sql`select * from symbols order by symbol, valid_from`;
  return rows.map((r) => ({
    symbol: r.symbol as string,
    name: r.name as string | null,
    description: r.description as string | null,
    type: r.type as string | null,
    subtype: r.subtype as string | null,
    exchange: r.exchange as string | null,
    currency: r.currency as string | null,
    country: r.country as string | null,
    sector: r.sector as string | null,
    industry: r.industry as string | null,
    marketCap: r.market_cap === null ? null : Number(r.market_cap),
    status: r.status as Listing,
    validFrom: (r.valid_from as Date).getTime(),
    validTo: r.valid_to === null ? null : (r.valid_to as Date).getTime(),
    isCurrent: r.is_current as boolean,
  }));
}

/** Replace the stored history with `history` (inside the caller's transaction). */
export async function replaceSymbols(c: ReservedSql, history: readonly SymbolVersion[]): Promise<void> {
  await c`delete from symbols`;
  for (let i = 0; i < history.length; i += CHUNK) {
    const values = history.slice(i, i + CHUNK).map((r) => ({
      symbol: r.symbol,
      valid_from: new Date(r.validFrom),
      valid_to: r.validTo === null ? null : new Date(r.validTo),
      is_current: r.isCurrent,
      name: r.name,
      description: r.description,
      type: r.type,
      subtype: r.subtype,
      exchange: r.exchange,
      currency: r.currency,
      country: r.country,
      sector: r.sector,
      industry: r.industry,
      market_cap: r.marketCap,
      status: r.status,
    }));
    await c`insert into symbols ${c(values)}`;
  }
}

/** A feature set's rows passing `filter`, by date then symbol. */
export async function selectFeatures(sql: Sql, set: string, filter: FeatureFilter = {}): Promise<FeatureRow[]> {
  const rows = await sql`select symbol, to_char(date, 'YYYY-MM-DD') as date, fetched_at, "column", value from features
    where feature_set = ${set}
    ${filter.from !== undefined ? sql`and date >= ${filter.from}::date` : sql``}
    ${filter.to !== undefined ? sql`and date <= ${filter.to}::date` : sql``}
    order by date, symbol, "column"`;
  const by = new Map<string, FeatureRow>();
  for (const r of rows) {
    const key = `${r.date}\u0000${r.symbol}`;
    let row = by.get(key);
    if (!row) {
      row = { symbol: r.symbol as string, date: r.date as string, fetchedAt: (r.fetched_at as Date).getTime(), values: {} };
      by.set(key, row);
    }
    row.values[r.column as string] = r.value === null ? null : Number(r.value);
  }
  return [...by.values()].filter((r) => featureMatches(r, filter));
}

/** Replace one date's rows of a feature set (inside the caller's transaction). */
export async function replaceFeatures(c: ReservedSql, set: string, date: string, rows: readonly FeatureRow[]): Promise<void> {
  await c`delete from features where feature_set = ${set} and date = ${date}::date`;
  const values = rows.flatMap((r) =>
    Object.entries(r.values).map(([column, value]) => ({ feature_set: set, symbol: r.symbol, date, fetched_at: new Date(r.fetchedAt), column, value })),
  );
  for (let i = 0; i < values.length; i += CHUNK) await c`insert into features ${c(values.slice(i, i + CHUNK))}`;
}
