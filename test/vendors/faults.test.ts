/**
 * Injected faults against real local servers, for every HTTP vendor: throttles with Retry-After (seconds and
 * HTTP-date), 5xx storms, hangs past the timeout, truncated bodies, schema drift, empty results; and, once
 * retries run out, a VendorError (exit 3) naming vendor, symbol, status and attempts.
 * Sleeps are injected (recorded, not waited) so backoff is asserted exactly and the suite stays fast.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { type DqError, VendorError } from "../../src/errors.ts";
import type { Interval } from "../../src/model/interval.ts";
import { alphaVantageVendor } from "../../src/vendors/alphavantage.ts";
import { binanceVendor } from "../../src/vendors/binance.ts";
import { fredVendor } from "../../src/vendors/fred.ts";
import type { HttpClientOptions } from "../../src/vendors/http.ts";
import type { Vendor } from "../../src/vendors/types.ts";
import { yahooVendor } from "../../src/vendors/yahoo.ts";
import { ctxFor, expectedRows, type Row, request, rows } from "./harness.ts";
import { startAlphaVantage } from "./servers/alphavantage.ts";
import { startBinance } from "./servers/binance.ts";
import { startFred } from "./servers/fred.ts";
import { fixture, type TestServer } from "./servers/http.ts";
import { startYahoo } from "./servers/yahoo.ts";

interface Case {
  vendor: string;
  id: string;
  interval: Interval;
  fixture: string;
  /** How errors name the request. */
  what: string;
  start: () => Promise<TestServer>;
  make: (url: string, http: Partial<HttpClientOptions>, extra?: Record<string, unknown>) => Vendor;
  /** The field schema drift renames, as the error names it. */
  driftField: RegExp;
}

const CASES: Case[] = [
  {
    vendor: "yahoo",
    id: "NASDAQ:AAPL",
    interval: "1d",
    fixture: "yahoo_AAPL_1d.json",
    what: "AAPL (NASDAQ:AAPL) 1d",
    start: () => startYahoo(),
    make: (u, http, x) => yahooVendor(ctxFor("yahoo", u, x), { http }),
    driftField: /quote\.0\.close missing/,
  },
  {
    vendor: "binance",
    id: "BINANCE:BTCUSDT",
    interval: "1h",
    fixture: "binance_BTCUSDT_1h.json",
    what: "BTCUSDT (BINANCE:BTCUSDT) 1h",
    start: () => startBinance(),
    make: (u, http, x) => binanceVendor(ctxFor("binance", u, x), { http }),
    driftField: /at 0: kline/,
  },
  {
    vendor: "alphavantage",
    id: "NYSE:IBM",
    interval: "1d",
    fixture: "alphavantage_IBM_1d.json",
    what: "IBM (NYSE:IBM) 1d",
    start: () => startAlphaVantage(),
    make: (u, http, x) => alphaVantageVendor(ctxFor("alphavantage", u, x), { http }),
    driftField: /4\. close/,
  },
  {
    vendor: "fred",
    id: "FRED:DGS10",
    interval: "1d",
    fixture: "fred_DGS10_1d.json",
    what: "DGS10 (FRED:DGS10) 1d",
    start: () => startFred(),
    make: (u, http, x) => fredVendor(ctxFor("fred", u, x), { http }),
    driftField: /observations\.0\.value/,
  },
];

async function rejection(p: Promise<unknown>): Promise<VendorError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(VendorError);
    return err as VendorError;
  }
  throw new Error("expected a VendorError, the fetch succeeded");
}

for (const c of CASES) {
  describe(`${c.vendor}: faults`, () => {
    let server: TestServer;
    let sleeps: number[];
    let expected: Row[];
    const http = () => ({ sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5 });
    const vendor = (extra?: Record<string, unknown>) => c.make(server.url, http(), extra);
    const fetch = (extra?: Record<string, unknown>) => vendor(extra).fetch(request(c.id, c.interval));

    beforeAll(async () => {
      server = await c.start();
      expected = expectedRows((await fixture(c.fixture)).expected);
    });
    afterAll(() => server.stop());
    beforeEach(() => {
      server.fault = undefined;
      server.requests.length = 0;
      sleeps = [];
    });

    test("429 with Retry-After in seconds, then success: waits exactly what the server asked", async () => {
      server.fault = { kind: "status", statuses: [429, 429], retryAfter: "7" };
      const res = await fetch();
      expect(rows(res.bars)).toEqual(expected);
      expect(sleeps).toEqual([7000, 7000]);
    });

    test("429 with Retry-After as an HTTP-date, then success", async () => {
      server.fault = { kind: "status", statuses: [429], retryAfter: () => new Date(Date.now() + 5000).toUTCString() };
      const res = await fetch();
      expect(rows(res.bars)).toEqual(expected);
      expect(sleeps.length).toBe(1);
      expect(sleeps[0]!).toBeGreaterThan(3000);
      expect(sleeps[0]!).toBeLessThanOrEqual(5000);
    });

    test("500, 502, 503 then success: exponential backoff with jitter", async () => {
      server.fault = { kind: "status", statuses: [500, 502, 503] };
      const res = await fetch();
      expect(rows(res.bars)).toEqual(expected);
      // base 5 ms (DQCTL_HTTP_BACKOFF_MS), doubling, jitter factor 0.75 with random() = 0.5
      expect(sleeps).toEqual([4, 8, 15]);
    });

    test("a response that hangs past the timeout is abandoned and retried", async () => {
      server.fault = { kind: "hang", times: 1, ms: 1500 };
      const t0 = performance.now();
      const res = await fetch({ timeoutMs: 150 });
      expect(rows(res.bars)).toEqual(expected);
      expect(performance.now() - t0).toBeLessThan(1200);
    });

    test("a truncated JSON body is retried, then succeeds", async () => {
      server.fault = { kind: "truncate", times: 1 };
      const res = await fetch();
      expect(rows(res.bars)).toEqual(expected);
      expect(sleeps.length).toBe(1);
    });

    test("a body that stays truncated: VendorError 'malformed JSON body', no crash", async () => {
      server.fault = { kind: "truncate", times: 99 };
      const err = await rejection(fetch());
      expect(err.message).toStartWith(`${c.vendor} ${c.what}: malformed JSON body`);
      expect(err.message).toContain("after 4 attempts");
      expect(err.attempts).toBe(4);
    });

    test("a renamed field (schema drift): VendorError naming the field, not retried", async () => {
      server.fault = { kind: "drift" };
      const err = await rejection(fetch());
      expect(err.message).toStartWith(`${c.vendor} ${c.what}: unexpected response shape (schema drift)`);
      expect(err.message).toMatch(c.driftField);
      expect(server.requests.length).toBe(1);
    });

    test("an empty result is zero bars, not an error", async () => {
      server.fault = { kind: "empty" };
      const res = await fetch();
      expect(res.bars.timestamp.length).toBe(0);
      expect(res.incomplete).toBeUndefined();
    });

    test("retries run out: exit-3 VendorError naming vendor, symbol, status and attempts", async () => {
      server.fault = { kind: "status", statuses: [503, 503, 503, 503, 503] };
      const err = await rejection(fetch());
      expect(err.message).toStartWith(`${c.vendor} ${c.what}: HTTP 503`);
      expect(err.message).toContain("after 4 attempts");
      expect(err).toMatchObject({ vendor: c.vendor, symbol: c.id, status: 503, attempts: 4, exitCode: 3 });
      expect((err as DqError).oneLine()).not.toContain("\n");
      expect(server.requests.length).toBe(4);
    });

    test("a Retry-After beyond the cap fails at once instead of hammering", async () => {
      server.fault = { kind: "status", statuses: [429, 429], retryAfter: "3600" };
      const err = await rejection(fetch());
      expect(err.message).toContain("HTTP 429 with Retry-After 3600 s");
      expect(server.requests.length).toBe(1);
    });

    test("a hang on every attempt ends in a timeout VendorError", async () => {
      server.fault = { kind: "hang", times: 99, ms: 1000 };
      const err = await rejection(fetch({ timeoutMs: 60, retries: 1 }));
      expect(err.message).toBe(`${c.vendor} ${c.what}: timeout after 60 ms after 2 attempts`);
    });
  });
}
