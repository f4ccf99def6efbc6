/**
 * TradingView screener HTTP API (used by `scan`): POST `{base}/{market}/scan`, paginated by `range`.
 * Base URL from vendors["tradingview-scanner"].baseUrl or DQCTL_TRADINGVIEW_SCANNER_URL.
 */
import * as v from "valibot";
import { silentLogger } from "../../context.ts";
import { VendorError } from "../../errors.ts";
import type { ScreenerDescriptor } from "../descriptor.ts";
import { createHttpClient, type HttpClient, type HttpClientOptions, parseBody } from "../http.ts";
import { vendorSettings } from "../settings.ts";
import type { VendorContext } from "../types.ts";

/** The screener describes itself: an endpoint with settings under `vendors["tradingview-scanner"]`, serving rows, not bars. */
export const TRADINGVIEW_SCANNER: ScreenerDescriptor = {
  kind: "screener",
  name: "tradingview-scanner",
  description: "TradingView screener HTTP API, behind `scan` scanners with source: tradingview",
  network: true,
  settings: { baseUrl: "https://scanner.tradingview.com", baseUrlEnv: "DQCTL_TRADINGVIEW_SCANNER_URL", rateLimitPerMinute: 60, concurrency: 2, batchSize: 1 },
  create: (ctx) => createScreener(ctx),
};

/** One screener filter, e.g. `{ left: "volume", operation: "greater", right: 1e6 }`. */
export interface ScreenFilter {
  left: string;
  operation: string;
  right?: unknown;
}

/** What to screen. */
export interface ScreenOptions {
  /** Screener market path segment: america, crypto, forex, futures, … */
  market: string;
  columns: string[];
  filter?: ScreenFilter[];
  sort?: { sortBy: string; sortOrder: "asc" | "desc" };
  /** Stop after this many rows (default: all of totalCount). */
  limit?: number;
  /** Rows per request (default 500). */
  pageSize?: number;
  /** `markets` in the body (default `[market]`). */
  markets?: string[];
  /** Extra body keys passed through (e.g. `symbols`, `filter2`, `options`). */
  extra?: Record<string, unknown>;
  signal?: AbortSignal;
}

/** One screener row: the TradingView symbol id and its columns by name. */
export interface ScreenRow {
  symbol: string;
  values: Record<string, unknown>;
}

const ScanBody = v.object({
  totalCount: v.number(),
  data: v.nullable(v.array(v.object({ s: v.string(), d: v.array(v.unknown()) }))),
});

/** A screener bound to one HTTP client (its rate and concurrency limits shared across calls). */
export interface Screener {
  screen(options: ScreenOptions): Promise<ScreenRow[]>;
}

/** Build a screener from the config and environment. */
export function createScreener(ctx: Pick<VendorContext, "config" | "env"> & { log?: VendorContext["log"] }, http: Partial<HttpClientOptions> = {}): Screener {
  const settings = vendorSettings(TRADINGVIEW_SCANNER, ctx);
  const client: HttpClient = createHttpClient(settings, { log: ctx.log ?? silentLogger, headers: { origin: "https://www.tradingview.com" }, ...http });
  return {
    async screen(options: ScreenOptions): Promise<ScreenRow[]> {
      const pageSize = Math.max(1, options.pageSize ?? 500);
      const what = `scan ${options.market}`;
      const out: ScreenRow[] = [];
      let total = Number.POSITIVE_INFINITY;
      const want = () => Math.min(total, options.limit ?? Number.POSITIVE_INFINITY);
      for (let from = 0; from < want(); from += pageSize) {
        const to = Math.min(from + pageSize, want());
        const res = await client.json({
          url: `${settings.baseUrl}/${encodeURIComponent(options.market)}/scan`,
          method: "POST",
          body: {
            filter: options.filter ?? [],
            columns: options.columns,
            ...(options.sort ? { sort: options.sort } : {}),
            range: [from, Number.isFinite(to) ? to : from + pageSize],
            markets: options.markets ?? [options.market],
            options: { lang: "en" },
            ...options.extra,
          },
          what,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        const body = parseBody(ScanBody, res.body, "tradingview", what);
        total = body.totalCount;
        const data = body.data ?? [];
        for (const row of data) {
          if (row.d.length !== options.columns.length) {
            throw new VendorError(
              `tradingview ${what}: row ${row.s} has ${row.d.length} values for ${options.columns.length} columns (schema drift)`,
              "tradingview",
              row.s,
              res.status,
              res.attempts,
            );
          }
          const values: Record<string, unknown> = {};
          for (const [i, c] of options.columns.entries()) values[c] = row.d[i];
          out.push({ symbol: row.s, values });
        }
        if (data.length < to - from) break; // the server had fewer than asked: nothing further
      }
      return out;
    },
  };
}

/** Run one screen with a throwaway client (use createScreener to share limits across screens). */
export function screen(
  options: ScreenOptions,
  ctx: Pick<VendorContext, "config" | "env"> & { log?: VendorContext["log"] } = { config: {}, env: process.env },
): Promise<ScreenRow[]> {
  return createScreener(ctx).screen(options);
}
