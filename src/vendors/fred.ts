/**
 * FRED series observations (`/fred/series/observations`) as close-only daily bars:
 * open = high = low = close = value, volume 0; "." (FRED's missing value) is skipped, not zero-filled.
 * The series id is the dqctl ticker (FRED:DGS10 → DGS10) unless the instrument overrides it. Pages are followed to the
 * answer's `count`; a full page without a count stops there, marked `incomplete` (`page_limit`).
 */
import * as v from "valibot";
import { ConfigError, VendorError } from "../errors.ts";
import { dateLabel, isoDate } from "./daily.ts";
import type { NetworkVendorDescriptor } from "./descriptor.ts";
import { createHttpClient, describeRequest, type HttpClientOptions, parseBody } from "./http.ts";
import { BarBuilder, clipBars } from "./rows.ts";
import { vendorSettings } from "./settings.ts";
import { toVendorTicker } from "./tickers.ts";
import type { FetchRequest, FetchResult, Incomplete, Vendor, VendorContext } from "./types.ts";

/** FRED describes itself. Its limit is 120 requests a minute per key; the default stays below. */
export const FRED: NetworkVendorDescriptor = {
  kind: "bars",
  name: "fred",
  description: "FRED series observations (St. Louis Fed) as close-only bars",
  network: true,
  capabilities: { intervals: ["1d"], range: true, capsHistory: false, corporateActions: false, apiKey: "required" },
  settings: {
    baseUrl: "https://api.stlouisfed.org",
    baseUrlEnv: "DQCTL_FRED_BASE_URL",
    apiKeyEnv: "FRED_API_KEY",
    rateLimitPerMinute: 100,
    concurrency: 4,
    batchSize: 20,
  },
  create: (ctx) => fredVendor(ctx),
};

/** FRED's page size ceiling. */
const FRED_PAGE = 100_000;

const ObservationsBody = v.object({
  count: v.optional(v.number()),
  offset: v.optional(v.number()),
  observations: v.array(v.object({ date: v.string(), value: v.string() })),
});

/** Options for tests and embedding. */
export interface FredOptions {
  http?: Partial<HttpClientOptions>;
  /** Observations per request (default 100000, FRED's maximum). */
  pageSize?: number;
}

/** The FRED vendor; the key comes from vendors.fred.apiKey or FRED_API_KEY. */
export function fredVendor(ctx: VendorContext, opts: FredOptions = {}): Vendor {
  const settings = vendorSettings(FRED, ctx);
  const client = createHttpClient(settings, { log: ctx.log, ...opts.http });
  const pageSize = opts.pageSize ?? FRED_PAGE;
  return {
    name: "fred",
    async fetch(req: FetchRequest, signal?: AbortSignal): Promise<FetchResult> {
      const t0 = performance.now();
      if (!FRED.capabilities.intervals.includes(req.interval)) {
        throw new ConfigError(`fred serves daily observations only, not ${req.interval} (${req.symbol.id})`, "use --interval 1d with fred");
      }
      if (!settings.apiKey) throw new ConfigError("fred needs an API key", "set FRED_API_KEY or vendors.fred.apiKey in the config");
      const ticker = toVendorTicker("fred", req.symbol, ctx.config);
      const what = describeRequest(ticker, req);
      const out = new BarBuilder(1024);
      let offset = 0;
      let incomplete: Incomplete | undefined;
      for (;;) {
        const res = await client.json({
          url: `${settings.baseUrl}/fred/series/observations`,
          query: {
            series_id: ticker,
            api_key: settings.apiKey,
            file_type: "json",
            observation_start: req.fromMs === undefined ? undefined : isoDate(req.fromMs),
            observation_end: req.toMs === undefined ? undefined : isoDate(req.toMs),
            limit: pageSize,
            offset: offset || undefined,
          },
          what,
          symbol: req.symbol.id,
          ...(signal ? { signal } : {}),
        });
        const body = parseBody(ObservationsBody, res.body, "fred", what, req.symbol.id);
        for (const o of body.observations) {
          if (o.value === ".") continue;
          const t = dateLabel(o.date);
          const x = Number(o.value);
          if (Number.isNaN(t) || o.value.trim() === "" || !Number.isFinite(x)) {
            throw new VendorError(
              `fred ${what}: unexpected observation {date: "${o.date}", value: "${o.value}"}`,
              "fred",
              req.symbol.id,
              res.status,
              res.attempts,
            );
          }
          out.push(t, x, x, x, x, 0);
        }
        offset += body.observations.length;
        if (body.observations.length < pageSize || offset >= (body.count ?? 0)) {
          // A full page without a `count` to page against: more observations may follow that were not asked for.
          if (body.observations.length >= pageSize && body.count === undefined)
            incomplete = { reason: "page_limit", detail: `fred sent a full page of ${pageSize} observations without a count to page on` };
          break;
        }
      }
      return {
        bars: clipBars(out.build(), req.fromMs, req.toMs),
        ticker,
        barsReceived: offset,
        ...(incomplete ? { incomplete } : {}),
        latencyMs: performance.now() - t0,
      };
    },
  };
}
