import type { RunContext } from "../context.ts";
import { createScreener } from "../vendors/tradingview/screener.ts";
import type { Screener } from "./scan.ts";

/** The TradingView screener behind `source: tradingview` scanners (created only when such a scanner runs). */
export function tradingViewScreener(ctx: RunContext): Screener {
  return async (sc) => {
    const screener = createScreener({ config: ctx.config, log: ctx.log, env: process.env });
    return screener.screen({
      market: sc.market ?? "america",
      columns: sc.columns ?? ["name", "close", "volume"],
      ...(sc.filters ? { filter: sc.filters } : {}),
      ...(sc.sort ? { sort: { sortBy: sc.sort.sortBy, sortOrder: sc.sort.sortOrder ?? "desc" } } : {}),
      ...(sc.limit ? { limit: sc.limit } : {}),
      ...(sc.pageSize ? { pageSize: sc.pageSize } : {}),
      ...(sc.markets ? { markets: sc.markets } : {}),
    });
  };
}
