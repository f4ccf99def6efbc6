import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type BootstrapOptions, resolveSymbols, resolveWindow, runBootstrap } from "../../../src/bootstrap/index.ts";
import type { Config } from "../../../src/config/schema.ts";
import { type RunContext, silentLogger, silentProgress } from "../../../src/context.ts";
import { readArrowTable } from "../../../src/lakehouse/parquet.ts";
import { Lakehouse } from "../../../src/lakehouse/store.ts";
import { buildSummary } from "../../../src/report/summary.ts";
import { tempDir } from "../../helpers/cli.ts";
import type { TestServer } from "../../vendors/servers/http.ts";
import { day, startAlphaVantageBars, startFredBars, startYahooBars } from "./_servers.ts";

const CLOSED = "http://127.0.0.1:9";
let yahoo: TestServer;
let av: TestServer;
let fred: TestServer;
let tmp: { dir: string; cleanup: () => void };

beforeAll(() => {
  tmp = tempDir("dqctl-bootstrap-");
  // The design's case: yahoo has Jan 1 and an all-null Jan 2; alphavantage Jan 2; fred (DEXUSEU) Jan 1.
  yahoo = startYahooBars({
    "EURUSD=X": [
      { date: "2024-01-01", open: 1.2, high: 1.21, low: 1.19, close: 1.205, volume: 0 },
      { date: "2024-01-02", open: null, high: null, low: null, close: null, volume: null },
    ],
  });
  av = startAlphaVantageBars({ "EUR/USD": [day("2024-01-02", 1.1)] });
  fred = startFredBars({ DEXUSEU: [day("2024-01-01", 1.245)] });
});
afterAll(() => {
  for (const s of [yahoo, av, fred]) s.stop();
  tmp.cleanup();
});

const config: Config = { instruments: { "FX:EURUSD": { tickers: { fred: "DEXUSEU" } } } };
const ctx = (now: string, c: Config = config): RunContext => ({
  config: c,
  store: new Lakehouse(join(tmp.dir, "lake")),
  now: new Date(now),
  log: silentLogger,
  progress: silentProgress,
  waitLockMs: 0,
  runId: "test",
});
const env = (over: Record<string, string> = {}) => ({
  DQCTL_YAHOO_BASE_URL: yahoo.url,
  DQCTL_ALPHAVANTAGE_BASE_URL: av.url,
  DQCTL_FRED_BASE_URL: fred.url,
  ALPHAVANTAGE_API_KEY: "test-key",
  FRED_API_KEY: "test-key",
  DQCTL_HTTP_BACKOFF_MS: "1",
  DQCTL_HTTP_RETRIES: "0",
  ...over,
});
const opts = (cacheDir: string, over: Partial<BootstrapOptions> = {}): BootstrapOptions => ({
  symbols: "EURUSD=X",
  vendors: ["yahoo", "alphavantage", "fred"],
  interval: "1d",
  start: "2024-01-01",
  end: "2024-01-03",
  cacheDir,
  format: "parquet",
  failOn: undefined,
  env: env(),
  ...over,
});

describe("resolution", () => {
  test("vendor tickers and dqctl ids", () => {
    expect(resolveSymbols("EURUSD=X, FX:GBPUSD,AAPL,EURUSD=X", ["yahoo"], { config: {} }).map((s) => [s.sym.id, s.profile, s.requested])).toEqual([
      ["FX:EURUSD", "forex", "EURUSD=X"],
      ["FX:GBPUSD", "forex", "FX:GBPUSD"],
      ["NASDAQ:AAPL", "equity", "AAPL"],
    ]);
    expect(resolveSymbols("EUR/USD", ["file", "alphavantage"], { config: {} })[0]!.sym.id).toBe("FX:EURUSD");
  });

  test("the window ends at the last elapsed slot and spans the look-back", () => {
    const now = Date.parse("2024-06-12T15:30:00Z");
    const w = resolveWindow(now, "1d", { lookbackDays: 120 });
    expect([new Date(w.startMs).toISOString(), new Date(w.endMs).toISOString()]).toEqual(["2024-02-13T00:00:00.000Z", "2024-06-11T00:00:00.000Z"]);
    expect((w.endMs - w.startMs) / 86_400_000 + 1).toBe(120);
    expect(() => resolveWindow(now, "1d", { start: "2024-06-20", end: "2024-06-01" })).toThrow("window is empty");
    expect(() => resolveWindow(now, "1d", { start: "2024-01-01", lookbackDays: 3 })).toThrow("both given");
  });
});

describe("yahoo + alphavantage + fred through local servers", () => {
  test("two stitched rows with primary_source and sources; drift error naming the bar; cached", async () => {
    const cacheDir = join(tmp.dir, "agg");
    const step = await runBootstrap(ctx("2024-01-04T12:00:00Z"), opts(cacheDir));
    expect(step.errors).toBeUndefined();
    expect(step.counts).toMatchObject({ rows: 2, seen: 1, cacheHit: 0 });
    const drift = step.findings.find((f) => f.code === "cross_source_drift")!;
    expect(drift.severity).toBe("error");
    expect(drift.message).toContain("2024-01-01T00:00:00.000Z (yahoo 1.205 vs fred 1.245)");
    // The absent Jan 3 trails the last bar: the engine's stale check names it (it was bootstrap's own missing_rows
    // before bootstrap ran the one check engine; `gap` only counts holes between the first and the last bar).
    expect(step.findings.find((f) => f.code === "stale")!.details).toEqual({ lastBar: "2024-01-02T00:00:00.000Z", lastExpected: "2024-01-03T00:00:00.000Z" });
    expect(step.findings.some((f) => f.code === "gap")).toBe(false);
    const ds = step.extra!.dataset as { path: string; sha256: string };
    const t = await readArrowTable(readFileSync(ds.path), ds.path);
    expect(t.getChild("primary_source")!.toArray()).toEqual(["yahoo", "alphavantage"]);
    expect(t.getChild("sources")!.toArray()).toEqual(["yahoo,fred", "alphavantage"]);
    expect(Array.from(t.getChild("close")!.toArray() as Float64Array)).toEqual([1.205, 1.1]);
    expect(step.extra!.vendors).toEqual({ requested: ["yahoo", "alphavantage", "fred"], used: ["yahoo", "alphavantage", "fred"] });
    expect(step.lineage!.outputs).toEqual([{ name: ds.path, kind: "dataset", sha256: ds.sha256, rows: 2, format: "parquet" }]);
    expect(step.symbols[0]).toMatchObject({ symbol: "FX:EURUSD", rows: 2, primary: { yahoo: 1, alphavantage: 1 } });
  });

  test("with --fail-on-quality the error-level dataset is not cached and the gate exits 2", async () => {
    const cacheDir = join(tmp.dir, "gated");
    const step = await runBootstrap(ctx("2024-01-04T12:00:00Z"), opts(cacheDir, { failOn: "error" }));
    expect(step.extra!.dataset).toBeNull();
    expect(step.extra!.cache).toMatchObject({ stored: false, notStoredBecause: "quality gate failed" });
    expect(existsSync(cacheDir)).toBe(false);
    expect(buildSummary("bootstrap", "t", new Date(), new Date(), step, "error").exitCode).toBe(2);
  });

  test("a vendor failing where another covers is a vendor_failed warning; when none covers, an operational error", async () => {
    const cacheDir = join(tmp.dir, "failing");
    const covered = await runBootstrap(ctx("2024-01-04T12:00:00Z"), opts(cacheDir, { vendors: ["fred", "yahoo"], env: env({ DQCTL_FRED_BASE_URL: CLOSED }) }));
    expect(covered.errors).toBeUndefined();
    expect(covered.findings.find((f) => f.code === "vendor_failed")).toMatchObject({ severity: "warning", details: { vendor: "fred" } });
    const none = await runBootstrap(
      ctx("2024-01-04T12:00:00Z"),
      opts(cacheDir, { vendors: ["yahoo"], symbols: "FX:EURUSD", start: "2024-01-01", end: "2024-01-03", env: env({ DQCTL_YAHOO_BASE_URL: CLOSED }) }),
    );
    expect(none.errors!.length).toBe(1);
    expect(none.errors![0]!.message).toStartWith("FX:EURUSD 1d: yahoo:");
    expect(none.extra!.cache).toMatchObject({ stored: false, notStoredBecause: "operational errors" });
    expect(buildSummary("bootstrap", "t", new Date(), new Date(), none, undefined).exitCode).toBe(3);
  });

  test("a repeat request is served from the cache with every vendor at a closed port", async () => {
    const cacheDir = join(tmp.dir, "repeat");
    const first = await runBootstrap(ctx("2024-01-04T12:00:00Z"), opts(cacheDir));
    const closed = env({ DQCTL_YAHOO_BASE_URL: CLOSED, DQCTL_ALPHAVANTAGE_BASE_URL: CLOSED, DQCTL_FRED_BASE_URL: CLOSED });
    const before = yahoo.requests.length + av.requests.length + fred.requests.length;
    const second = await runBootstrap(ctx("2024-01-04T18:00:00Z"), opts(cacheDir, { env: closed, symbols: "FX:EURUSD" }));
    expect(yahoo.requests.length + av.requests.length + fred.requests.length).toBe(before);
    expect(second.counts.cacheHit).toBe(1);
    expect(second.findings).toEqual(first.findings);
    expect(second.symbols).toEqual(first.symbols);
    expect((second.extra!.dataset as { sha256: string }).sha256).toBe((first.extra!.dataset as { sha256: string }).sha256);
  });

  test("runs on successive days with --cache-max-entries 2 keep the two newest", async () => {
    const cacheDir = join(tmp.dir, "rolling");
    const keys: string[] = [];
    for (const d of ["2024-01-04", "2024-01-05", "2024-01-06"]) {
      const step = await runBootstrap(ctx(`${d}T12:00:00Z`), opts(cacheDir, { start: undefined, end: undefined, lookbackDays: 5, maxEntries: 2 }));
      keys.push((step.extra!.cache as { key: string }).key);
    }
    const metas = readdirSync(cacheDir)
      .filter((f) => f.endsWith("_metadata.json"))
      .sort();
    expect(metas).toEqual(
      keys
        .slice(1)
        .map((k) => `pricing_${k.slice(0, 16)}_metadata.json`)
        .sort(),
    );
  });
});
