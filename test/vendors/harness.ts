/** Shared test helpers: a vendor context pointed at a local server, and bars as fixture rows. */
import type { Config } from "../../src/config/schema.ts";
import { silentLogger } from "../../src/context.ts";
import type { Bars } from "../../src/model/bars.ts";
import type { Interval } from "../../src/model/interval.ts";
import { parseSymbol, resolveProfile } from "../../src/model/symbol.ts";
import type { FetchRequest, VendorContext } from "../../src/vendors/types.ts";

/** Fast, small resilience settings so fault tests run in milliseconds. */
export const FAST = { retries: 3, timeoutMs: 400, totalTimeoutMs: 5000, rateLimitPerMinute: 0, concurrency: 4 };

/** A vendor context whose `vendor` base URL is `url`, with test keys and a tiny backoff. */
export function ctxFor(vendor: string, url: string, extra: Record<string, unknown> = {}, config: Config = {}): VendorContext {
  return {
    config: { ...config, vendors: { ...config.vendors, [vendor]: { baseUrl: url, apiKey: "test-key", ...FAST, ...extra } } },
    log: silentLogger,
    env: { DQCTL_HTTP_BACKOFF_MS: "5" },
  };
}

/** A fetch request for `id` at `interval`. */
export function request(id: string, interval: Interval, fromMs?: number, toMs?: number): FetchRequest {
  const symbol = parseSymbol(id);
  const profile = id.startsWith("FRED:") ? "equity" : resolveProfile(symbol);
  return { symbol, profile, interval, ...(fromMs !== undefined ? { fromMs } : {}), ...(toMs !== undefined ? { toMs } : {}) };
}

/** A fixture row: `[iso, o, h, l, c, v]`. */
export type Row = [string, number, number, number, number, number];

/** Bars as `[iso, o, h, l, c, v]` rows, the fixtures' `expected` form. */
export function rows(b: Bars): Row[] {
  return Array.from(b.timestamp, (t, i) => [new Date(t).toISOString(), b.open[i]!, b.high[i]!, b.low[i]!, b.close[i]!, b.volume[i]!]);
}

/** Fixture `expected` rows with ISO timestamps normalised to `toISOString` form. */
export function expectedRows(expected: Row[]): Row[] {
  return expected.map(([t, ...rest]) => [new Date(t).toISOString(), ...rest]);
}
