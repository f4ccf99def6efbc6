import type { RunContext } from "../context.ts";
import { METADATA_COLUMNS, metaOf } from "../symbols/history.ts";
import { createScreener } from "../vendors/tradingview/screener.ts";
import type { TickerScreener } from "./features.ts";
import type { Screener } from "./scan.ts";

/**
 * The TradingView screener behind `source: tradingview` scanners (created only when such a scanner runs). It asks
 * for the metadata columns too, so each row's metadata reaches the symbol catalog; the row's values stay the
 * columns the scanner asked for.
 */
export function tradingViewScreener(ctx: RunContext): Screener {
  return async (sc) => {
    const screener = createScreener({ config: ctx.config, log: ctx.log, env: process.env });
    const asked = sc.columns ?? ["name", "close", "volume"];
    const rows = await screener.screen({
      market: sc.market ?? "america",
      columns: [...new Set([...asked, ...METADATA_COLUMNS])],
      ...(sc.filters ? { filter: sc.filters } : {}),
      ...(sc.sort ? { sort: { sortBy: sc.sort.sortBy, sortOrder: sc.sort.sortOrder ?? "desc" } } : {}),
      ...(sc.limit ? { limit: sc.limit } : {}),
      ...(sc.pageSize ? { pageSize: sc.pageSize } : {}),
      ...(sc.markets ? { markets: sc.markets } : {}),
    });
    return rows.map((r) => ({ symbol: r.symbol, values: Object.fromEntries(asked.map((c) => [c, r.values[c]])), meta: metaOf(r.values) }));
  };
}

/** The TradingView screener asked for exact tickers (`symbols.tickers` on the global market): `features ingest`. */
export function tradingViewTickers(ctx: RunContext): TickerScreener {
  return async (tickers, columns) => {
    if (!tickers.length) return [];
    const screener = createScreener({ config: ctx.config, log: ctx.log, env: process.env });
    return screener.screen({ market: "global", columns, limit: tickers.length, extra: { symbols: { tickers, query: { types: [] } } } });
  };
}
