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
  server.barsServed = 0;
  server.historyLimit = undefined;
});

/** Chunks of 4 bars force several request_more_data rounds over the 12-bar recording. */
const vendor = (extra: Record<string, unknown> = {}, opts = {}) =>
  tradingviewVendor(ctxFor("tradingview", server.url, { totalTimeoutMs: 3000, timeoutMs: 1000, ...extra }), { initialBars: 4, moreBars: 4, ...opts });

test("history arrives in chunks: create_series, then request_more_data until an empty chunk", async () => {
  const res = await vendor().fetch(request("NASDAQ:AAPL", "1d"));
  expect(rows(res.bars)).toEqual(expected);
  expect(res.incomplete).toBeUndefined();
  const names = server.received.map((m) => m.m);
  expect(names.slice(0, 4)).toEqual(["set_auth_token", "chart_create_session", "resolve_symbol", "create_series"]);
  expect(names.filter((n) => n === "request_more_data").length).toBe(3);
  const cs = server.received.find((m) => m.m === "create_series")!;
  expect(cs.p.slice(1, 7)).toEqual(["sds_1", "s1", "sds_sym_1", "1D", 4, ""]);
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
  // The server never confirmed the end (no empty chunk): the answer proves no genesis.
  expect(res.incomplete?.reason).toBe("unconfirmed_end");
  expect(performance.now() - t0).toBeLessThan(1500);
});

test("a socket dropped mid-history: reconnect, resubscribe, no duplicate or lost bars", async () => {
  server.fault = { kind: "drop", connections: 2 };
  const res = await vendor().fetch(request("NASDAQ:AAPL", "1d"));
  expect(server.connections).toBe(3);
  expect(rows(res.bars)).toEqual(expected);
  expect(res.incomplete).toBeUndefined();
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
  expect(res.incomplete?.reason).toBe("partial");
  expect(rows(res.bars)).toEqual(expected.slice(-4));
});

test("silence shorter than the budget counts as a drop: reconnects gather more, still flagged partial", async () => {
  server.fault = { kind: "silent" };
  const res = await vendor({ totalTimeoutMs: 700, timeoutMs: 100 }).fetch(request("NASDAQ:AAPL", "1d"));
  expect(res.incomplete?.reason).toBe("partial");
  expect(server.connections).toBeGreaterThan(1);
  const got = rows(res.bars);
  expect(got.length).toBeGreaterThan(4);
  expect(got).toEqual(expected.slice(-got.length));
});

test("drops past the reconnect budget keep what arrived, flagged partial", async () => {
  server.fault = { kind: "drop", connections: 99 };
  const res = await vendor({ retries: 2 }).fetch(request("NASDAQ:AAPL", "1d"));
  expect(server.connections).toBe(3);
  expect(res.incomplete?.reason).toBe("partial");
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

test("a window with a start is asked for by range: r,<from>:<to> in unix seconds, only its bars are served", async () => {
  const from = Date.parse("2024-01-11T00:00:00Z");
  const res = await vendor().fetch(request("NASDAQ:AAPL", "1d", from));
  expect(rows(res.bars)).toEqual(expected.slice(-5));
  expect(res.incomplete).toBeUndefined();
  expect(server.received.filter((m) => m.m === "request_more_data").length).toBe(0);
  const range = String(server.received.find((m) => m.m === "create_series")!.p[6]);
  expect(range).toMatch(/^r,\d+:\d+$/);
  // Padded a day before the start (daily bars are stamped at the session open, not the 00:00 UTC label).
  const fromSec = Number(range.slice(2).split(":")[0]);
  expect(fromSec).toBe(from / 1000 - 86_400);
  const all = (await fixture("tradingview_AAPL_1d.json")).bars as number[][];
  expect(server.barsServed).toBe(all.filter((x) => x[0]! >= fromSec).length);
});

test("a gap in the middle: one bounded range, exactly the window's bars downloaded", async () => {
  const all = (await fixture("tradingview_AAPL_1d.json")).bars as number[][];
  // Daily labels (00:00 UTC of the session date) of bars 4..6; the range is padded a day each side.
  const [a, b] = [expected[4]![0] as string, expected[6]![0] as string].map((d) => Date.parse(d));
  const res = await vendor().fetch(request("NASDAQ:AAPL", "1d", a, b));
  const cs = server.received.filter((m) => m.m === "create_series");
  expect(cs).toHaveLength(1);
  const [from, to] = [(a! - 86_400_000) / 1000, (b! + 86_400_000) / 1000];
  expect(cs[0]!.p[6]).toBe(`r,${from}:${to}`);
  expect(server.received.filter((m) => m.m === "request_more_data")).toHaveLength(0);
  expect(server.barsServed).toBe(all.filter((x) => x[0]! >= from && x[0]! <= to).length);
  expect(server.barsServed).toBeLessThan(6);
  expect(rows(res.bars)).toEqual(expected.slice(4, 7));
});

test("an account history limit: the answer is marked history_cap, never taken for the start of history", async () => {
  server.historyLimit = 6;
  const res = await vendor().fetch(request("NASDAQ:AAPL", "1d"));
  expect(rows(res.bars)).toEqual(expected.slice(-6));
  expect(res.incomplete?.reason).toBe("history_cap");
  const ranged = await vendor().fetch(request("NASDAQ:AAPL", "1d", Date.parse("2023-01-01T00:00:00Z")));
  expect(ranged.incomplete?.reason).toBe("history_cap");
});
