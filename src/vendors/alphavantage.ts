/**
 * Alpha Vantage daily equities (`TIME_SERIES_DAILY`) and FX (`FX_DAILY`), `outputsize=full`.
 * Its throttle answers arrive as HTTP 200 with a "Note" or "Information" key: they are retried as 429.
 * An "Information" about a premium endpoint is not a throttle and fails at once; "Error Message" fails at once.
 * Only daily bars: intraday series are premium-only, so other intervals are refused. The whole history comes in one
 * answer and is clipped to the window here; an answer whose Meta Data says "Compact" is marked `incomplete` (`clipped`).
 */
import * as v from "valibot";
import { ConfigError, VendorError } from "../errors.ts";
import { redactClip } from "../redact.ts";
import { dateLabel } from "./daily.ts";
import type { NetworkVendorDescriptor } from "./descriptor.ts";
import { createHttpClient, describeRequest, type HttpClientOptions, parseBody, type Throttle } from "./http.ts";
import { BarBuilder, clipBars } from "./rows.ts";
import { vendorSettings } from "./settings.ts";
import { splitFxPair, toVendorTicker } from "./tickers.ts";
import type { FetchRequest, FetchResult, Incomplete, Vendor, VendorContext } from "./types.ts";

/** Alpha Vantage describes itself. Its free tier allows 5 calls a minute (25 a day); prices are as traded (TIME_SERIES_DAILY). */
export const ALPHAVANTAGE: NetworkVendorDescriptor = {
  kind: "bars",
  name: "alphavantage",
  description: "Alpha Vantage daily equities and FX (free tier: 5 calls a minute)",
  network: true,
  capabilities: { intervals: ["1d"], range: true, capsHistory: false, corporateActions: false, apiKey: "required" },
  settings: {
    baseUrl: "https://www.alphavantage.co",
    baseUrlEnv: "DQCTL_ALPHAVANTAGE_BASE_URL",
    apiKeyEnv: "ALPHAVANTAGE_API_KEY",
    rateLimitPerMinute: 5,
    concurrency: 1,
    batchSize: 5,
  },
  create: (ctx) => alphaVantageVendor(ctx),
};

const Numeric = v.pipe(
  v.string(),
  v.transform((x) => Number(x)),
  v.check((n) => Number.isFinite(n), "not a finite number"),
);
const Day = v.object({
  "1. open": Numeric,
  "2. high": Numeric,
  "3. low": Numeric,
  "4. close": Numeric,
  "5. volume": v.optional(Numeric),
});
const EquityBody = v.object({ "Meta Data": v.looseObject({}), "Time Series (Daily)": v.record(v.string(), Day) });
const FxBody = v.object({ "Meta Data": v.looseObject({}), "Time Series FX (Daily)": v.record(v.string(), Day) });

/** Classify Alpha Vantage's 200-status notices: throttles become a retryable 429. */
export function alphaVantageThrottle(body: unknown): Throttle | undefined {
  if (!body || typeof body !== "object") return undefined;
  const o = body as Record<string, unknown>;
  const note = o.Note ?? o.Information;
  if (typeof note !== "string") return undefined;
  if (/premium/i.test(note) && !/frequency|per minute|per day|rate limit/i.test(note)) return undefined;
  return { status: 429, reason: redactClip(note, 120) };
}

/** Options for tests and embedding. */
export interface AlphaVantageOptions {
  http?: Partial<HttpClientOptions>;
}

/** The Alpha Vantage vendor; the key comes from vendors.alphavantage.apiKey or ALPHAVANTAGE_API_KEY. */
export function alphaVantageVendor(ctx: VendorContext, opts: AlphaVantageOptions = {}): Vendor {
  const settings = vendorSettings(ALPHAVANTAGE, ctx);
  const client = createHttpClient(settings, { log: ctx.log, ...opts.http });
  return {
    name: "alphavantage",
    async fetch(req: FetchRequest, signal?: AbortSignal): Promise<FetchResult> {
      const t0 = performance.now();
      if (!ALPHAVANTAGE.capabilities.intervals.includes(req.interval)) {
        throw new ConfigError(
          `alphavantage serves daily bars only, not ${req.interval} (${req.symbol.id})`,
          "use --interval 1d with alphavantage, or another vendor for intraday bars",
        );
      }
      if (!settings.apiKey) {
        throw new ConfigError("alphavantage needs an API key", "set ALPHAVANTAGE_API_KEY or vendors.alphavantage.apiKey in the config");
      }
      if (req.profile === "crypto") {
        throw new ConfigError(
          `alphavantage: crypto (${req.symbol.id}) is not supported by dqctl's Alpha Vantage vendor`,
          "use --vendor binance or tradingview for crypto",
        );
      }
      const ticker = toVendorTicker("alphavantage", req.symbol, ctx.config);
      const what = describeRequest(ticker, req);
      const fx = req.profile === "forex" ? splitFxPair(ticker) : undefined;
      if (req.profile === "forex" && !fx) {
        throw new ConfigError(
          `alphavantage: cannot split ${ticker} (${req.symbol.id}) into two currencies`,
          `set instruments["${req.symbol.id}"].tickers.alphavantage to e.g. "EUR/USD"`,
        );
      }
      const query = fx
        ? { function: "FX_DAILY", from_symbol: fx.from, to_symbol: fx.to, outputsize: "full", apikey: settings.apiKey }
        : { function: "TIME_SERIES_DAILY", symbol: ticker, outputsize: "full", apikey: settings.apiKey };
      const res = await client.json({
        url: `${settings.baseUrl}/query`,
        query,
        what,
        symbol: req.symbol.id,
        inspect: alphaVantageThrottle,
        ...(signal ? { signal } : {}),
      });
      const body = res.body as Record<string, unknown>;
      const refusal = body?.["Error Message"] ?? body?.Information;
      if (typeof refusal === "string") {
        throw new VendorError(
          `alphavantage ${what}: ${redactClip(refusal, 200)}`,
          "alphavantage",
          req.symbol.id,
          200,
          res.attempts,
          "check the symbol and that the key's plan includes this endpoint",
        );
      }
      const series = fx
        ? parseBody(FxBody, body, "alphavantage", what, req.symbol.id)["Time Series FX (Daily)"]
        : parseBody(EquityBody, body, "alphavantage", what, req.symbol.id)["Time Series (Daily)"];
      const out = new BarBuilder(Object.keys(series).length);
      for (const [date, d] of Object.entries(series)) {
        const t = dateLabel(date);
        if (Number.isNaN(t))
          throw new VendorError(`alphavantage ${what}: unexpected response shape (schema drift): date key "${date}"`, "alphavantage", req.symbol.id);
        out.push(t, d["1. open"], d["2. high"], d["3. low"], d["4. close"], d["5. volume"] ?? 0);
      }
      // outputsize=full serves the whole history; a "Compact" answer is the latest 100 days only.
      const meta = (body["Meta Data"] ?? {}) as Record<string, unknown>;
      const compact = Object.entries(meta).some(([k, x]) => /output size/i.test(k) && typeof x === "string" && /compact/i.test(x));
      const incomplete: Incomplete | undefined = compact
        ? { reason: "clipped", detail: "alphavantage answered the compact output (latest 100 days)" }
        : undefined;
      // The whole history was downloaded whatever the window: barsReceived says so.
      return {
        bars: clipBars(out.build(), req.fromMs, req.toMs),
        ticker,
        barsReceived: out.length,
        ...(incomplete ? { incomplete } : {}),
        latencyMs: performance.now() - t0,
      };
    },
  };
}
