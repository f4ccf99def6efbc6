/**
 * TradingView screener stand-in: POST `/{market}/scan` paginated by `range`, as the real API answers it
 * (`{totalCount, data: [{s, d: [...]}]}`, values in the order of `columns`). `america` serves SCAN_ROWS (filters on
 * volume); `global` serves exactly the `symbols.tickers` asked for. Each server holds a mutable `universe` of the
 * symbols' other columns (metadata and technicals), so a test renames, reclassifies or delists one between runs; a
 * column the universe lacks is answered null (a field the screener has no value for), and a column no symbol has
 * ever had is a 400 "Unknown field", as the real API answers it.
 */
import { startHttpServer, type TestServer } from "./http.ts";

/** Rows the america market holds: [symbol, close, volume]. */
export const SCAN_ROWS: [string, number, number][] = Array.from({ length: 23 }, (_, i) => [
  `NASDAQ:T${String(i).padStart(3, "0")}`,
  10 + i,
  1_000_000 + i * 1000,
]);

/** The columns every symbol of a fresh universe has (metadata, then technicals). */
export function universeRow(symbol: string, i: number): Record<string, unknown> {
  const ticker = symbol.split(":")[1]!;
  return {
    name: ticker,
    description: `${ticker} Corp`,
    type: "stock",
    subtype: "common",
    exchange: symbol.split(":")[0],
    currency: "USD",
    country: "United States",
    sector: "Technology Services",
    industry: "Packaged Software",
    market_cap_basic: 1e9 + i * 1e6,
    "Recommend.All": 0.1 * (i % 10) - 0.4,
    "Recommend.MA": 0.5,
    "Recommend.Other": -0.2,
    RSI: 30 + i,
    "MACD.macd": 0.12 * i,
    "MACD.signal": 0.1 * i,
    ADX: 20 + i,
    "Stoch.K": 40 + i,
    CCI20: -50 + i * 5,
    ATR: 1.5,
    ...Object.fromEntries(
      [20, 30, 50, 100, 200].flatMap((n) => [
        [`SMA${n}`, 100 + n / 10],
        [`EMA${n}`, 101 + n / 10],
      ]),
    ),
    "BB.upper": 110,
    "BB.lower": 90,
    "Volatility.D": 2.1,
  };
}

/** The symbols' other columns, by symbol (mutable: tests change it between runs). */
export type Universe = Map<string, Record<string, unknown>>;

/** Start a screener server with a universe of SCAN_ROWS plus `extra` symbols. */
export function startScanner(extra: readonly string[] = []): TestServer & { universe: Universe } {
  const universe: Universe = new Map([...SCAN_ROWS.map((r) => r[0]), ...extra].map((s, i) => [s, universeRow(s, i)]));
  const known = new Set(["close", "volume", ...[...universe.values()].flatMap((v) => Object.keys(v))]);
  const server = startHttpServer({
    route(url, _req, body) {
      const market = url.pathname.split("/")[1];
      if (!url.pathname.endsWith("/scan") || (market !== "america" && market !== "global")) return { status: 404, json: { error: "unknown market" } };
      const b = body as {
        columns: string[];
        range: [number, number];
        filter?: { left: string; operation: string; right: number }[];
        symbols?: { tickers?: string[] };
      };
      const unknown = b.columns.find((c) => !known.has(c));
      if (unknown) return { status: 400, json: { totalCount: 0, error: `Unknown field "${unknown}"`, data: null } };
      let rows: [string, number | null, number | null][];
      if (market === "global") rows = (b.symbols?.tickers ?? []).filter((s) => universe.has(s)).map((s) => [s, null, null]);
      else {
        rows = SCAN_ROWS.filter((r) => universe.has(r[0]));
        for (const f of b.filter ?? []) if (f.left === "volume" && f.operation === "greater") rows = rows.filter((r) => r[2]! > f.right);
      }
      const [from, to] = b.range;
      const value = (s: string, close: number | null, volume: number | null, c: string) =>
        c === "close" ? close : c === "volume" ? volume : (universe.get(s)?.[c] ?? null);
      const data = rows.slice(from, to).map(([s, close, volume]) => ({ s, d: b.columns.map((c) => value(s, close, volume, c)) }));
      return { json: { totalCount: rows.length, data } };
    },
    drift(json) {
      const c = structuredClone(json) as { data: { d: unknown[] }[] };
      for (const r of c.data) r.d = r.d.slice(1);
      return c;
    },
    empty() {
      return { totalCount: 0, data: [] };
    },
  });
  return Object.assign(server, { universe });
}
