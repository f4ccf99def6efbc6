/** TradingView screener: POST /{market}/scan with filters, columns, sort and range, paginated. */
import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { silentLogger } from "../../src/context.ts";
import { VendorError } from "../../src/errors.ts";
import { createScreener, screen } from "../../src/vendors/tradingview/screener.ts";
import type { TestServer } from "./servers/http.ts";
import { SCAN_ROWS, startScanner } from "./servers/scanner.ts";

let server: TestServer;
beforeAll(() => {
  server = startScanner();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.requests.length = 0;
  server.bodies.length = 0;
  server.fault = undefined;
});
const ctx = () => ({
  config: { vendors: { "tradingview-scanner": { rateLimitPerMinute: 0 } } },
  log: silentLogger,
  env: { DQCTL_TRADINGVIEW_SCANNER_URL: server.url, DQCTL_HTTP_BACKOFF_MS: "1" },
});

test("pages through range until totalCount, rows keyed by column", async () => {
  const out = await createScreener(ctx()).screen({
    market: "america",
    columns: ["close", "volume"],
    pageSize: 10,
    sort: { sortBy: "volume", sortOrder: "desc" },
  });
  expect(out.length).toBe(23);
  expect(out[0]).toEqual({ symbol: "NASDAQ:T000", values: { close: 10, volume: 1_000_000 } });
  expect(server.requests.length).toBe(3);
  expect(server.requests[0]!.pathname).toBe("/america/scan");
  expect((server.bodies as { range: number[] }[]).map((b) => b.range)).toEqual([
    [0, 10],
    [10, 20],
    [20, 23],
  ]);
  expect(server.bodies[0]).toMatchObject({ columns: ["close", "volume"], sort: { sortBy: "volume", sortOrder: "desc" }, markets: ["america"] });
});

test("filters go in the body; limit stops early", async () => {
  const out = await screen({ market: "america", columns: ["close"], filter: [{ left: "volume", operation: "greater", right: 1_010_000 }], limit: 5 }, ctx());
  expect(out.map((r) => r.symbol)).toEqual(
    SCAN_ROWS.filter((r) => r[2] > 1_010_000)
      .slice(0, 5)
      .map((r) => r[0]),
  );
  expect(server.requests.length).toBe(1);
});

test("503 then success is retried", async () => {
  server.fault = { kind: "status", statuses: [503] };
  expect((await screen({ market: "america", columns: ["close"] }, ctx())).length).toBe(23);
});

test("rows that do not match the columns are schema drift", async () => {
  server.fault = { kind: "drift" };
  const err = await screen({ market: "america", columns: ["close", "volume"] }, ctx()).catch((e) => e);
  expect(err).toBeInstanceOf(VendorError);
  expect(err.message).toContain("schema drift");
});
