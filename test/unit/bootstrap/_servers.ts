/**
 * Local 127.0.0.1 servers speaking the Yahoo, Alpha Vantage and FRED wire formats over bars the test chooses
 * (the shared harness of test/vendors/servers, with routes built from in-memory rows instead of recorded fixtures).
 */
import { DateTime } from "luxon";
import { type RouteAnswer, startHttpServer, type TestServer } from "../../vendors/servers/http.ts";

/** One daily bar: `null` prices model a vendor row with every field missing. */
export interface DayRow {
  date: string;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume?: number | null;
}

/** A bar with every price equal to `close`. */
export function day(date: string, close: number | null): DayRow {
  return { date, open: close, high: close, low: close, close, volume: 0 };
}

/** Monday–Friday dates in [from, to] (YYYY-MM-DD), with a gently moving price around `base`. */
export function weekdays(from: string, to: string, base: number): DayRow[] {
  const out: DayRow[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
    const px = Math.round((base + 0.01 * Math.sin(t / 86_400_000 / 5)) * 1e5) / 1e5;
    out.push({ date: d.toISOString().slice(0, 10), open: px, high: px + 0.002, low: px - 0.002, close: px, volume: 0 });
  }
  return out;
}

const notFound: RouteAnswer = {
  status: 404,
  json: { chart: { result: null, error: { code: "Not Found", description: "No data found, symbol may be delisted" } } },
};

/** Yahoo chart API over `series` (by Yahoo ticker); FX daily bars stamped at 00:00 Europe/London as Yahoo does. */
export function startYahooBars(series: Record<string, DayRow[]>): TestServer {
  return startHttpServer({
    route(url) {
      const ticker = decodeURIComponent(url.pathname.split("/").pop() ?? "");
      const rows = series[ticker];
      if (!rows) return notFound;
      const p1 = Number(url.searchParams.get("period1"));
      const p2 = Number(url.searchParams.get("period2"));
      const stamped = rows.map((r) => ({ r, t: DateTime.fromISO(r.date, { zone: "Europe/London" }).toSeconds() })).filter(({ t }) => t >= p1 && t < p2);
      const col = (k: keyof DayRow) => stamped.map(({ r }) => r[k] ?? null);
      return {
        json: {
          chart: {
            result: [
              {
                meta: { symbol: ticker, exchangeTimezoneName: "Europe/London", gmtoffset: 0 },
                timestamp: stamped.map(({ t }) => t),
                indicators: { quote: [{ open: col("open"), high: col("high"), low: col("low"), close: col("close"), volume: col("volume") }] },
              },
            ],
            error: null,
          },
        },
      };
    },
    drift: (json) => json,
    empty: () => ({ chart: { result: [], error: null } }),
  });
}

/** Alpha Vantage FX_DAILY over `series` keyed `EUR/USD`; the key must be `test-key`. */
export function startAlphaVantageBars(series: Record<string, DayRow[]>): TestServer {
  return startHttpServer({
    route(url) {
      const q = url.searchParams;
      if (q.get("apikey") !== "test-key") return { json: { "Error Message": "the parameter apikey is invalid or missing." } };
      const rows = series[`${q.get("from_symbol")}/${q.get("to_symbol")}`];
      if (q.get("function") !== "FX_DAILY" || !rows) return { json: { "Error Message": "Invalid API call." } };
      const days = Object.fromEntries(
        rows.map((r) => [r.date, { "1. open": String(r.open), "2. high": String(r.high), "3. low": String(r.low), "4. close": String(r.close) }]),
      );
      return { json: { "Meta Data": { "1. Information": "Forex Daily Prices" }, "Time Series FX (Daily)": days } };
    },
    drift: (json) => json,
    empty: () => ({ "Meta Data": {}, "Time Series FX (Daily)": {} }),
  });
}

/** FRED series observations over `series` keyed by series id; the key must be `test-key`. */
export function startFredBars(series: Record<string, DayRow[]>): TestServer {
  return startHttpServer({
    route(url) {
      const q = url.searchParams;
      if (q.get("api_key") !== "test-key")
        return { status: 400, json: { error_code: 400, error_message: "Bad Request.  The value for variable api_key is not registered." } };
      const rows = series[q.get("series_id") ?? ""];
      if (!rows) return { status: 400, json: { error_code: 400, error_message: "Bad Request.  The series does not exist." } };
      const start = q.get("observation_start") ?? "0000";
      const end = q.get("observation_end") ?? "9999";
      const obs = rows.filter((r) => r.date >= start && r.date <= end).map((r) => ({ date: r.date, value: r.close === null ? "." : String(r.close) }));
      return { json: { count: obs.length, offset: 0, limit: 100000, observations: obs } };
    },
    drift: (json) => json,
    empty: () => ({ count: 0, observations: [] }),
  });
}
