import { describe, expect, test } from "bun:test";
import { errorDetail, HttpClient, parseRetryAfter } from "../../../src/vendors/http.ts";
import { settingsFor as vendorSettings } from "../../../src/vendors/registry.ts";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-22T10:00:00Z");
  test("delta-seconds", () => {
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });
  test("HTTP-date, in the past clamps to 0", () => {
    expect(parseRetryAfter("Sun, 22 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sun, 22 Nov 2026 09:00:00 GMT", now)).toBe(0);
  });
  test("absent or unreadable", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});

test("backoff doubles from the base, is capped, and jitters within [0.5, 1)", () => {
  const lo = new HttpClient({ vendor: "x", backoffBaseMs: 100, backoffMaxMs: 1000, random: () => 0 });
  const hi = new HttpClient({ vendor: "x", backoffBaseMs: 100, backoffMaxMs: 1000, random: () => 0.999999 });
  expect([1, 2, 3, 4, 5, 6].map((n) => lo.backoffMs(n))).toEqual([50, 100, 200, 400, 500, 500]);
  expect([1, 2, 3, 4, 5].map((n) => hi.backoffMs(n))).toEqual([100, 200, 400, 800, 1000]);
});

test("errorDetail reads each vendor's error shape", () => {
  expect(errorDetail('{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found"}}}')).toBe("Not Found: No data found");
  expect(errorDetail('{"code":-1121,"msg":"Invalid symbol."}')).toBe("Invalid symbol.");
  expect(errorDetail('{"error_code":400,"error_message":"Bad Request."}')).toBe("Bad Request.");
  expect(errorDetail("<html><body><h1>502 Bad Gateway</h1></body></html>")).toBe("502 Bad Gateway");
  expect(errorDetail("")).toBeUndefined();
});

describe("vendorSettings", () => {
  test("config beats environment beats defaults", () => {
    const env = { DQCTL_YAHOO_BASE_URL: "http://127.0.0.1:1/", FRED_API_KEY: "k-env", DQCTL_HTTP_BACKOFF_MS: "3" };
    const y = vendorSettings("yahoo", { config: {}, env });
    expect(y).toMatchObject({ baseUrl: "http://127.0.0.1:1", retries: 4, backoffBaseMs: 3, concurrency: 4 });
    const f = vendorSettings("fred", { config: { vendors: { fred: { apiKey: "k-cfg", baseUrl: "http://h:2", retries: 1 } } }, env });
    expect(f).toMatchObject({ apiKey: "k-cfg", baseUrl: "http://h:2", retries: 1 });
    expect(vendorSettings("fred", { config: {}, env }).apiKey).toBe("k-env");
  });
  test("real public defaults", () => {
    const d = (n: string) => vendorSettings(n, { config: {}, env: {} }).baseUrl;
    expect(d("yahoo")).toBe("https://query1.finance.yahoo.com");
    expect(d("binance")).toBe("https://api.binance.com");
    expect(d("alphavantage")).toBe("https://www.alphavantage.co");
    expect(d("fred")).toBe("https://api.stlouisfed.org");
    expect(d("tradingview")).toStartWith("wss://data.tradingview.com/socket.io/websocket");
    expect(d("tradingview-scanner")).toBe("https://scanner.tradingview.com");
  });
});

test("a connection refused is a network-error VendorError without the key in it", async () => {
  const client = new HttpClient({ vendor: "fred", retries: 1, backoffBaseMs: 1 });
  const err = await client
    .json({ url: "http://127.0.0.1:9/fred/series/observations", query: { api_key: "SECRET" }, what: "DGS10 (FRED:DGS10) 1d", symbol: "FRED:DGS10" })
    .catch((e) => e);
  expect(err.message).toStartWith("fred DGS10 (FRED:DGS10) 1d: network error (");
  expect(err.message).toEndWith("after 2 attempts");
  expect(err.message).not.toContain("SECRET");
});
