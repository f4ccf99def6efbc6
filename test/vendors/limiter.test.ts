/** The per-vendor limits, against a real server: concurrency never exceeded, rate limit spaced, and worth it. */
import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { HttpClient } from "../../src/vendors/http.ts";
import { mapLimit } from "../../src/vendors/limits.ts";
import { yahooVendor } from "../../src/vendors/yahoo.ts";
import { ctxFor, request } from "./harness.ts";
import type { TestServer } from "./servers/http.ts";
import { startYahoo } from "./servers/yahoo.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startYahoo();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.peakInFlight = 0;
  server.latencyMs = 0;
  server.requests.length = 0;
});

test("20 requests with concurrency 4 never have more than 4 in flight", async () => {
  server.latencyMs = 30;
  const client = new HttpClient({ vendor: "yahoo", concurrency: 4 });
  await mapLimit(Array.from({ length: 20 }), 20, () => client.json({ url: `${server.url}/v8/finance/chart/AAPL`, what: "AAPL" }));
  expect(server.requests.length).toBe(20);
  expect(server.peakInFlight).toBe(4);
  expect(client.semaphore.peak).toBe(4);
});

test("the limit is shared by every request of one vendor instance", async () => {
  server.latencyMs = 20;
  const vendor = yahooVendor(ctxFor("yahoo", server.url, { concurrency: 3 }));
  await mapLimit(Array.from({ length: 12 }), 12, () => vendor.fetch(request("NASDAQ:AAPL", "1d")));
  expect(server.peakInFlight).toBe(3);
});

test("rate limit: 600 a minute with burst 1 spaces requests 100 ms apart", async () => {
  const client = new HttpClient({ vendor: "yahoo", rateLimitPerMinute: 600, burst: 1, concurrency: 8 });
  const t0 = performance.now();
  await mapLimit(Array.from({ length: 5 }), 5, () => client.json({ url: `${server.url}/v8/finance/chart/AAPL`, what: "AAPL" }));
  const elapsed = performance.now() - t0;
  expect(elapsed).toBeGreaterThanOrEqual(380);
  expect(elapsed).toBeLessThan(1500);
});

test("concurrency pays: 20 fetches at 50 ms latency keep 8 in flight with concurrency 8, one at a time with 1", async () => {
  server.latencyMs = 50;
  const run = async (concurrency: number) => {
    server.peakInFlight = 0;
    const vendor = yahooVendor(ctxFor("yahoo", server.url, { concurrency }));
    const t0 = performance.now();
    await mapLimit(Array.from({ length: 20 }), concurrency, () => vendor.fetch(request("NASDAQ:AAPL", "1d")));
    return { ms: performance.now() - t0, peak: server.peakInFlight };
  };
  const serial = await run(1);
  const parallel = await run(8);
  // The overlap is what the server sees; the wall-time gain is a figure (bun run bench), not an assertion.
  console.error(
    `limiter: 20 fetches @50ms: serial ${serial.ms.toFixed(0)} ms, concurrency 8 ${parallel.ms.toFixed(0)} ms (${(serial.ms / parallel.ms).toFixed(1)}x)`,
  );
  expect(serial.peak).toBe(1);
  expect(parallel.peak).toBe(8);
});
