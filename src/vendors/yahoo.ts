/**
 * Yahoo Finance chart API (`/v8/finance/chart/{ticker}`).
 *
 * Decisions:
 * - A bar with any of open/high/low/close null is dropped, not patched: Yahoo emits such rows for minutes
 *   without trades and for corrupted days, and an invented price is worse than a gap the gap check reports.
 *   A null volume alone keeps the bar with volume 0 (Yahoo has no volume for FX and indices).
 * - 4h is refused: Yahoo has no native 4h bars, and building them from 1h would have to invent an anchoring
 *   (UTC or session open) the calendars may not expect. Use 1h here, or binance/tradingview for 4h.
 * - Prices are Yahoo's `quote` (split-adjusted, not dividend-adjusted). Its corporate actions are kept beside them:
 *   `indicators.adjclose` (adjusted for splits and dividends) as the adjusted close, and the `events=div,splits`
 *   answer (`events.dividends` amounts and `events.splits` numerator/denominator, keyed by the ex-date's timestamp)
 *   on the bar of that timestamp (or the first bar after it). As the quote is split-adjusted, a recorded split
 *   shows no step (split_unadjusted stays silent); `--price adjusted` takes the adjusted close.
 * - A known symbol with no bars in the range is zero bars (ingest reports `no_data`): a chart result without
 *   `timestamp` (and `quote: [{}]`, or no quote at all), an empty `result`, or HTTP 400 "Data doesn't exist for
 *   startDate …". An unknown symbol (`error.code` "Not Found", HTTP 404) stays a vendor error.
 * - Intraday look-back limits (1m: 30 days back, 7 per request; 5m–30m: 60 days; 1h: 730 days): a request
 *   reaching further back (or asking for all history) is clamped and marked `incomplete` (`history_cap`).
 */
import * as v from "valibot";
import type { Config } from "../config/schema.ts";
import { ConfigError, VendorError } from "../errors.ts";
import { allocBars, type Bars, barCount } from "../model/bars.ts";
import { INTERVAL_NAMES, type Interval } from "../model/interval.ts";
import { dailyLabel, dailyLabeler } from "./daily.ts";
import type { NetworkVendorDescriptor } from "./descriptor.ts";
import { createHttpClient, describeRequest, type HttpClient, type HttpClientOptions, parseBody } from "./http.ts";
import { mapLimit } from "./limits.ts";
import { BarBuilder, clipBars, concatBars } from "./rows.ts";
import { vendorSettings } from "./settings.ts";
import { toVendorTicker } from "./tickers.ts";
import type { FetchRequest, FetchResult, Incomplete, Vendor, VendorContext } from "./types.ts";

const DAY = 86_400_000;
/** yfinance's "max" start (1900-01-01 minus a little): Yahoo serves history back to the 1960s. */
const YAHOO_EPOCH_MS = -2_208_994_789_000;

const INTERVAL_PARAM: Record<Interval, string | undefined> = { "1m": "1m", "5m": "5m", "15m": "15m", "30m": "30m", "1h": "1h", "4h": undefined, "1d": "1d" };

/** Yahoo's intraday limits: how far back it serves, and how much one request may span (days). */
export const YAHOO_LIMITS: Partial<Record<Interval, { backDays: number; perRequestDays: number }>> = {
  "1m": { backDays: 30, perRequestDays: 7 },
  "5m": { backDays: 60, perRequestDays: 60 },
  "15m": { backDays: 60, perRequestDays: 60 },
  "30m": { backDays: 60, perRequestDays: 60 },
  "1h": { backDays: 730, perRequestDays: 730 },
};

/** Yahoo describes itself: its intervals and look-back limits are read from the tables above, not restated. */
export const YAHOO: NetworkVendorDescriptor = {
  kind: "bars",
  name: "yahoo",
  description: "Yahoo Finance chart API: equities, ETFs, FX, futures, crypto",
  network: true,
  capabilities: {
    intervals: INTERVAL_NAMES.filter((i) => INTERVAL_PARAM[i] !== undefined),
    range: true,
    historyDays: Object.fromEntries(Object.entries(YAHOO_LIMITS).map(([i, l]) => [i, l.backDays])),
    capsHistory: true,
    corporateActions: true,
    apiKey: "none",
  },
  settings: { baseUrl: "https://query1.finance.yahoo.com", baseUrlEnv: "DQCTL_YAHOO_BASE_URL", rateLimitPerMinute: 120, concurrency: 4, batchSize: 20 },
  create: (ctx) => yahooVendor(ctx),
};

/** Request windows `[fromMs, toMs)` for one fetch, and whether the look-back limit clipped it. */
export function yahooWindows(
  interval: Interval,
  fromMs: number | undefined,
  toMs: number | undefined,
  now: number,
): { windows: [number, number][]; capped: boolean } {
  const end = Math.min(toMs ?? now, now) + 1;
  const limit = YAHOO_LIMITS[interval];
  if (!limit) {
    // Daily: one request; pad a day each side because Yahoo stamps daily bars at the session open or local midnight.
    const from = fromMs ?? YAHOO_EPOCH_MS;
    return { windows: from < end ? [[from - DAY, end + DAY]] : [], capped: false };
  }
  // Keep a minute's margin so the request never lands just outside Yahoo's window.
  const earliest = now - limit.backDays * DAY + 60_000;
  // No start means "from the start of history": more than Yahoo serves at this interval, so capped too.
  const capped = fromMs === undefined || fromMs < earliest;
  const from = Math.max(fromMs ?? earliest, earliest);
  const windows: [number, number][] = [];
  const span = limit.perRequestDays * DAY;
  for (let s = from; s < end; s += span) windows.push([s, Math.min(s + span, end)]);
  return { windows, capped };
}

const Num = v.nullable(v.number());
const Series = v.optional(v.array(Num));
const Dividend = v.looseObject({ amount: v.number(), date: v.number() });
const SplitEvent = v.looseObject({ date: v.number(), numerator: v.number(), denominator: v.number() });
const ChartBody = v.object({
  chart: v.object({
    result: v.nullable(
      v.array(
        v.object({
          meta: v.looseObject({ exchangeTimezoneName: v.optional(v.string()), gmtoffset: v.optional(v.number()), regularMarketTime: v.optional(v.number()) }),
          timestamp: v.optional(v.array(v.number())),
          // A range without bars comes with `quote: [{}]`, or an `indicators` without `quote`, or none at all.
          indicators: v.optional(
            v.object({
              quote: v.optional(v.array(v.object({ open: Series, high: Series, low: Series, close: Series, volume: Series }))),
              adjclose: v.optional(v.array(v.object({ adjclose: Series }))),
            }),
          ),
          // Asked for with events=div,splits; keyed by the event's timestamp (seconds) as a string.
          events: v.optional(v.looseObject({ dividends: v.optional(v.record(v.string(), Dividend)), splits: v.optional(v.record(v.string(), SplitEvent)) })),
        }),
      ),
    ),
    error: v.nullable(v.looseObject({ code: v.optional(v.string()), description: v.optional(v.string()) })),
  }),
});

/** Options for tests and embedding. */
export interface YahooOptions {
  now?: () => number;
  http?: Partial<HttpClientOptions>;
}

const HEADERS = {
  // Yahoo answers 429 to library user agents; a browser-like one is what every client sends.
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
};

/** Convert one chart body into bars (daily timestamps relabelled to the exchange-local session date). */
export function parseYahooChart(body: unknown, req: FetchRequest, what: string, config: Config = {}): { bars: Bars; dropped: number; warning?: string } {
  const parsed = parseBody(ChartBody, body, "yahoo", what, req.symbol.id);
  const { result, error } = parsed.chart;
  if (error) {
    throw new VendorError(`yahoo ${what}: ${[error.code, error.description].filter(Boolean).join(": ") || "error"}`, "yahoo", req.symbol.id);
  }
  const r = result?.[0];
  if (!r) return { bars: allocBars(0), dropped: 0 };
  const ts = r.timestamp ?? [];
  const q = r.indicators?.quote?.[0] ?? {};
  if (!ts.length) {
    if (q.close?.length) throw drift(what, req, "chart.result.0.timestamp missing while quote arrays hold values");
    return { bars: allocBars(0), dropped: 0 };
  }
  for (const k of ["open", "high", "low", "close"] as const) {
    const col = q[k];
    if (!col) throw drift(what, req, `chart.result.0.indicators.quote.0.${k} missing`);
    if (col.length !== ts.length) throw drift(what, req, `quote.${k} has ${col.length} values for ${ts.length} timestamps`);
  }
  const adj = r.indicators?.adjclose?.[0]?.adjclose;
  if (adj && adj.length !== ts.length) throw drift(what, req, `adjclose has ${adj.length} values for ${ts.length} timestamps`);
  const events = eventsByBar(ts, r.events);
  // Daily stamps (the open, or midnight in the exchange's zone) become session dates; others are kept and reported.
  const labeler = req.interval === "1d" ? dailyLabeler(req, config, r.meta.exchangeTimezoneName) : undefined;
  const out = new BarBuilder(ts.length);
  if (adj || events) out.withActions();
  let dropped = 0;
  for (let i = 0; i < ts.length; i++) {
    const o = q.open![i];
    const h = q.high![i];
    const l = q.low![i];
    const c = q.close![i];
    if (o == null || h == null || l == null || c == null) {
      dropped++;
      continue;
    }
    const t = ts[i]! * 1000;
    // Yahoo stamps the unfinished current day at its last trade (meta.regularMarketTime): that day's date in its zone.
    const live = labeler && ts[i] === r.meta.regularMarketTime;
    const label = live
      ? dailyLabel(t, { zone: r.meta.exchangeTimezoneName, gmtOffsetSec: r.meta.gmtoffset })
      : labeler
        ? labeler.label(t, () => `chart.result.0.timestamp.${i}`)
        : t;
    out.push(label, o, h, l, c, q.volume?.[i] ?? 0, {
      adjClose: adj?.[i] ?? Number.NaN,
      dividend: events?.dividend[i] ?? Number.NaN,
      split: events?.split[i] ?? Number.NaN,
    });
  }
  const warning = labeler?.warning(`yahoo ${what}`);
  return { bars: out.build(), dropped, ...(warning ? { warning } : {}) };
}

type ChartEvents = NonNullable<NonNullable<v.InferOutput<typeof ChartBody>["chart"]["result"]>[number]["events"]>;

/**
 * Dividends and splits per bar index: each event lands on the bar stamped at its timestamp, or else the first bar
 * after it (Yahoo dates an event at the ex-date's session open). Undefined when the answer has no events.
 */
function eventsByBar(ts: readonly number[], events: ChartEvents | undefined): { dividend: Float64Array; split: Float64Array } | undefined {
  const divs = Object.values(events?.dividends ?? {});
  const splits = Object.values(events?.splits ?? {});
  if (!divs.length && !splits.length) return undefined;
  const dividend = new Float64Array(ts.length).fill(Number.NaN);
  const split = new Float64Array(ts.length).fill(Number.NaN);
  const barOf = (date: number) => {
    let lo = 0;
    let hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid]! < date) lo = mid + 1;
      else hi = mid;
    }
    return lo < ts.length && ts[lo]! - date < 86_400 ? lo : -1;
  };
  for (const d of divs) {
    const i = barOf(d.date);
    if (i >= 0 && d.amount > 0) dividend[i] = d.amount;
  }
  for (const s of splits) {
    const i = barOf(s.date);
    const f = s.numerator / s.denominator;
    if (i >= 0 && f > 0 && f !== 1 && Number.isFinite(f)) split[i] = f;
  }
  return { dividend, split };
}

/** Yahoo's HTTP 400 for a known symbol and a range holding no bars (e.g. entirely before its listing): no data, not a failure. */
function isNoDataInRange(err: unknown): boolean {
  return err instanceof VendorError && err.status === 400 && /Data doesn't exist for startDate/i.test(err.message);
}

function drift(what: string, req: FetchRequest, detail: string): VendorError {
  return new VendorError(
    `yahoo ${what}: unexpected response shape (schema drift): ${detail}`,
    "yahoo",
    req.symbol.id,
    undefined,
    undefined,
    "the vendor changed its response format; update dqctl or switch vendor",
  );
}

/** The Yahoo vendor: one HTTP client (limits shared by every request of this instance). */
export function yahooVendor(ctx: VendorContext, opts: YahooOptions = {}): Vendor {
  const settings = vendorSettings(YAHOO, ctx);
  const client: HttpClient = createHttpClient(settings, { log: ctx.log, headers: HEADERS, ...opts.http });
  const now = opts.now ?? Date.now;
  return {
    name: "yahoo",
    async fetch(req: FetchRequest, signal?: AbortSignal): Promise<FetchResult> {
      const t0 = performance.now();
      const param = INTERVAL_PARAM[req.interval];
      if (!param) {
        throw new ConfigError(
          `yahoo does not serve ${req.interval} bars (${req.symbol.id})`,
          "use --interval 1h with yahoo, or --vendor binance or tradingview for 4h",
        );
      }
      const ticker = toVendorTicker("yahoo", req.symbol, ctx.config);
      const what = describeRequest(ticker, req);
      const { windows, capped } = yahooWindows(req.interval, req.fromMs, req.toMs, now());
      let dropped = 0;
      let received = 0;
      const parts = await mapLimit(windows, settings.concurrency, async ([from, to]) => {
        const res = await client
          .json({
            url: `${settings.baseUrl}/v8/finance/chart/${encodeURIComponent(ticker)}`,
            query: { period1: Math.floor(from / 1000), period2: Math.ceil(to / 1000), interval: param, includePrePost: "false", events: "div,splits" },
            what,
            symbol: req.symbol.id,
            ...(signal ? { signal } : {}),
          })
          .catch((err: unknown) => {
            if (isNoDataInRange(err)) return { body: { chart: { result: [], error: null } } };
            throw err;
          });
        const p = parseYahooChart(res.body, req, what, ctx.config);
        dropped += p.dropped;
        received += barCount(p.bars) + p.dropped;
        if (p.warning) ctx.log.warn(p.warning);
        return p.bars;
      });
      if (dropped) ctx.log.debug(`yahoo ${what}: dropped ${dropped} bars with null prices`);
      const bars = clipBars(concatBars(parts), req.fromMs, req.toMs);
      const incomplete: Incomplete | undefined = capped
        ? { reason: "history_cap", detail: `yahoo serves ${req.interval} bars ${YAHOO_LIMITS[req.interval]?.backDays} days back` }
        : undefined;
      return { bars, ticker, barsReceived: received, ...(incomplete ? { incomplete } : {}), latencyMs: performance.now() - t0 };
    },
  };
}
