/** The `tradingview` bar vendor: history over the chart WebSocket, normalised to lakehouse bars. */
import { INTERVAL_NAMES, intervalMs } from "../../model/interval.ts";
import { dailyLabel } from "../daily.ts";
import { describeRequest } from "../http.ts";
import { BarBuilder, clipBars } from "../rows.ts";
import type { NetworkVendorDescriptor } from "../descriptor.ts";
import { vendorSettings } from "../settings.ts";
import { toVendorTicker } from "../tickers.ts";
import type { FetchRequest, FetchResult, Vendor, VendorContext } from "../types.ts";
import { TV_RESOLUTION } from "./protocol.ts";
import { collectHistory } from "./ws.ts";

/** TradingView's chart describes itself; TRADINGVIEW_AUTH_TOKEN (or vendors.tradingview.apiKey) logs in when set. */
export const TRADINGVIEW: NetworkVendorDescriptor = {
  kind: "bars",
  name: "tradingview",
  description: "TradingView chart WebSocket: any TradingView symbol, history paged to its start",
  network: true,
  capabilities: { intervals: INTERVAL_NAMES.filter((i) => TV_RESOLUTION[i] !== undefined), range: true, capsHistory: false, corporateActions: true, apiKey: "optional" },
  settings: { baseUrl: "wss://data.tradingview.com/socket.io/websocket?type=chart", baseUrlEnv: "DQCTL_TRADINGVIEW_WS_URL", apiKeyEnv: "TRADINGVIEW_AUTH_TOKEN", rateLimitPerMinute: 60, concurrency: 2, batchSize: 10 },
  create: (ctx) => tradingviewVendor(ctx),
};

/** Options for tests and embedding. */
export interface TradingViewOptions {
  now?: () => number;
  silenceMs?: number;
  idlePackets?: number;
  initialBars?: number;
  moreBars?: number;
}

/** Session date for daily bars: TradingView stamps Globex and FX days at the evening open, hence the 16:00 roll. */
const EVENING_ROLL_HOUR = 16;
const PROFILE_ZONE = { equity: "America/New_York", futures: "America/Chicago", forex: "America/New_York", crypto: "UTC" } as const;

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
      const want = req.fromMs === undefined ? 5000 : Math.ceil((now() - req.fromMs) / step) + 10;
      const h = await collectHistory({
        url: settings.baseUrl,
        symbol: ticker,
        resolution: TV_RESOLUTION[req.interval],
        ...(req.fromMs !== undefined ? { fromMs: req.fromMs } : {}),
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
      const zone = h.timezone ?? PROFILE_ZONE[req.profile];
      const out = new BarBuilder(h.bars.length);
      for (const [t, o, hi, l, c, vol] of h.bars) {
        const ms = t * 1000;
        out.push(req.interval === "1d" ? dailyLabel(ms, { zone, eveningRollHour: EVENING_ROLL_HOUR }) : ms, o, hi, l, c, vol);
      }
      const bars = clipBars(out.build(), req.fromMs, req.toMs);
      return { bars, ticker, ...(h.partial ? { partial: true } : {}), latencyMs: performance.now() - t0 };
    },
  };
}
