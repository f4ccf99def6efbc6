/** Yahoo specifics: intraday look-back windows and capping, 4h refused, unknown tickers, ticker mapping on the wire. */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { splitUnadjusted } from "../../src/checks/split_unadjusted.ts";
import { ConfigError, VendorError } from "../../src/errors.ts";
import { parseYahooChart, yahooVendor, yahooWindows } from "../../src/vendors/yahoo.ts";
import { makeInput, makeOptions } from "../helpers/bars.ts";
import { ctxFor, request } from "./harness.ts";
import type { TestServer } from "./servers/http.ts";
import { startYahoo } from "./servers/yahoo.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-20T21:00:00Z");

describe("yahooWindows", () => {
  test("1m: 7 days per request, 30 days back; older requests are clamped and capped", () => {
    const ten = yahooWindows("1m", NOW - 10 * DAY, NOW, NOW);
    expect(ten.capped).toBe(false);
    expect(ten.windows.length).toBe(2);
    expect(ten.windows[0]![0]).toBe(NOW - 10 * DAY);
    expect(ten.windows[1]![1]).toBe(NOW + 1);
    const forty = yahooWindows("1m", NOW - 40 * DAY, NOW, NOW);
    expect(forty.capped).toBe(true);
    expect(forty.windows[0]![0]).toBeGreaterThan(NOW - 30 * DAY);
    expect(forty.windows.length).toBe(5);
  });
  test("5m/15m/30m reach 60 days back, 1h 730 days, daily has no limit", () => {
    expect(yahooWindows("5m", NOW - 59 * DAY, NOW, NOW)).toMatchObject({ capped: false });
    expect(yahooWindows("30m", NOW - 61 * DAY, NOW, NOW).capped).toBe(true);
    expect(yahooWindows("1h", NOW - 700 * DAY, NOW, NOW)).toMatchObject({ capped: false, windows: [[NOW - 700 * DAY, NOW + 1]] });
    expect(yahooWindows("1h", NOW - 800 * DAY, NOW, NOW).capped).toBe(true);
    expect(yahooWindows("1d", Date.parse("1980-01-01"), NOW, NOW)).toMatchObject({ capped: false });
  });
  test("a window entirely before the limit asks nothing and is capped", () => {
    expect(yahooWindows("1m", NOW - 90 * DAY, NOW - 60 * DAY, NOW)).toEqual({ windows: [], capped: true });
  });
});

describe("yahoo vendor against the local chart server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startYahoo();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
  });
  const vendor = () => yahooVendor(ctxFor("yahoo", server.url, {}, { instruments: { "NASDAQ:SYNTH": { tickers: { yahoo: "SYNTH" } } } }), { now: () => NOW });

  test("intraday 1m over 10 days is split into 7-day requests with the right query", async () => {
    const res = await vendor().fetch(request("NASDAQ:SYNTH", "1m", NOW - 10 * DAY, NOW));
    expect(server.requests.length).toBe(2);
    const q = server.requests[0]!.searchParams;
    expect(server.requests[0]!.pathname).toBe("/v8/finance/chart/SYNTH");
    expect(q.get("interval")).toBe("1m");
    expect(q.get("includePrePost")).toBe("false");
    expect(Number(q.get("period1"))).toBe(Math.floor((NOW - 10 * DAY) / 1000));
    expect(res.incomplete).toBeUndefined();
    expect(res.bars.timestamp.length).toBe(40);
    expect(res.bars.timestamp[0]!).toBeGreaterThanOrEqual(NOW - 10 * DAY);
  });

  test("intraday beyond the look-back limit: clamped, marked incomplete (history_cap)", async () => {
    const res = await vendor().fetch(request("NASDAQ:SYNTH", "1m", NOW - 40 * DAY, NOW));
    expect(res.incomplete).toEqual({ reason: "history_cap", detail: "yahoo serves 1m bars 30 days back" });
    expect(server.requests.length).toBe(5);
  });

  test("intraday with no start asks for all history: served from the look-back limit, marked history_cap", async () => {
    const res = await vendor().fetch(request("NASDAQ:SYNTH", "1h", undefined, NOW));
    expect(res.incomplete?.reason).toBe("history_cap");
    expect(Number(server.requests[0]!.searchParams.get("period1"))).toBe(Math.floor((NOW - 730 * DAY + 60_000) / 1000));
  });

  test("a bounded window is sent as period1/period2 around it, nothing more", async () => {
    await vendor().fetch(request("NASDAQ:AAPL", "1d", NOW - 20 * DAY, NOW - 10 * DAY));
    expect(server.requests.length).toBe(1);
    const q = server.requests[0]!.searchParams;
    // Daily windows are padded a day each side (Yahoo stamps daily bars at the open or local midnight).
    expect(Number(q.get("period1"))).toBe(Math.floor((NOW - 21 * DAY) / 1000));
    expect(Number(q.get("period2"))).toBe(Math.ceil((NOW - 9 * DAY + 1) / 1000));
  });

  test("4h is refused with advice", async () => {
    const err = await vendor()
      .fetch(request("NASDAQ:AAPL", "4h"))
      .catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.oneLine()).toContain("yahoo does not serve 4h bars (NASDAQ:AAPL)");
  });

  test("an unknown ticker is a VendorError with Yahoo's own description, not retried", async () => {
    const err = await vendor()
      .fetch(request("NASDAQ:NOPE", "1d"))
      .catch((e) => e);
    expect(err).toBeInstanceOf(VendorError);
    expect(err.message).toBe("yahoo NOPE (NASDAQ:NOPE) 1d: HTTP 404 (Not Found: No data found, symbol may be delisted) after 1 attempt");
    expect(server.requests.length).toBe(1);
  });

  test.each(["QUIET", "BARE", "NOQUOTE", "NONE", "UNLISTED"])("a known ticker with no bars in range (%s) is zero bars, not schema drift", async (ticker) => {
    const res = await vendor().fetch(request(`NASDAQ:${ticker}`, "1d", NOW - 30 * DAY, NOW));
    expect(res.bars.timestamp.length).toBe(0);
    expect(res.ticker).toBe(ticker);
    expect(server.requests.length).toBe(1);
  });

  test("intraday windows with no bars concatenate to zero bars", async () => {
    const res = await vendor().fetch(request("NASDAQ:QUIET", "1m", NOW - 10 * DAY, NOW));
    expect(server.requests.length).toBe(2);
    expect(res.bars.timestamp.length).toBe(0);
  });

  test("a 200 answer carrying Yahoo's Not Found error stays a VendorError naming the symbol", () => {
    const body = { chart: { result: null, error: { code: "Not Found", description: "No data found, symbol may be delisted" } } };
    const err = (() => {
      try {
        parseYahooChart(body, request("NASDAQ:NOPE", "1d"), "NOPE (NASDAQ:NOPE) 1d");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(VendorError);
    expect((err as VendorError).message).toBe("yahoo NOPE (NASDAQ:NOPE) 1d: Not Found: No data found, symbol may be delisted");
  });

  test("timestamps without quote arrays is still schema drift", () => {
    const body = { chart: { result: [{ meta: {}, timestamp: [1700000000], indicators: { quote: [{}] } }], error: null } };
    expect(() => parseYahooChart(body, request("NASDAQ:AAPL", "1d"), "AAPL 1d")).toThrow(/schema drift.*quote\.0\.open missing/);
  });

  test("FX:EURUSD is requested as EURUSD=X", async () => {
    const res = await vendor().fetch(request("FX:EURUSD", "1d"));
    expect(server.requests[0]!.pathname).toBe("/v8/finance/chart/EURUSD%3DX");
    expect(res.ticker).toBe("EURUSD=X");
  });
});

describe("yahoo corporate actions (events=div,splits, indicators.adjclose) against the local chart server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startYahoo(["yahoo_NVDA_1d.json"]);
  });
  afterAll(() => server.stop());
  const vendor = () => yahooVendor(ctxFor("yahoo", server.url, {}, {}), { now: () => NOW });
  const JUNE = (d: number) => Date.UTC(2024, 5, d);

  test("the request asks for events; the split and the dividend land on their ex-date bars, the adjusted close beside each bar", async () => {
    const res = await vendor().fetch(request("NASDAQ:NVDA", "1d", JUNE(1), JUNE(14)));
    expect(server.requests[0]!.searchParams.get("events")).toBe("div,splits");
    const b = res.bars;
    expect(Array.from(b.timestamp)).toEqual([3, 4, 5, 6, 7, 10, 11, 12].map(JUNE));
    const a = b.actions!;
    expect(a.split[b.timestamp.indexOf(JUNE(10))]).toBe(10); // numerator 10 / denominator 1
    expect(a.dividend[b.timestamp.indexOf(JUNE(11))]).toBe(0.01);
    expect(Array.from(a.split).filter((x) => x === x)).toEqual([10]);
    expect(Array.from(a.dividend).filter((x) => x === x)).toEqual([0.01]);
    expect(a.adjClose[0]).toBeCloseTo(114.99 * 0.99966, 3);
  });

  test("Yahoo's quote is split-adjusted: the recorded split shows no step, so split_unadjusted is silent", async () => {
    const res = await vendor().fetch(request("NASDAQ:NVDA", "1d", JUNE(1), JUNE(14)));
    expect(splitUnadjusted.run(makeInput(res.bars), makeOptions("split_unadjusted"))).toEqual([]);
  });

  test("events outside the requested range are not served, and a body without events records none", async () => {
    const res = await vendor().fetch(request("NASDAQ:NVDA", "1d", JUNE(11), JUNE(14)));
    expect(Array.from(res.bars.actions!.split).every((x) => Number.isNaN(x))).toBe(true);
    const noEvents = {
      chart: {
        result: [{ meta: {}, timestamp: [1718026200], indicators: { quote: [{ open: [1], high: [1], low: [1], close: [1], volume: [1] }] } }],
        error: null,
      },
    };
    expect(parseYahooChart(noEvents, request("NASDAQ:NVDA", "1h"), "NVDA 1h").bars.actions).toBeUndefined();
  });

  test("an adjclose array of the wrong length is schema drift", () => {
    const body = {
      chart: {
        result: [
          {
            meta: {},
            timestamp: [1718026200],
            indicators: { quote: [{ open: [1], high: [1], low: [1], close: [1], volume: [1] }], adjclose: [{ adjclose: [1, 2] }] },
          },
        ],
        error: null,
      },
    };
    expect(() => parseYahooChart(body, request("NASDAQ:NVDA", "1h"), "NVDA 1h")).toThrow(/schema drift.*adjclose has 2 values for 1 timestamps/);
  });
});
