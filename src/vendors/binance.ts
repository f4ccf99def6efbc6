/**
 * Binance spot klines (`/api/v3/klines`), every dqctl interval, paginated 1000 bars at a time.
 * Rows are `[openTime, "open", "high", "low", "close", "volume", closeTime, …]`; daily klines open at
 * 00:00 UTC, which already is the lakehouse label. 418 (IP ban) and 429 are retried with Retry-After.
 * Pages are followed until a short page, so an answer is never cut (no `incomplete`): Binance serves every pair
 * from its listing, and startTime/endTime bound each request to the window asked for.
 */
import * as v from "valibot";
import { VendorError } from "../errors.ts";
import { INTERVAL_NAMES, type Interval, intervalMs } from "../model/interval.ts";
import type { NetworkVendorDescriptor } from "./descriptor.ts";
import { createHttpClient, describeRequest, type HttpClientOptions, parseBody, RETRY_STATUSES } from "./http.ts";
import { BarBuilder, clipBars } from "./rows.ts";
import { vendorSettings } from "./settings.ts";
import { toVendorTicker } from "./tickers.ts";
import type { FetchRequest, FetchResult, Vendor, VendorContext } from "./types.ts";

/** Most klines Binance returns per request. */
export const BINANCE_PAGE = 1000;

const INTERVAL_PARAM: Record<Interval, string> = { "1m": "1m", "5m": "5m", "15m": "15m", "30m": "30m", "1h": "1h", "4h": "4h", "1d": "1d" };

/** Binance describes itself. Defaults: 6000 request weight a minute, klines weigh 2; stay well below. */
export const BINANCE: NetworkVendorDescriptor = {
  kind: "bars",
  name: "binance",
  description: "Binance spot klines, 1000 a page: crypto pairs from their listing on",
  network: true,
  capabilities: { intervals: INTERVAL_NAMES, range: true, capsHistory: false, corporateActions: false, apiKey: "none" },
  settings: { baseUrl: "https://api.binance.com", baseUrlEnv: "DQCTL_BINANCE_BASE_URL", rateLimitPerMinute: 600, concurrency: 8, batchSize: 50 },
  create: (ctx) => binanceVendor(ctx),
};

const Numeric = v.pipe(
  v.union([v.string(), v.number()]),
  v.transform((x) => Number(x)),
  v.check((n) => Number.isFinite(n), "not a finite number"),
);
const Kline = v.pipe(
  v.array(v.unknown()),
  v.minLength(6, "a kline needs at least 6 fields"),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const row = dataset.value;
    const parsed = v.safeParse(v.tuple([v.number(), Numeric, Numeric, Numeric, Numeric, Numeric]), row.slice(0, 6));
    if (!parsed.success) {
      addIssue({ message: `kline [${JSON.stringify(row).slice(0, 80)}]: ${parsed.issues[0]!.message}` });
      return NEVER;
    }
    return parsed.output;
  }),
);
const KlinesBody = v.array(Kline);

/** Options for tests and embedding. */
export interface BinanceOptions {
  now?: () => number;
  http?: Partial<HttpClientOptions>;
}

/** The Binance vendor. */
export function binanceVendor(ctx: VendorContext, opts: BinanceOptions = {}): Vendor {
  const settings = vendorSettings(BINANCE, ctx);
  const client = createHttpClient(settings, { log: ctx.log, retryStatuses: [...RETRY_STATUSES, 418], ...opts.http });
  const now = opts.now ?? Date.now;
  return {
    name: "binance",
    async fetch(req: FetchRequest, signal?: AbortSignal): Promise<FetchResult> {
      const t0 = performance.now();
      const ticker = toVendorTicker("binance", req.symbol, ctx.config);
      const what = describeRequest(ticker, req);
      const step = intervalMs(req.interval);
      const end = Math.min(req.toMs ?? now(), now());
      // Without a start, 0 makes Binance begin at the listing (its genesis).
      let start = req.fromMs ?? 0;
      const out = new BarBuilder(1024);
      let pages = 0;
      while (start <= end) {
        const res = await client.json({
          url: `${settings.baseUrl}/api/v3/klines`,
          query: { symbol: ticker, interval: INTERVAL_PARAM[req.interval], startTime: start, endTime: end, limit: BINANCE_PAGE },
          what,
          symbol: req.symbol.id,
          ...(signal ? { signal } : {}),
        });
        const rows = parseBody(KlinesBody, res.body, "binance", what, req.symbol.id);
        pages++;
        for (const [t, o, h, l, c, vol] of rows) out.push(t, o, h, l, c, vol);
        if (rows.length < BINANCE_PAGE) break;
        const lastOpen = rows[rows.length - 1]![0];
        if (lastOpen < start) {
          throw new VendorError(`binance ${what}: page ${pages} went backwards (last open ${lastOpen} < start ${start})`, "binance", req.symbol.id);
        }
        start = lastOpen + step;
      }
      ctx.log.debug(`binance ${what}: ${out.length} klines in ${pages} pages`);
      return { bars: clipBars(out.build(), req.fromMs, req.toMs), ticker, barsReceived: out.length, latencyMs: performance.now() - t0 };
    },
  };
}
