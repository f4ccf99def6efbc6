// The symbol catalog and the feature store end to end in the core, on both stores: `scan` and `features ingest`
// against a real screener server on 127.0.0.1 speaking the scan API's wire format, with its faults (429 with
// Retry-After, 5xx, truncated bodies, empty columns, unknown symbols).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RunContext, silentLogger, silentProgress } from "../../../src/context.ts";
import { VendorError } from "../../../src/errors.ts";
import { TV_TECHNICALS_1D } from "../../../src/features/rows.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import { runFeatureIngest } from "../../../src/pipeline/features.ts";
import { runScan } from "../../../src/pipeline/scan.ts";
import { tradingViewScreener, tradingViewTickers } from "../../../src/pipeline/screener.ts";
import { querySymbols, type SymbolRow } from "../../../src/pipeline/symbols.ts";
import { closeStores, openStore } from "../../../src/store/open.ts";
import type { Store } from "../../../src/store/types.ts";
import { tempDir } from "../../helpers/cli.ts";
import { pgReady, pgSchema } from "../../helpers/pg.ts";
import type { TestServer } from "../../vendors/servers/http.ts";
import { startScanner, type Universe } from "../../vendors/servers/scanner.ts";

let server: TestServer & { universe: Universe };
const { dir, cleanup } = tempDir("dqctl-symbols-");
const scanner = join(dir, "tv.json");
const env = { ...process.env };
let pg = false;
let initial: [string, Record<string, unknown>][] = [];
const drops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = startScanner(["NYSE:IBM", "BINANCE:BTCUSDT"]);
  initial = structuredClone([...server.universe]);
  process.env.DQCTL_TRADINGVIEW_SCANNER_URL = server.url;
  process.env.DQCTL_HTTP_BACKOFF_MS = "1";
  writeFileSync(scanner, JSON.stringify({ name: "tv", source: "tradingview", market: "america", columns: ["close", "volume"], limit: 5 }));
  pg = await pgReady("symbol catalog on PostgreSQL");
});
afterAll(async () => {
  server.stop();
  process.env = env;
  await closeStores();
  for (const d of drops) await d();
  cleanup();
});
beforeEach(() => {
  // Every test starts from the same universe (they rename, reclassify and delist in it).
  server.universe.clear();
  for (const [k, v] of structuredClone(initial)) server.universe.set(k, v);
  server.fault = undefined;
  server.requests.length = 0;
  server.bodies.length = 0;
});

let n = 0;
function ctxAt(store: Store, now: string): RunContext {
  return {
    config: { vendors: { "tradingview-scanner": { rateLimitPerMinute: 0 } } },
    store,
    now: new Date(now),
    log: silentLogger,
    progress: silentProgress,
    waitLockMs: 0,
    runId: `r${++n}`,
  };
}
const scan = (store: Store, now: string) => {
  const ctx = ctxAt(store, now);
  return runScan(ctx, { configs: [scanner], exportDir: join(dir, "export"), screener: tradingViewScreener(ctx) });
};
const features = (store: Store, now: string, symbols: string[], columns?: string[]) => {
  const ctx = ctxAt(store, now);
  return runFeatureIngest(ctx, { symbols: symbols.map(parseSymbol), ...(columns ? { columns } : {}), screener: tradingViewTickers(ctx) });
};
const catalog = async (store: Store, asOf?: string, symbols?: string[]) =>
  (
    (await querySymbols(ctxAt(store, "2026-12-31T00:00:00Z"), { ...(asOf ? { asOfMs: Date.parse(asOf) } : {}), ...(symbols ? { symbols } : {}) })).extra as {
      symbolCatalog: SymbolRow[];
    }
  ).symbolCatalog;

const stores: [string, () => Promise<Store | undefined>][] = [
  ["lakehouse", async () => openStore(join(dir, `lh${++n}`))],
  [
    "postgres",
    async () => {
      if (!pg) return undefined;
      const s = pgSchema("symbols");
      drops.push(s.drop);
      const store = openStore(s.url);
      await store.init();
      return store;
    },
  ],
];

for (const [kind, open] of stores) {
  describe(`${kind}: symbol catalog from scan`, () => {
    test("first scan opens a version per symbol; the same scan again writes nothing; a rename closes one and opens one", async () => {
      const store = await open();
      if (!store) return;
      const first = await scan(store, "2026-11-02T15:00:00Z");
      expect(first.counts).toMatchObject({ candidates: 5, symbolVersionsOpened: 5, symbolVersionsClosed: 0 });
      // The candidates keep only the scanner's own columns; the metadata went to the catalog.
      expect(Object.keys(first.candidates[0]!.metadata!).sort()).toEqual(["close", "scanners", "volume"]);
      const body = server.bodies[0] as { columns: string[] };
      expect(body.columns).toEqual(expect.arrayContaining(["close", "volume", "name", "sector", "industry", "market_cap_basic"]));
      const file = kind === "lakehouse" ? join(store.location, "symbols.parquet") : undefined;
      const bytes = file ? readFileSync(file) : undefined;

      // Replay (market cap moved: not a tracked change).
      server.universe.get("NASDAQ:T001")!.market_cap_basic = 5e9;
      const again = await scan(store, "2026-11-03T15:00:00Z");
      expect(again.counts).toMatchObject({ symbolVersionsOpened: 0, symbolVersionsClosed: 0 });
      if (file && bytes) expect(readFileSync(file).equals(bytes)).toBe(true);

      server.universe.get("NASDAQ:T002")!.description = "T-Two Holdings";
      server.universe.get("NASDAQ:T003")!.sector = "Finance";
      const changed = await scan(store, "2026-11-04T15:00:00Z");
      expect(changed.counts).toMatchObject({ symbolVersionsOpened: 2, symbolVersionsClosed: 2 });

      const before = await catalog(store, "2026-11-03");
      expect(before.length).toBe(5);
      expect(before.find((r) => r.symbol === "NASDAQ:T002")!.description).toBe("T002 Corp");
      const after = await catalog(store, "2026-11-05", ["NASDAQ:T002", "NASDAQ:T003"]);
      expect(after.map((r) => [r.symbol, r.description, r.sector])).toEqual([
        ["NASDAQ:T002", "T-Two Holdings", "Technology Services"],
        ["NASDAQ:T003", "T003 Corp", "Finance"],
      ]);
      // Before the first scan the catalog knew nothing.
      expect(await catalog(store, "2026-11-01")).toEqual([]);
      const history = (await store.readSymbols()).filter((r) => r.symbol === "NASDAQ:T002");
      expect(history.map((r) => [r.validFrom, r.validTo, r.isCurrent])).toEqual([
        [Date.parse("2026-11-02T15:00:00Z"), Date.parse("2026-11-04T15:00:00Z"), false],
        [Date.parse("2026-11-04T15:00:00Z"), null, true],
      ]);
    });
  });

  describe(`${kind}: features ingest`, () => {
    test("writes one partition per session date, idempotent per (symbol, date); validates; delists the vanished", async () => {
      const store = await open();
      if (!store) return;
      const syms = ["NASDAQ:T000", "NYSE:IBM", "BINANCE:BTCUSDT"];
      // Friday 2026-11-20 21:30Z: New York's session of the 20th has closed; crypto's UTC day is the 20th too.
      const r1 = await features(store, "2026-11-20T21:30:00Z", syms);
      expect(r1.counts).toMatchObject({ symbols: 3, rows: 3, written: 3, unchanged: 0, absent: 0 });
      expect(r1.findings).toEqual([]);
      const rows = await store.readFeatures(TV_TECHNICALS_1D);
      expect(rows.map((r) => [r.symbol, r.date])).toEqual([
        ["BINANCE:BTCUSDT", "2026-11-20"],
        ["NASDAQ:T000", "2026-11-20"],
        ["NYSE:IBM", "2026-11-20"],
      ]);
      expect(rows[1]!.values.RSI).toBe(30);
      expect(Object.keys(rows[1]!.values).length).toBe(23);
      if (kind === "lakehouse") expect(readdirSync(join(store.location, "features", TV_TECHNICALS_1D))).toEqual(["date=2026-11-20"]);

      // Same values again: nothing written.
      const r2 = await features(store, "2026-11-20T22:00:00Z", syms);
      expect(r2.counts).toMatchObject({ written: 0, unchanged: 3 });

      // Saturday: equities' session is still the 20th (a re-fetch replaces its row); crypto gets the 21st.
      const t0 = server.universe.get("NASDAQ:T000")!;
      t0.RSI = 131.5;
      t0["Recommend.All"] = -1.5;
      delete t0.ADX;
      server.universe.delete("NYSE:IBM");
      const r3 = await features(store, "2026-11-21T12:00:00Z", syms);
      expect(r3.counts).toMatchObject({ rows: 2, written: 2, absent: 1, delisted: 1 });
      const codes = r3.findings.map((f) => `${f.code} ${f.symbol}`).sort();
      expect(codes).toEqual(["feature_missing NASDAQ:T000", "feature_missing NYSE:IBM", "feature_out_of_range NASDAQ:T000"]);
      const range = r3.findings.find((f) => f.code === "feature_out_of_range")!;
      expect(range.severity).toBe("error");
      expect((range.details as { evidence: { column: string }[] }).evidence.map((e) => e.column).sort()).toEqual(["RSI", "Recommend.All"]);
      const nov20 = await store.readFeatures(TV_TECHNICALS_1D, { from: "2026-11-20", to: "2026-11-20" });
      expect(nov20.length).toBe(3);
      expect(nov20.find((r) => r.symbol === "NASDAQ:T000")!.values.RSI).toBe(131.5);
      expect(nov20.find((r) => r.symbol === "NASDAQ:T000")!.values.ADX).toBeNull();
      expect((await store.readFeatures(TV_TECHNICALS_1D, { from: "2026-11-21" })).map((r) => r.symbol)).toEqual(["BINANCE:BTCUSDT"]);
      const ibm = (await store.readSymbols()).filter((r) => r.symbol === "NYSE:IBM");
      expect(ibm.map((r) => [r.status, r.isCurrent])).toEqual([
        ["listed", false],
        ["delisted", true],
      ]);

      // Tuesday: IBM's features stopped at the 20th, so they are stale against its calendar.
      const r4 = await features(store, "2026-11-24T22:00:00Z", syms);
      expect(r4.findings.filter((f) => f.code === "stale").map((f) => f.symbol)).toEqual(["NYSE:IBM"]);
    });

    test("429 with Retry-After and 503 are retried; a truncated body or an unknown column fails with nothing stored", async () => {
      const store = await open();
      if (!store) return;
      server.fault = { kind: "status", statuses: [429, 503], retryAfter: "0" };
      expect((await features(store, "2026-11-20T21:30:00Z", ["NASDAQ:T005"], ["RSI"])).counts.written).toBe(1);
      expect(server.requests.length).toBe(3);
      server.fault = { kind: "truncate", times: 5 };
      await expect(features(store, "2026-11-23T21:30:00Z", ["NASDAQ:T005"], ["RSI"])).rejects.toBeInstanceOf(VendorError);
      server.fault = undefined;
      await expect(features(store, "2026-11-23T21:30:00Z", ["NASDAQ:T005"], ["RSI", "NoSuchColumn"])).rejects.toThrow(/Unknown field/);
      expect((await store.readFeatures(TV_TECHNICALS_1D)).map((r) => r.date)).toEqual(["2026-11-20"]);
      if (kind === "lakehouse") expect(existsSync(join(store.location, "features", TV_TECHNICALS_1D, "date=2026-11-23"))).toBe(false);
    });
  });
}
