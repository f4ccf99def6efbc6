/** Binance klines stand-in: `/api/v3/klines` honouring startTime, endTime and limit (at most 1000). */
import { fixture, startHttpServer, type TestServer } from "./http.ts";

/** Start a Binance server over the recorded BTCUSDT 1h klines. */
export async function startBinance(): Promise<TestServer> {
  const f = await fixture("binance_BTCUSDT_1h.json");
  const klines: unknown[][] = f.klines;
  return startHttpServer({
    route(url) {
      if (url.pathname !== "/api/v3/klines") return { status: 404, json: { code: -1, msg: "not found" } };
      const symbol = url.searchParams.get("symbol");
      if (symbol !== f.ticker) return { status: 400, json: { code: -1121, msg: "Invalid symbol." } };
      if (url.searchParams.get("interval") !== "1h") return { json: [] };
      const start = Number(url.searchParams.get("startTime") ?? 0);
      const end = Number(url.searchParams.get("endTime") ?? Number.MAX_SAFE_INTEGER);
      const limit = Math.min(1000, Number(url.searchParams.get("limit") ?? 500));
      return { json: klines.filter((k) => (k[0] as number) >= start && (k[0] as number) <= end).slice(0, limit) };
    },
    drift(json) {
      // A kline whose open arrives as an object instead of a numeric string.
      return (json as unknown[][]).map((k) => [k[0], { price: k[1] }, ...k.slice(2)]);
    },
    empty() {
      return [];
    },
  });
}
