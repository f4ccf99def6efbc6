/** FRED specifics: "." skipped, close-only bars, pagination by offset, keys, unknown series. */
import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { silentLogger } from "../../src/context.ts";
import { ConfigError, VendorError } from "../../src/errors.ts";
import { fredVendor } from "../../src/vendors/fred.ts";
import { ctxFor, request, rows } from "./harness.ts";
import { startFred } from "./servers/fred.ts";
import type { TestServer } from "./servers/http.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startFred();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.requests.length = 0;
});

test("paginates by offset and returns the same bars", async () => {
  const res = await fredVendor(ctxFor("fred", server.url), { pageSize: 4 }).fetch(request("FRED:DGS10", "1d"));
  expect(server.requests.length).toBe(3);
  expect(server.requests.map((u) => u.searchParams.get("offset"))).toEqual([null, "4", "8"]);
  expect(res.bars.timestamp.length).toBe(10);
  expect(rows(res.bars)[0]).toEqual(["2024-01-02T00:00:00.000Z", 3.95, 3.95, 3.95, 3.95, 0]);
});

test("a window becomes observation_start/observation_end", async () => {
  const res = await fredVendor(ctxFor("fred", server.url)).fetch(request("FRED:DGS10", "1d", Date.parse("2024-01-03"), Date.parse("2024-01-05")));
  const q = server.requests[0]!.searchParams;
  expect([q.get("observation_start"), q.get("observation_end"), q.get("file_type"), q.get("series_id")]).toEqual(["2024-01-03", "2024-01-05", "json", "DGS10"]);
  expect(res.bars.timestamp.length).toBe(3);
});

test("an unknown series: VendorError with FRED's error_message", async () => {
  const err = await fredVendor(ctxFor("fred", server.url))
    .fetch(request("FRED:NOPE", "1d"))
    .catch((e) => e);
  expect(err).toBeInstanceOf(VendorError);
  expect(err.message).toBe("fred NOPE (FRED:NOPE) 1d: HTTP 400 (Bad Request.  The series does not exist.) after 1 attempt");
});

test("the key: missing is a ConfigError naming FRED_API_KEY; the environment supplies it", async () => {
  const noKey = { config: { vendors: { fred: { baseUrl: server.url } } }, log: silentLogger, env: {} };
  const err = await fredVendor(noKey)
    .fetch(request("FRED:DGS10", "1d"))
    .catch((e) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect(err.oneLine()).toContain("FRED_API_KEY");
  const res = await fredVendor({ ...noKey, env: { FRED_API_KEY: "test-key" } }).fetch(request("FRED:DGS10", "1d"));
  expect(res.bars.timestamp.length).toBe(10);
});

test("a full page without a count to page on stops there, marked incomplete (page_limit)", async () => {
  const bare = await startFred("test-key", { omitCount: true });
  try {
    const res = await fredVendor(ctxFor("fred", bare.url), { pageSize: 4 }).fetch(request("FRED:DGS10", "1d"));
    expect(bare.requests.length).toBe(1);
    expect(res.incomplete?.reason).toBe("page_limit");
    expect(res.barsReceived).toBe(4);
  } finally {
    bare.stop();
  }
});

test("a complete answer is not marked incomplete", async () => {
  const res = await fredVendor(ctxFor("fred", server.url), { pageSize: 4 }).fetch(request("FRED:DGS10", "1d"));
  expect(res.incomplete).toBeUndefined();
});
