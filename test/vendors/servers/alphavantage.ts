/** Alpha Vantage stand-in: `/query?function=TIME_SERIES_DAILY|FX_DAILY` with an apikey check. */
import { fixture, startHttpServer, type TestServer } from "./http.ts";

/** A throttle answer exactly as Alpha Vantage words it (HTTP 200). */
export const AV_NOTE = { Note: "Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day." };

/**
 * Start an Alpha Vantage server; `throttles` answers that many requests with the "Note" throttle first; `compact`
 * answers the equity series as outputsize=compact does (Meta Data "Compact", the newest `compact` days only).
 */
export async function startAlphaVantage(opts: { throttles?: number; key?: string; compact?: number } = {}): Promise<TestServer & { throttles: number }> {
  const equity = await fixture("alphavantage_IBM_1d.json");
  const fx = await fixture("alphavantage_EURUSD_1d.json");
  const key = opts.key ?? "test-key";
  const server = startHttpServer({
    route(url) {
      const q = url.searchParams;
      if (q.get("apikey") !== key)
        return {
          json: {
            "Error Message": "the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key).",
          },
        };
      if (server.throttles > 0) {
        server.throttles--;
        return { json: AV_NOTE };
      }
      if (q.get("function") === "TIME_SERIES_DAILY" && q.get("symbol") === "IBM") {
        if (opts.compact === undefined) return { json: equity.response };
        const days = Object.entries(equity.response["Time Series (Daily)"]).slice(0, opts.compact);
        return {
          json: {
            "Meta Data": { ...equity.response["Meta Data"], "4. Output Size": "Compact" },
            "Time Series (Daily)": Object.fromEntries(days),
          },
        };
      }
      if (q.get("function") === "FX_DAILY" && q.get("from_symbol") === "EUR" && q.get("to_symbol") === "USD") return { json: fx.response };
      return {
        json: {
          "Error Message": "Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY.",
        },
      };
    },
    drift(json) {
      const c = structuredClone(json) as Record<string, any>;
      const series = c["Time Series (Daily)"] ?? c["Time Series FX (Daily)"];
      for (const d of Object.values(series ?? {}) as Record<string, unknown>[]) {
        d["4. Close"] = d["4. close"];
        delete d["4. close"];
      }
      return c;
    },
    empty(url) {
      const fxq = url.searchParams.get("function") === "FX_DAILY";
      return { "Meta Data": {}, [fxq ? "Time Series FX (Daily)" : "Time Series (Daily)"]: {} };
    },
  }) as TestServer & { throttles: number };
  server.throttles = opts.throttles ?? 0;
  return server;
}
