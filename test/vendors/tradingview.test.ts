/**
 * TradingView chart WebSocket against a local server: chunked history, heartbeats echoed, end of history by
 * empty chunk or idle packets, a socket dropped mid-history (reconnect, no duplicate or lost bars), a socket
 * that goes silent (total timeout, partial data kept and flagged), symbol and series errors.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { VendorError } from "../../src/errors.ts";
import { tradingviewVendor } from "../../src/vendors/tradingview/chart.ts";
import { ctxFor, expectedRows, type Row, request, rows } from "./harness.ts";
import { fixture } from "./servers/http.ts";
import { startTradingView, type TvServer } from "./servers/tradingview.ts";

let server: TvServer;
let expected: Row[];
beforeAll(async () => {
  server = await startTradingView();
  expected = expectedRows((await fixture("tradingview_AAPL_1d.json")).expected);
});
afterAll(() => server.stop());
beforeEach(() => {
  server.fault = undefined;
  server.endOfHistory = "empty-chunk";
  server.received.length = 0;
  server.connections = 0;
});

/** Chunks of 4 bars force several request_more_data rounds over the 12-bar recording. */
const vendor = (extra: Record<string, unknown> = {}, opts = {}) =>
  tradingviewVendor(ctxFor("tradingview", server.url, { totalTimeoutMs: 3000, timeoutMs: 1000, ...extra }), { initialBars: 4, moreBars: 4, ...opts });

test("history arrives in chunks: create_series, then request_more_data until an empty chunk", async () => {
  const res = await vendor().fetch(request("NASDAQ:AAPL", "1d"));
  expect(rows(res.bars)).toEqual(expected);
  expect(res.partial).toBeUndefined();
  const names = server.received.map((m) => m.m);
  expect(names.slice(0, 4)).toEqual(["set_auth_token", "chart_create_session", "resolve_symbol", "create_series"]);
  expect(names.filter((n) => n === "request_more_data").length).toBe(3);
  const cs = server.received.find((m) => m.m === "create_series")!;
  expect(cs.p.slice(1, 6)).toEqual(["sds_1", "s1", "sds_sym_1", "1D", 4]);
});

test("heartbeats are echoed back", async () => {
  const before = server.echoesReceived;
  server.endOfHistory = "heartbeats";
  await vendor().fetch(request("NASDAQ:AAPL", "1d"));
  expect(server.echoesReceived).toBeGreaterThan(before);
});

test("end of history after N idle packets when the server just keeps heart-beating", async () => {
  server.endOfHistory = "heartbeats";
  const t0 = performance.now();
  const res = await vendor({}, { idlePackets: 3 }).fetch(request("NASDAQ:AAPL", "1d"));
  expect(rows(res.bars)).toEqual(expected);
  expect(res.partial).toBeUndefined();
  expect(performance.now() - t0).toBeLessThan(1500);
});

test("a socket dropped mid-history: reconnect, resubscribe, no duplicate or lost bars", async () => {
  server.fault = { kind: "drop", connections: 2 };
  const res = await vendor().fetch(request("NASDAQ:AAPL", "1d"));
  expect(server.connections).toBe(3);
  expect(rows(res.bars)).toEqual(expected);
  expect(res.partial).toBeUndefined();
  // Resubscribing asks for what was held plus a fresh chunk.
  const counts = server.received.filter((m) => m.m === "create_series").map((m) => m.p[5]);
  expect(counts).toEqual([4, 8, 12]);
});

test("a socket that goes silent: total timeout, the bars gathered are returned and flagged partial", async () => {
  server.fault = { kind: "silent" };
  const t0 = performance.now();
  // Silence longer than the total budget: the first chunk is all there is.
  const res = await vendor({ totalTimeoutMs: 400, timeoutMs: 5000 }).fetch(request("NASDAQ:AAPL", "1d"));
  expect(performance.now() - t0).toBeLessThan(1000);
  expect(res.partial).toBe(true);
  expect(rows(res.bars)).toEqual(expected.slice(-4));
});

test("silence shorter than the budget counts as a drop: reconnects gather more, still flagged partial", async () => {
  server.fault = { kind: "silent" };
  const res = await vendor({ totalTimeoutMs: 700, timeoutMs: 100 }).fetch(request("NASDAQ:AAPL", "1d"));
  expect(res.partial).toBe(true);
  expect(server.connections).toBeGreaterThan(1);
  const got = rows(res.bars);
  expect(got.length).toBeGreaterThan(4);
  expect(got).toEqual(expected.slice(-got.length));
});

test("drops past the reconnect budget keep what arrived, flagged partial", async () => {
  server.fault = { kind: "drop", connections: 99 };
  const res = await vendor({ retries: 2 }).fetch(request("NASDAQ:AAPL", "1d"));
  expect(server.connections).toBe(3);
  expect(res.partial).toBe(true);
  expect(rows(res.bars)).toEqual(expected.slice(-12));
});

test("no bars before the total timeout: VendorError", async () => {
  server.fault = { kind: "silent" };
  const err = await tradingviewVendor(ctxFor("tradingview", "ws://127.0.0.1:9/none", { totalTimeoutMs: 300, retries: 50 }))
    .fetch(request("NASDAQ:AAPL", "1d"))
    .catch((e) => e);
  expect(err).toBeInstanceOf(VendorError);
  expect(err.message).toBe("tradingview NASDAQ:AAPL 1d: no bars before the total timeout of 300 ms");
});

test("symbol_error and series_error are VendorErrors, not retried", async () => {
  const a = await vendor()
    .fetch(request("NASDAQ:NOPE", "1d"))
    .catch((e) => e);
  expect(a).toBeInstanceOf(VendorError);
  expect(a.message).toStartWith("tradingview NASDAQ:NOPE 1d: symbol_error");
  const b = await vendor()
    .fetch(request("NASDAQ:AAPL", "1m"))
    .catch((e) => e);
  expect(b).toBeInstanceOf(VendorError);
  expect(server.connections).toBe(2);
});

test("a window stops asking for older bars once fromMs is covered", async () => {
  const from = Date.parse("2024-01-11T00:00:00Z");
  const res = await vendor().fetch(request("NASDAQ:AAPL", "1d", from));
  expect(rows(res.bars)).toEqual(expected.slice(-5));
  expect(server.received.filter((m) => m.m === "request_more_data").length).toBe(1);
});
