// Secrets never in output: vendors whose error bodies echo the request URL (key and all), through the binary.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, dqctl, tempDir } from "../helpers/cli.ts";
import { startAlphaVantage } from "../vendors/servers/alphavantage.ts";
import { startFred } from "../vendors/servers/fred.ts";
import type { Fault, TestServer } from "../vendors/servers/http.ts";

// Long enough that any cut of an error body (tails of 20, heads of 120/200 characters) can land inside them.
const AV_KEY = "AVK3Y7Q9ZX2M4PLW8RTB6NHC5JDF1GSE";
const FRED_KEY = "f3a9c0de4b7e11aa92cd5e0b6f7a8c91";
const CFG_KEY = "cfgfredkey0123456789abcdefabcdef";

let av: TestServer;
let fred: TestServer;
let fredCfg: TestServer;
let dir: string;
let cleanup: () => void;
let closedPort: string;
const env = () => ({
  DQCTL_ALPHAVANTAGE_BASE_URL: av.url,
  DQCTL_FRED_BASE_URL: fred.url,
  ALPHAVANTAGE_API_KEY: AV_KEY,
  FRED_API_KEY: FRED_KEY,
  DQCTL_HTTP_BACKOFF_MS: "1",
  DQCTL_HTTP_RETRIES: "1",
  DQCTL_HTTP_TIMEOUT_MS: "2000",
});

/** Every 8-character piece of a key: a cut secret is still a leak. */
function pieces(key: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 8 <= key.length; i++) out.push(key.slice(i, i + 8));
  return out;
}

/** Assert no piece of `key` is in `text`; names where it was found. */
function expectClean(text: string, key: string, where: string) {
  const hit = pieces(key).find((p) => text.includes(p));
  expect(hit ? `${where} contains ${hit}` : "clean").toBe("clean");
}

/** Every file under the lakehouse (runs.jsonl, catalog.json, foundation_health.json, quarantine/…). */
function lakehouseText(lh: string): [string, string][] {
  return readdirSync(lh, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .map((p) => [p, readFileSync(p, "latin1")]);
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir("dqctl-secrets-"));
  av = await startAlphaVantage({ key: AV_KEY });
  fred = await startFred(FRED_KEY);
  fredCfg = await startFred(CFG_KEY);
  const gone = await startFred();
  closedPort = new URL(gone.url).port;
  gone.stop();
  // Alpha Vantage's default limit (5 a minute) would make every retry wait seconds.
  writeFileSync(
    join(dir, "fred.json"),
    JSON.stringify({ instruments: { "FRED:DGS10": { profile: "equity" } }, vendors: { alphavantage: { rateLimitPerMinute: 6000 } } }),
  );
  writeFileSync(
    join(dir, "fred-cfg.json"),
    JSON.stringify({ instruments: { "FRED:DGS10": { profile: "equity" } }, vendors: { fred: { apiKey: CFG_KEY, baseUrl: fredCfg.url } } }),
  );
  // Seed both lakehouses with a good ingest so catalog, registry and runs.jsonl exist before the faults.
  for (const [vendor, symbol, config] of [
    ["alphavantage", "NYSE:IBM", "fred.json"],
    ["fred", "FRED:DGS10", "fred.json"],
    ["fred", "FRED:DGS10", "fred-cfg.json"],
  ] as const) {
    const r = await dqctl(
      ["ingest", "--vendor", vendor, "--symbols", symbol, "--config", join(dir, config), "--quiet", "--lakehouse", join(dir, `lh-${vendor}-${config}`)],
      { env: env() },
    );
    expect(r.code).toBe(0);
  }
});
afterAll(() => {
  for (const s of [av, fred, fredCfg]) s.stop();
  cleanup();
});

const json = (o: unknown) => JSON.stringify(o);
type Case = { name: string; vendor: "alphavantage" | "fred"; fault: Fault; key: string; config?: string; closed?: boolean };
const CASES: Case[] = [
  {
    name: "4xx JSON echoing the URL",
    vendor: "alphavantage",
    key: AV_KEY,
    fault: { kind: "echo", status: 403, body: (u) => json({ "Error Message": `Forbidden: ${u}` }) },
  },
  {
    name: "5xx HTML page echoing the URL (retried)",
    vendor: "alphavantage",
    key: AV_KEY,
    fault: { kind: "echo", status: 502, body: (u) => `<html><body><h1>Bad gateway</h1><p>upstream for ${u} is down</p></body></html>` },
  },
  {
    name: "malformed JSON ending in the key",
    vendor: "alphavantage",
    key: AV_KEY,
    fault: { kind: "echo", status: 200, body: (u) => `{"Meta Data": {"1. Information": "${u}` },
  },
  {
    name: "200 with an error message naming the key bare",
    vendor: "alphavantage",
    key: AV_KEY,
    fault: { kind: "echo", status: 200, body: () => json({ "Error Message": `the key ${AV_KEY} is not valid for TIME_SERIES_DAILY` }) },
  },
  {
    name: "200 throttle note echoing the URL (retried as 429)",
    vendor: "alphavantage",
    key: AV_KEY,
    fault: { kind: "echo", status: 200, body: (u) => json({ Note: `${u} — our standard API call frequency is 5 calls per minute` }) },
  },
  { name: "connection refused (the error names the URL)", vendor: "alphavantage", key: AV_KEY, fault: { kind: "drift" }, closed: true },
  {
    name: "4xx FRED error_message echoing the URL",
    vendor: "fred",
    key: FRED_KEY,
    fault: { kind: "echo", status: 400, body: (u) => json({ error_code: 400, error_message: `Bad Request. ${u}` }) },
  },
  {
    name: "5xx FRED echoing the URL",
    vendor: "fred",
    key: FRED_KEY,
    fault: { kind: "echo", status: 500, body: (u) => json({ error_code: 500, error_message: `Internal error serving ${u}` }) },
  },
  {
    name: "malformed FRED JSON ending in the key",
    vendor: "fred",
    key: FRED_KEY,
    fault: { kind: "echo", status: 200, body: (u) => `{"observations": [{"date": "${u}", "value": "${new URL(u).searchParams.get("api_key")}` },
  },
  {
    name: "key from the config file, 4xx echoing the URL",
    vendor: "fred",
    key: CFG_KEY,
    config: "fred-cfg.json",
    fault: { kind: "echo", status: 401, body: (u) => json({ error_message: `api_key not registered: ${u}` }) },
  },
];

describe("a key echoed by a failing vendor appears nowhere", () => {
  test.each(CASES.map((c) => [c.name, c] as const))(
    "%s",
    async (_name, c) => {
      const config = c.config ?? "fred.json";
      const lh = join(dir, `lh-${c.vendor}-${config}`);
      const server = c.config ? fredCfg : c.vendor === "fred" ? fred : av;
      const symbol = c.vendor === "fred" ? "FRED:DGS10" : "NYSE:IBM";
      const e = env();
      if (c.closed) e.DQCTL_ALPHAVANTAGE_BASE_URL = `http://127.0.0.1:${closedPort}`;
      server.fault = c.fault;
      server.requests.length = 0;
      let errorsText = "";
      try {
        for (const extra of [[], ["--verbose"]]) {
          const r = await dqctl(
            ["ingest", "--vendor", c.vendor, "--symbols", symbol, "--refresh", "--config", join(dir, config), "--json", "--lakehouse", lh, ...extra],
            { env: e },
          );
          expect(r.code).toBe(3);
          const doc = assertSummary(r.json());
          expect(doc.errors).toHaveLength(1);
          errorsText += JSON.stringify(doc.errors);
          expect(r.stderr).toContain(`dqctl: ${c.vendor}`);
          expectClean(r.stdout, c.key, "stdout");
          expectClean(r.stderr, c.key, `stderr${extra.length ? " (--verbose)" : ""}`);
          for (const [path, text] of lakehouseText(lh)) expectClean(text, c.key, path);
        }
        // Not vacuous: the key was sent, and the echo reached the message (redacted, not dropped).
        if (!c.closed) {
          expect(server.requests.some((u) => u.href.includes(c.key))).toBe(true);
          if (c.fault.kind === "echo") expect(errorsText).toContain("***");
        }
      } finally {
        server.fault = undefined;
      }
    },
    30_000,
  );

  test("a config error echoing the key, with --verbose (stack trace)", async () => {
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ vendors: { alphavantage: { baseUrl: `not a url ${AV_KEY}` } } }));
    const r = await dqctl(
      [
        "ingest",
        "--vendor",
        "alphavantage",
        "--symbols",
        "NYSE:IBM",
        "--config",
        join(dir, "bad.json"),
        "--json",
        "--verbose",
        "--lakehouse",
        join(dir, "lh-none"),
      ],
      { env: env() },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("dqctl: ");
    expect(r.stderr).toMatch(/\n\s+at /); // the stack was printed
    expect(r.stderr).toContain("***");
    expectClean(r.stdout, AV_KEY, "stdout");
    expectClean(r.stderr, AV_KEY, "stderr");
  }, 30_000);
});
