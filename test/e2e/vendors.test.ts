// `dqctl ingest --vendor <network vendor>` end to end: the binary against real local servers speaking each wire format.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, dqctl, tempDir } from "../helpers/cli.ts";
import { startAlphaVantage } from "../vendors/servers/alphavantage.ts";
import { startBinance } from "../vendors/servers/binance.ts";
import { startFred } from "../vendors/servers/fred.ts";
import type { TestServer } from "../vendors/servers/http.ts";
import { startTradingView, type TvServer } from "../vendors/servers/tradingview.ts";
import { startYahoo } from "../vendors/servers/yahoo.ts";

let http: Record<"yahoo" | "binance" | "alphavantage" | "fred", TestServer>;
let tv: TvServer;
let dir: string;
let cleanup: () => void;
let env: Record<string, string>;
let config: string;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  http = { yahoo: await startYahoo(), binance: await startBinance(), alphavantage: await startAlphaVantage(), fred: await startFred() };
  tv = await startTradingView();
  env = {
    DQCTL_YAHOO_BASE_URL: http.yahoo.url,
    DQCTL_BINANCE_BASE_URL: http.binance.url,
    DQCTL_ALPHAVANTAGE_BASE_URL: http.alphavantage.url,
    DQCTL_FRED_BASE_URL: http.fred.url,
    DQCTL_TRADINGVIEW_WS_URL: tv.url,
    ALPHAVANTAGE_API_KEY: "test-key",
    FRED_API_KEY: "test-key",
    DQCTL_HTTP_BACKOFF_MS: "5",
    DQCTL_HTTP_RETRIES: "2",
    DQCTL_HTTP_TIMEOUT_MS: "2000",
  };
  config = join(dir, "dqctl.config.json");
  writeFileSync(config, JSON.stringify({ instruments: { "FRED:DGS10": { profile: "equity" } }, vendors: { tradingview: { totalTimeoutMs: 5000 } } }));
});
afterAll(() => {
  for (const s of Object.values(http)) s.stop();
  tv.stop();
  cleanup();
});

const CASES: [string, string, string][] = [
  ["yahoo", "NASDAQ:AAPL,FX:EURUSD", "1d"],
  ["binance", "BINANCE:BTCUSDT", "1h"],
  ["alphavantage", "NYSE:IBM", "1d"],
  ["fred", "FRED:DGS10", "1d"],
  ["tradingview", "NASDAQ:AAPL", "1d"],
];

describe("ingest from every network vendor", () => {
  test.each(CASES)(
    "%s: %s %s",
    async (vendor, symbols, interval) => {
      const lh = join(dir, `lh-${vendor}`);
      const r = await dqctl(["ingest", "--vendor", vendor, "--symbols", symbols, "--interval", interval, "--config", config, "--json", "--lakehouse", lh], {
        env,
      });
      expect(r.stderr).not.toContain("dqctl:");
      expect(r.code).toBe(0);
      const doc = assertSummary(r.json());
      const n = symbols.split(",").length;
      expect(doc.counts).toMatchObject({ written: n, failed: 0 });
      expect(doc.latency[vendor].count).toBe(n);
      for (const s of doc.symbols) expect(s.rows).toBeGreaterThanOrEqual(4);
      const cat = JSON.parse(readFileSync(join(lh, "catalog.json"), "utf8"));
      expect(cat.entries.map((e: any) => e.source)).toEqual(Array(n).fill(vendor));
    },
    30_000,
  );
});

describe("vendor failures", () => {
  test("retries run out: exit 3, one line naming vendor, symbol, status and attempts; nothing written for it; others unaffected", async () => {
    const lh = join(dir, "lh-fail");
    const r = await dqctl(["ingest", "--vendor", "yahoo", "--symbols", "NASDAQ:AAPL,NASDAQ:NOPE", "--quiet", "--json", "--lakehouse", lh], { env });
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dqctl: yahoo NOPE \(NASDAQ:NOPE\) 1d: HTTP 404/);
    const doc = assertSummary(r.json());
    expect(doc.counts).toMatchObject({ written: 1, failed: 1 });
    expect(existsSync(join(lh, "NASDAQ_AAPL_1d.parquet"))).toBe(true);
    expect(existsSync(join(lh, "NASDAQ_NOPE_1d.parquet"))).toBe(false);

    http.yahoo.fault = { kind: "status", statuses: [503, 503, 503] };
    const s = await dqctl(["ingest", "--vendor", "yahoo", "--symbols", "FX:EURUSD", "--quiet", "--lakehouse", lh], { env });
    http.yahoo.fault = undefined;
    expect(s.code).toBe(3);
    expect(s.stderr.trim()).toMatch(/^dqctl: yahoo EURUSD=X \(FX:EURUSD\) 1d: HTTP 503 \(injected 503\) after 3 attempts — /);
    expect(existsSync(join(lh, "FX_EURUSD_1d.parquet"))).toBe(false);
  }, 30_000);

  test("a truncated body is retried; a drifted schema is a clear error naming the field", async () => {
    const lh = join(dir, "lh-drift");
    http.binance.fault = { kind: "truncate", times: 1 };
    const ok = await dqctl(["ingest", "--vendor", "binance", "--symbols", "BINANCE:BTCUSDT", "--interval", "1h", "--quiet", "--lakehouse", lh], { env });
    expect(ok.code).toBe(0);
    http.binance.fault = { kind: "drift" };
    const bad = await dqctl(["ingest", "--vendor", "binance", "--symbols", "BINANCE:BTCUSDT", "--interval", "1h", "--refresh", "--quiet", "--lakehouse", lh], {
      env,
    });
    http.binance.fault = undefined;
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/binance BTCUSDT \(BINANCE:BTCUSDT\) 1h: .*schema/i);
  }, 30_000);
});

describe("a known symbol with no bars", () => {
  test("yahoo's empty chart answers are no_data (not schema drift); the other symbol is written", async () => {
    const lh = join(dir, "lh-nodata");
    const r = await dqctl(
      ["ingest", "--vendor", "yahoo", "--symbols", "NASDAQ:AAPL,NASDAQ:QUIET,NASDAQ:BARE,NASDAQ:UNLISTED", "--quiet", "--json", "--lakehouse", lh],
      { env },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    expect(doc.counts).toMatchObject({ written: 1, no_data: 3, failed: 0 });
    const noData = doc.findings.filter((f: any) => f.code === "no_data").map((f: any) => f.symbol);
    expect(noData.sort()).toEqual(["NASDAQ:BARE", "NASDAQ:QUIET", "NASDAQ:UNLISTED"]);
    expect(existsSync(join(lh, "NASDAQ_AAPL_1d.parquet"))).toBe(true);
    expect(existsSync(join(lh, "NASDAQ_QUIET_1d.parquet"))).toBe(false);
  }, 30_000);
});
