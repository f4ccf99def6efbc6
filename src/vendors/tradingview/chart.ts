/** The `tradingview` bar vendor: history over the chart WebSocket, normalised to lakehouse bars. */
import { INTERVAL_NAMES, intervalMs } from "../../model/interval.ts";
import { dailyLabeler } from "../daily.ts";
import type { NetworkVendorDescriptor } from "../descriptor.ts";
import { describeRequest } from "../http.ts";
import { BarBuilder, clipBars } from "../rows.ts";
import { vendorSettings } from "../settings.ts";
import { toVendorTicker } from "../tickers.ts";
import type { FetchRequest, FetchResult, Vendor, VendorContext } from "../types.ts";
import { TV_RESOLUTION } from "./protocol.ts";
import { collectHistory } from "./ws.ts";

/** TradingView's chart describes itself; TRADINGVIEW_AUTH_TOKEN (or vendors.tradingview.apiKey) logs in when set. */
export const TRADINGVIEW: NetworkVendorDescriptor = {
  kind: "bars",
  name: "tradingview",
  description: "TradingView chart WebSocket: any TradingView symbol, windows by range, history paged to its start",
  network: true,
  capabilities: {
    intervals: INTERVAL_NAMES.filter((i) => TV_RESOLUTION[i] !== undefined),
    range: true,
    capsHistory: true,
    corporateActions: true,
    apiKey: "optional",
  },
  settings: {
    baseUrl: "wss://data.tradingview.com/socket.io/websocket?type=chart",
    baseUrlEnv: "DQCTL_TRADINGVIEW_WS_URL",
    apiKeyEnv: "TRADINGVIEW_AUTH_TOKEN",
    rateLimitPerMinute: 60,
    concurrency: 2,
    batchSize: 10,
  },
  create: (ctx) => tradingviewVendor(ctx),
};

const DAY = 86_400_000;

/** Options for tests and embedding. */
export interface TradingViewOptions {
  now?: () => number;
  silenceMs?: number;
  idlePackets?: number;
  initialBars?: number;
  moreBars?: number;
}

/** The `tradingview` bar vendor over the chart WebSocket (URL from vendors.tradingview.baseUrl or DQCTL_TRADINGVIEW_WS_URL). */
export function tradingviewVendor(ctx: VendorContext, opts: TradingViewOptions = {}): Vendor {
  const settings = vendorSettings(TRADINGVIEW, ctx);
  const now = opts.now ?? Date.now;
  return {
    name: "tradingview",
    async fetch(req: FetchRequest, signal?: AbortSignal): Promise<FetchResult> {
      const t0 = performance.now();
      const ticker = toVendorTicker("tradingview", req.symbol, ctx.config);
      const what = describeRequest(ticker, req);
      const step = intervalMs(req.interval);
      // A window with a start is asked for as a range (only its bars are downloaded); without one, history is
      // paged back from now to its start.
      // Daily windows are padded a day each side: TradingView stamps a daily bar at its session's open (Globex and
      // FX the evening before), not at the 00:00 UTC label the window is in; the answer is clipped to labels below.
      const pad = req.interval === "1d" ? DAY : 0;
      const toMs = Math.min(req.toMs ?? now(), now());
      const range = req.fromMs === undefined ? undefined : { fromSec: Math.floor((req.fromMs - pad) / 1000), toSec: Math.ceil((toMs + pad) / 1000) };
      const want = req.fromMs === undefined ? 5000 : Math.ceil((toMs - req.fromMs) / step) + 10;
      const h = await collectHistory({
        url: settings.baseUrl,
        symbol: ticker,
        resolution: TV_RESOLUTION[req.interval],
        ...(req.fromMs !== undefined ? { fromMs: req.fromMs } : {}),
        ...(range ? { range } : {}),
        ...(settings.apiKey ? { authToken: settings.apiKey } : {}),
        initialBars: opts.initialBars ?? Math.max(10, Math.min(5000, want)),
        moreBars: opts.moreBars ?? 5000,
        totalTimeoutMs: settings.totalTimeoutMs,
        silenceMs: opts.silenceMs ?? settings.timeoutMs,
        idlePackets: opts.idlePackets ?? 6,
        maxReconnects: settings.retries,
        backoffBaseMs: settings.backoffBaseMs,
        what,
        vendorSymbol: req.symbol.id,
        log: ctx.log,
        ...(signal ? { signal } : {}),
      });
      // TradingView stamps a daily bar at its session's open (Globex and FX the evening before) or local midnight.
      const labeler = req.interval === "1d" ? dailyLabeler(req, ctx.config, h.timezone) : undefined;
      const out = new BarBuilder(h.bars.length);
      h.bars.forEach(([t, o, hi, l, c, vol], i) => {
        const ms = t * 1000;
        out.push(labeler ? labeler.label(ms, () => `bar ${i}`) : ms, o, hi, l, c, vol);
      });
      const warning = labeler?.warning(`tradingview ${what}`);
      if (warning) ctx.log.warn(warning);
      const bars = clipBars(out.build(), req.fromMs, req.toMs);
      return { bars, ticker, barsReceived: h.bars.length, ...(h.incomplete ? { incomplete: h.incomplete } : {}), latencyMs: performance.now() - t0 };
    },
  };
}
