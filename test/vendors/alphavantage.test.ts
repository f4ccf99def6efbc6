/** Alpha Vantage specifics: "Note"/"Information" throttles retried as 429, keys from config or environment. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { silentLogger } from "../../src/context.ts";
import { ConfigError, VendorError } from "../../src/errors.ts";
import { alphaVantageThrottle, alphaVantageVendor } from "../../src/vendors/alphavantage.ts";
import { ctxFor, request } from "./harness.ts";
import { AV_NOTE, startAlphaVantage } from "./servers/alphavantage.ts";

let server: Awaited<ReturnType<typeof startAlphaVantage>>;
beforeAll(async () => {
  server = await startAlphaVantage();
});
afterAll(() => server.stop());
const sleeps: number[] = [];
const vendor = (extra: Record<string, unknown> = {}) =>
  alphaVantageVendor(ctxFor("alphavantage", server.url, extra), { http: { sleep: async (ms) => void sleeps.push(ms) } });

test("a 'Note' throttle answer is retried as a 429, then succeeds", async () => {
  server.throttles = 2;
  const res = await vendor().fetch(request("NYSE:IBM", "1d"));
  expect(res.bars.timestamp.length).toBe(5);
  expect(server.throttles).toBe(0);
});

test("throttled past the retries: VendorError HTTP 429 quoting the Note", async () => {
  server.throttles = 10;
  const err = await vendor()
    .fetch(request("NYSE:IBM", "1d"))
    .catch((e) => e);
  server.throttles = 0;
  expect(err).toBeInstanceOf(VendorError);
  expect(err.message).toStartWith("alphavantage IBM (NYSE:IBM) 1d: HTTP 429 (Thank you for using Alpha Vantage!");
  expect(err.message).toEndWith("after 4 attempts");
  expect(err.status).toBe(429);
});

test("Information throttles count too; premium notices do not", () => {
  expect(alphaVantageThrottle({ Information: "We have detected your API key as ... rate limit is 25 requests per day." })?.status).toBe(429);
  expect(alphaVantageThrottle(AV_NOTE)?.status).toBe(429);
  expect(alphaVantageThrottle({ Information: "Thank you for using Alpha Vantage! This is a premium endpoint." })).toBeUndefined();
  expect(alphaVantageThrottle({ "Meta Data": {} })).toBeUndefined();
});

test("'Error Message' is a VendorError at once", async () => {
  const err = await vendor()
    .fetch(request("NYSE:NOPE", "1d"))
    .catch((e) => e);
  expect(err).toBeInstanceOf(VendorError);
  expect(err.message).toStartWith("alphavantage NOPE (NYSE:NOPE) 1d: Invalid API call.");
});

test("FX:EURUSD goes out as FX_DAILY from_symbol=EUR to_symbol=USD", async () => {
  server.requests.length = 0;
  await vendor().fetch(request("FX:EURUSD", "1d"));
  const q = server.requests[0]!.searchParams;
  expect([q.get("function"), q.get("from_symbol"), q.get("to_symbol"), q.get("outputsize")]).toEqual(["FX_DAILY", "EUR", "USD", "full"]);
});

test("the key: missing is a ConfigError naming ALPHAVANTAGE_API_KEY; the environment supplies it", async () => {
  const noKey = { config: { vendors: { alphavantage: { baseUrl: server.url } } }, log: silentLogger, env: {} };
  const err = await alphaVantageVendor(noKey)
    .fetch(request("NYSE:IBM", "1d"))
    .catch((e) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect(err.oneLine()).toContain("ALPHAVANTAGE_API_KEY");
  const fromEnv = alphaVantageVendor({ ...noKey, env: { ALPHAVANTAGE_API_KEY: "test-key" } });
  expect((await fromEnv.fetch(request("NYSE:IBM", "1d"))).bars.timestamp.length).toBe(5);
});

test("intraday is refused: the free API has daily series only", async () => {
  const err = await vendor()
    .fetch(request("NYSE:IBM", "1h"))
    .catch((e) => e);
  expect(err).toBeInstanceOf(ConfigError);
});

test("the full output is one complete answer; a compact one is marked incomplete (clipped)", async () => {
  const full = await alphaVantageVendor(ctxFor("alphavantage", server.url, { apiKey: "test-key" })).fetch(request("NYSE:IBM", "1d"));
  expect(full.incomplete).toBeUndefined();
  const compact = await startAlphaVantage({ compact: 3 });
  try {
    const res = await alphaVantageVendor(ctxFor("alphavantage", compact.url, { apiKey: "test-key" })).fetch(request("NYSE:IBM", "1d"));
    expect(res.bars.timestamp.length).toBe(3);
    expect(res.incomplete?.reason).toBe("clipped");
  } finally {
    compact.stop();
  }
});
