import { describe, expect, test } from "bun:test";
import type { Config } from "../../../src/config/schema.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import { fromVendorTicker, toVendorTicker } from "../../../src/vendors/tickers.ts";

const to = (vendor: string, id: string, config: Config = {}) => toVendorTicker(vendor, parseSymbol(id), config);
const from = (vendor: string, t: string, config: Config = {}) => fromVendorTicker(vendor, t, config).id;

describe("toVendorTicker", () => {
  test("yahoo", () => {
    expect(to("yahoo", "NASDAQ:AAPL")).toBe("AAPL");
    expect(to("yahoo", "NYSE:BRK.B")).toBe("BRK-B");
    expect(to("yahoo", "FX:EURUSD")).toBe("EURUSD=X");
    expect(to("yahoo", "CME_MINI:ES1!")).toBe("ES=F");
    expect(to("yahoo", "NYMEX:CL1!")).toBe("CL=F");
    expect(to("yahoo", "CME:ESZ2024")).toBe("ESZ2024.CME");
    expect(to("yahoo", "COINBASE:BTCUSD")).toBe("BTC-USD");
    expect(to("yahoo", "BINANCE:BTCUSDT")).toBe("BTC-USDT");
  });
  test("binance, alphavantage, fred, tradingview", () => {
    expect(to("binance", "BINANCE:BTCUSDT")).toBe("BTCUSDT");
    expect(to("alphavantage", "FX:EURUSD")).toBe("EUR/USD");
    expect(to("alphavantage", "NYSE:BRK.B")).toBe("BRK.B");
    expect(to("fred", "FRED:DGS10")).toBe("DGS10");
    expect(to("fred", "ECONOMICS:USIRYY", { instruments: { "ECONOMICS:USIRYY": { tickers: { fred: "CPIAUCSL" } } } })).toBe("CPIAUCSL");
    expect(to("tradingview", "NASDAQ:AAPL")).toBe("NASDAQ:AAPL");
  });
  test("a per-instrument override wins", () => {
    expect(to("yahoo", "NASDAQ:GOOG", { instruments: { "NASDAQ:GOOG": { tickers: { yahoo: "GOOGL" } } } })).toBe("GOOGL");
  });
});

describe("fromVendorTicker", () => {
  test("yahoo defaults", () => {
    expect(from("yahoo", "EURUSD=X")).toBe("FX:EURUSD");
    expect(from("yahoo", "JPY=X")).toBe("FX:USDJPY");
    expect(from("yahoo", "AAPL")).toBe("NASDAQ:AAPL");
    expect(from("yahoo", "brk-b")).toBe("NASDAQ:BRK.B");
    expect(from("yahoo", "ES=F")).toBe("CME_MINI:ES1!");
    expect(from("yahoo", "GC=F")).toBe("COMEX:GC1!");
    expect(from("yahoo", "BTC-USD")).toBe("COINBASE:BTCUSD");
    expect(from("yahoo", "BTC-USDT")).toBe("BINANCE:BTCUSDT");
    expect(from("yahoo", "VOD.L")).toBe("LSE:VOD");
  });
  test("the instrument reference and overrides win over defaults", () => {
    const config: Config = { instruments: { "NYSE:IBM": {}, "NASDAQ:GOOG": { tickers: { yahoo: "GOOGL" } } } };
    expect(from("yahoo", "IBM", config)).toBe("NYSE:IBM");
    expect(from("yahoo", "GOOGL", config)).toBe("NASDAQ:GOOG");
  });
  test("other vendors", () => {
    expect(from("binance", "btcusdt")).toBe("BINANCE:BTCUSDT");
    expect(from("fred", "DGS10")).toBe("FRED:DGS10");
    expect(from("alphavantage", "EUR/USD")).toBe("FX:EURUSD");
    expect(from("tradingview", "NASDAQ:AAPL")).toBe("NASDAQ:AAPL");
    expect(from("yahoo", "NYSE:IBM")).toBe("NYSE:IBM");
  });
  test("indices have no default id", () => {
    expect(() => from("yahoo", "^GSPC")).toThrow(/indices have no default dqctl id/);
  });
  test("round trip for the documented defaults", () => {
    for (const id of ["NASDAQ:AAPL", "FX:EURUSD", "CME_MINI:ES1!", "COINBASE:BTCUSD", "BINANCE:BTCUSDT", "NASDAQ:BRK.B"]) {
      expect(from("yahoo", to("yahoo", id))).toBe(id);
    }
  });
});
