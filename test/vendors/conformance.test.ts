/**
 * One suite, every vendor: a real server on 127.0.0.1 speaks the vendor's wire format from a recorded
 * fixture, and the vendor's normalised bars must equal the fixture's expected bars exactly.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parseInterval } from "../../src/model/interval.ts";
import { createVendor } from "../../src/vendors/registry.ts";
import { ctxFor, expectedRows, request, rows } from "./harness.ts";
import { startAlphaVantage } from "./servers/alphavantage.ts";
import { startBinance } from "./servers/binance.ts";
import { startFred } from "./servers/fred.ts";
import { fixture } from "./servers/http.ts";
import { startTradingView } from "./servers/tradingview.ts";
import { startYahoo } from "./servers/yahoo.ts";

const CASES = [
  "yahoo_AAPL_1d.json",
  "yahoo_EURUSD_1d.json",
  "binance_BTCUSDT_1h.json",
  "alphavantage_IBM_1d.json",
  "alphavantage_EURUSD_1d.json",
  "fred_DGS10_1d.json",
  "tradingview_AAPL_1d.json",
  "tradingview_ES1_1d.json",
];

const servers: Record<string, { url: string; stop(): void }> = {};

beforeAll(async () => {
  servers.yahoo = await startYahoo();
  servers.binance = await startBinance();
  servers.alphavantage = await startAlphaVantage();
  servers.fred = await startFred();
  servers.tradingview = await startTradingView();
});
afterAll(() => {
  for (const s of Object.values(servers)) s.stop();
});

describe("every vendor normalises its wire format to the fixture's expected bars", () => {
  for (const name of CASES) {
    test(name, async () => {
      const f = await fixture(name);
      const vendor = createVendor(f.vendor, ctxFor(f.vendor, servers[f.vendor]!.url));
      const res = await vendor.fetch(request(f.symbol, parseInterval(f.interval)));
      expect(res.ticker).toBe(f.ticker);
      expect(res.incomplete).toBeUndefined();
      expect(rows(res.bars)).toEqual(expectedRows(f.expected));
      expect(res.latencyMs).toBeGreaterThanOrEqual(0);
    });
  }

  test("a window request returns only bars inside [fromMs, toMs]", async () => {
    for (const name of CASES) {
      const f = await fixture(name);
      const exp = expectedRows(f.expected);
      const from = Date.parse(exp[1]![0] as string);
      const to = Date.parse(exp[exp.length - 2]![0] as string);
      const vendor = createVendor(f.vendor, ctxFor(f.vendor, servers[f.vendor]!.url));
      const res = await vendor.fetch(request(f.symbol, parseInterval(f.interval), from, to));
      expect([name, rows(res.bars)]).toEqual([name, exp.slice(1, -1)]);
    }
  });
});
