/** TradingView screener stand-in: POST `/{market}/scan` paginated by `range`. */
import { startHttpServer, type TestServer } from "./http.ts";

/** Rows the america market holds: [symbol, close, volume]. */
export const SCAN_ROWS: [string, number, number][] = Array.from({ length: 23 }, (_, i) => [
  `NASDAQ:T${String(i).padStart(3, "0")}`,
  10 + i,
  1_000_000 + i * 1000,
]);

/** Start a screener server; columns served are `close` and `volume`. */
export function startScanner(): TestServer {
  return startHttpServer({
    route(url, _req, body) {
      const market = url.pathname.split("/")[1];
      if (market !== "america" || !url.pathname.endsWith("/scan")) return { status: 404, json: { error: "unknown market" } };
      const b = body as { columns: string[]; range: [number, number]; filter?: { left: string; operation: string; right: number }[] };
      let rows = SCAN_ROWS;
      for (const f of b.filter ?? []) if (f.left === "volume" && f.operation === "greater") rows = rows.filter((r) => r[2] > f.right);
      const [from, to] = b.range;
      const data = rows.slice(from, to).map(([s, close, volume]) => ({ s, d: b.columns.map((c) => (c === "close" ? close : c === "volume" ? volume : null)) }));
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
}
