/** Yahoo chart API stand-in: `/v8/finance/chart/{ticker}` answering from fixtures, filtered by period1/period2. */
import { fixture, startHttpServer, type TestServer } from "./http.ts";

type Chart = { chart: { result: any[] | null; error: unknown } };

/**
 * Filter a recorded chart body to timestamps in [p1, p2) as Yahoo does: the quote arrays, `indicators.adjclose`, and
 * the `events` (dividends and splits keyed by the ex-date's timestamp) that fall in the range.
 */
function window(body: Chart, p1: number, p2: number): Chart {
  const r = body.chart.result?.[0];
  if (!r?.timestamp) return body;
  const keep = r.timestamp.map((t: number, i: number) => (t >= p1 && t < p2 ? i : -1)).filter((i: number) => i >= 0);
  const q = r.indicators.quote[0];
  const pick = (a?: unknown[]) => a && keep.map((i: number) => a[i]);
  const quote = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, pick(v as unknown[])]));
  const indicators: Record<string, unknown> = { quote: [quote] };
  if (r.indicators.adjclose) indicators.adjclose = [{ adjclose: pick(r.indicators.adjclose[0].adjclose) }];
  const inRange = (events?: Record<string, { date: number }>) =>
    events && Object.fromEntries(Object.entries(events).filter(([, e]) => e.date >= p1 && e.date < p2));
  const events = r.events && { dividends: inRange(r.events.dividends), splits: inRange(r.events.splits) };
  return {
    chart: { result: [{ ...r, timestamp: keep.map((i: number) => r.timestamp[i]), indicators, ...(events ? { events } : {}) }], error: null },
  };
}

/** Synthetic intraday answer: one bar every 6 hours inside [p1, p2) (enough to test windows). */
function synthetic(ticker: string, interval: string, p1: number, p2: number): Chart {
  const ts: number[] = [];
  const first = Math.ceil(p1 / 21600) * 21600;
  for (let t = first; t < p2; t += 21600) ts.push(t);
  const px = ts.map((t) => 100 + (t % 1000) / 100);
  return {
    chart: {
      result: [
        {
          meta: { symbol: ticker, exchangeTimezoneName: "America/New_York", gmtoffset: -18000, dataGranularity: interval },
          timestamp: ts,
          indicators: { quote: [{ open: px, high: px.map((p) => p + 1), low: px.map((p) => p - 1), close: px, volume: px.map(() => 1000) }] },
        },
      ],
      error: null,
    },
  };
}

/** Yahoo's `meta` block as it comes for a real equity (abridged). */
function meta(ticker: string, interval: string) {
  return {
    currency: "USD",
    symbol: ticker,
    exchangeName: "NMS",
    instrumentType: "EQUITY",
    gmtoffset: -18000,
    timezone: "EST",
    exchangeTimezoneName: "America/New_York",
    dataGranularity: interval,
    range: "",
    validRanges: ["1d", "5d", "1mo", "max"],
  };
}

/**
 * Known tickers that hold no bars in any range, one per shape Yahoo answers with: `QUIET` the usual one (no
 * `timestamp`, `quote: [{}]`, `adjclose: [{}]`), `BARE` a result with `meta` only, `NOQUOTE` an `indicators`
 * without `quote`, `NONE` an empty `result`, `UNLISTED` HTTP 400 "Data doesn't exist for startDate".
 */
function noBars(ticker: string, interval: string, p1: number, p2: number): { status?: number; json: unknown } | undefined {
  const m = meta(ticker, interval);
  switch (ticker) {
    case "QUIET":
      return { json: { chart: { result: [{ meta: m, indicators: { quote: [{}], adjclose: [{}] } }], error: null } } };
    case "BARE":
      return { json: { chart: { result: [{ meta: m }], error: null } } };
    case "NOQUOTE":
      return { json: { chart: { result: [{ meta: m, indicators: {} }], error: null } } };
    case "NONE":
      return { json: { chart: { result: [], error: null } } };
    case "UNLISTED":
      return {
        status: 400,
        json: { chart: { result: null, error: { code: "Bad Request", description: `Data doesn't exist for startDate = ${p1}, endDate = ${p2}` } } },
      };
  }
  return undefined;
}

/** Start a Yahoo server serving the given fixtures (by ticker) for 1d, synthetic bars for intraday. */
export async function startYahoo(fixtureNames = ["yahoo_AAPL_1d.json", "yahoo_EURUSD_1d.json"]): Promise<TestServer> {
  const byTicker = new Map<string, Chart>();
  for (const n of fixtureNames) {
    const f = await fixture(n);
    byTicker.set(f.ticker, f.response);
  }
  return startHttpServer({
    route(url) {
      const m = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
      const ticker = decodeURIComponent(m?.[1] ?? "");
      const p1 = Number(url.searchParams.get("period1"));
      const p2 = Number(url.searchParams.get("period2"));
      const interval = url.searchParams.get("interval") ?? "1d";
      if (interval !== "1d" && ticker === "SYNTH") return { json: synthetic(ticker, interval, p1, p2) };
      const none = noBars(ticker, interval, p1, p2);
      if (none) return none;
      const body = byTicker.get(ticker);
      if (!body) return { status: 404, json: { chart: { result: null, error: { code: "Not Found", description: "No data found, symbol may be delisted" } } } };
      return { json: window(body, p1, p2) };
    },
    drift(json) {
      // Yahoo renames `close` inside the quote block.
      const c = structuredClone(json) as Chart;
      const q = c.chart.result?.[0]?.indicators?.quote?.[0];
      if (q) {
        q.Close = q.close;
        delete q.close;
      }
      return c;
    },
    empty(url) {
      // What Yahoo answers for a range without trading: meta, no timestamp, an empty quote block.
      const ticker = decodeURIComponent(url.pathname.split("/").pop() ?? "");
      return {
        chart: {
          result: [{ meta: { symbol: ticker, exchangeTimezoneName: "America/New_York", gmtoffset: -18000 }, indicators: { quote: [{}] } }],
          error: null,
        },
      };
    },
  });
}
