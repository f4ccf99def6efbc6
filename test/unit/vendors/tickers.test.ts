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
  test("yahoo: exchanges outside the US carry their suffix", () => {
    expect(to("yahoo", "LSE:VOD")).toBe("VOD.L");
    expect(to("yahoo", "TSE:7203")).toBe("7203.T");
    expect(to("yahoo", "HKEX:700")).toBe("0700.HK");
    expect(to("yahoo", "XETR:SAP")).toBe("SAP.DE");
    expect(to("yahoo", "EURONEXT:MC")).toBe("MC.PA");
    expect(to("yahoo", "NSE:RELIANCE")).toBe("RELIANCE.NS");
    expect(to("yahoo", "BMFBOVESPA:PETR4")).toBe("PETR4.SA");
    expect(to("yahoo", "TSX:SHOP")).toBe("SHOP.TO");
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
    for (const [t, id] of [
      ["7203.T", "TSE:7203"],
      ["0700.HK", "HKEX:0700"],
      ["600519.SS", "SSE:600519"],
      ["005930.KS", "KRX:005930"],
      ["RELIANCE.BO", "BSE:RELIANCE"],
      ["BHP.AX", "ASX:BHP"],
      ["NPN.JO", "JSE:NPN"],
      ["TEVA.TA", "TASE:TEVA"],
      ["D05.SI", "SGX:D05"],
      ["SAN.MC", "BME:SAN"],
      ["ENI.MI", "MIL:ENI"],
      ["NESN.SW", "SIX:NESN"],
      ["ASML.AS", "EURONEXT:ASML"],
    ]) {
      expect(from("yahoo", t!)).toBe(id!);
    }
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
    for (const id of [
      "NASDAQ:AAPL",
      "FX:EURUSD",
      "CME_MINI:ES1!",
      "COINBASE:BTCUSD",
      "BINANCE:BTCUSDT",
      "NASDAQ:BRK.B",
      "LSE:VOD",
      "TSE:7203",
      "HKEX:0700",
      "SSE:600519",
      "NSE:RELIANCE",
    ]) {
      expect(from("yahoo", to("yahoo", id))).toBe(id);
    }
  });
});
