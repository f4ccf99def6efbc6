/** Binance specifics: pagination 1000 at a time, 418 retried, invalid symbols. */
import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { VendorError } from "../../src/errors.ts";
import { binanceVendor } from "../../src/vendors/binance.ts";
import { ctxFor, request } from "./harness.ts";
import { startBinance } from "./servers/binance.ts";
import type { TestServer } from "./servers/http.ts";
import { fixture } from "./servers/http.ts";

let server: TestServer;
let klines: number[][];
beforeAll(async () => {
  server = await startBinance();
  klines = (await fixture("binance_BTCUSDT_1h.json")).klines;
});
afterAll(() => server.stop());
beforeEach(() => {
  server.requests.length = 0;
  server.fault = undefined;
});
const vendor = () => binanceVendor(ctxFor("binance", server.url), { http: { sleep: async () => {} } });

test("1050 klines arrive in two pages; the second starts one interval after the last bar", async () => {
  const res = await vendor().fetch(request("BINANCE:BTCUSDT", "1h"));
  expect(res.bars.timestamp.length).toBe(1050);
  expect(server.requests.length).toBe(2);
  const [p1, p2] = server.requests.map((u) => u.searchParams);
  expect(p1!.get("limit")).toBe("1000");
  expect(p1!.get("startTime")).toBe("0");
  expect(Number(p2!.get("startTime"))).toBe(klines[999]![0]! + 3_600_000);
  expect(p1!.get("symbol")).toBe("BTCUSDT");
  expect(p1!.get("interval")).toBe("1h");
});

test("a window exactly 1000 bars long takes one request (the next start is past the end)", async () => {
  const res = await vendor().fetch(request("BINANCE:BTCUSDT", "1h", klines[0]![0], klines[999]![0]));
  expect(res.bars.timestamp.length).toBe(1000);
  expect(server.requests.length).toBe(1);
});

test("418 (IP ban) with Retry-After is retried like 429", async () => {
  server.fault = { kind: "status", statuses: [418], retryAfter: "1" };
  const res = await vendor().fetch(request("BINANCE:BTCUSDT", "1h", klines[0]![0], klines[9]![0]));
  expect(res.bars.timestamp.length).toBe(10);
});

test("an invalid symbol is a VendorError carrying Binance's msg", async () => {
  const err = await vendor()
    .fetch(request("BINANCE:NOPEUSDT", "1h"))
    .catch((e) => e);
  expect(err).toBeInstanceOf(VendorError);
  expect(err.message).toBe("binance NOPEUSDT (BINANCE:NOPEUSDT) 1h: HTTP 400 (Invalid symbol.) after 1 attempt");
});

test("a repair window is one bounded request: startTime/endTime are the window, barsReceived what was sent", async () => {
  const [from, to] = [klines[500]![0]!, klines[504]![0]!];
  const res = await vendor().fetch(request("BINANCE:BTCUSDT", "1h", from, to));
  expect(server.requests).toHaveLength(1);
  const q = server.requests[0]!.searchParams;
  expect([Number(q.get("startTime")), Number(q.get("endTime"))]).toEqual([from, to]);
  expect(res.bars.timestamp.length).toBe(5);
  expect(res.barsReceived).toBe(5);
  expect(res.incomplete).toBeUndefined();
});
