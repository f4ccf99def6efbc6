import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CacheKeyInputs, cacheKey, entryStem, lookup, prune, type StoreInput, store, toCsv } from "../../../src/bootstrap/cache.ts";
import { silentLogger } from "../../../src/context.ts";
import { readArrowTable, type StitchedTable } from "../../../src/lakehouse/parquet.ts";
import { tempDir } from "../../helpers/cli.ts";

const DAY = 86_400_000;
const T0 = Date.parse("2024-06-10T12:00:00Z");

const inputs = (over: Partial<CacheKeyInputs> = {}): CacheKeyInputs => ({
  vendors: ["yahoo", "fred"],
  symbols: ["FX:EURUSD", "FX:GBPUSD"],
  interval: "1d",
  start: "2024-01-01T00:00:00.000Z",
  end: "2024-06-09T00:00:00.000Z",
  format: "parquet",
  ...over,
});

const table = (): StitchedTable => ({
  timestamp: Float64Array.from([Date.parse("2024-01-01"), Date.parse("2024-01-02")]),
  symbol: ["FX:EURUSD", "FX:EURUSD"],
  open: Float64Array.from([1.1, Number.NaN]),
  high: Float64Array.from([1.2, 1.2]),
  low: Float64Array.from([1.0, 1.0]),
  close: Float64Array.from([1.15, 1.16]),
  volume: Float64Array.from([0, 0]),
  primarySource: ["yahoo", "fred"],
  sources: ["yahoo,fred", "fred"],
});

const entry = (i: CacheKeyInputs, createdMs: number): StoreInput => ({
  key: cacheKey(i),
  inputs: i,
  table: table(),
  issues: [],
  reports: [],
  vendorsUsed: ["yahoo"],
  createdMs,
});

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
function dir(): string {
  const t = tempDir("dqctl-cache-");
  cleanup = t.cleanup;
  return t.dir;
}

describe("content key", () => {
  test("same request in another symbol order is the same key; vendor priority, window or format change it", () => {
    const k = cacheKey(inputs());
    expect(cacheKey(inputs({ symbols: ["FX:GBPUSD", "FX:EURUSD"] }))).toBe(k);
    expect(cacheKey(inputs({ vendors: ["fred", "yahoo"] }))).not.toBe(k);
    expect(cacheKey(inputs({ end: "2024-06-10T00:00:00.000Z" }))).not.toBe(k);
    expect(cacheKey(inputs({ format: "csv" }))).not.toBe(k);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("store and lookup", () => {
  test("Parquet with primary_source and sources, plus _metadata.json and _issues.json", async () => {
    const d = dir();
    const e = await store(d, entry(inputs(), T0), silentLogger);
    const stem = entryStem(cacheKey(inputs()));
    expect(readdirSync(d).sort()).toEqual([`${stem}.parquet`, `${stem}_issues.json`, `${stem}_metadata.json`]);
    const meta = JSON.parse(readFileSync(join(d, `${stem}_metadata.json`), "utf8"));
    expect(meta).toMatchObject({
      key: cacheKey(inputs()),
      rows: 2,
      symbols: ["FX:EURUSD"],
      file: `${stem}.parquet`,
      created: new Date(T0).toISOString(),
      window: { start: "2024-01-01T00:00:00.000Z", end: "2024-06-09T00:00:00.000Z" },
    });
    expect(meta.sha256).toBe(e.metadata.sha256);
    const t = await readArrowTable(readFileSync(e.datasetPath), e.datasetPath);
    expect(t.schema.fields.map((f) => f.name)).toEqual(["timestamp", "symbol", "open", "high", "low", "close", "volume", "primary_source", "sources"]);
    expect(t.getChild("sources")!.toArray()).toEqual(["yahoo,fred", "fred"]);
    expect(t.getChild("open")!.get(1)).toBeNull(); // NaN is stored as null
    expect(lookup(d, cacheKey(inputs()), T0, undefined, silentLogger)?.metadata.rows).toBe(2);
  });

  test("a tampered dataset, an expired entry or a missing one is a miss", async () => {
    const d = dir();
    const k = cacheKey(inputs());
    const e = await store(d, entry(inputs(), T0), silentLogger);
    expect(lookup(d, k, T0 + 8 * DAY, 7, silentLogger)).toBeUndefined();
    expect(lookup(d, k, T0 + 6 * DAY, 7, silentLogger)).toBeDefined();
    writeFileSync(e.datasetPath, "PAR1 torn PAR1");
    expect(lookup(d, k, T0, undefined, silentLogger)).toBeUndefined();
    expect(lookup(d, cacheKey(inputs({ interval: "1h" })), T0, undefined, silentLogger)).toBeUndefined();
  });

  test("storing the same key twice replaces the entry atomically (no crash, no temp files left)", async () => {
    const d = dir();
    await store(d, entry(inputs(), T0), silentLogger);
    await store(d, entry(inputs(), T0 + DAY), silentLogger);
    expect(readdirSync(d).length).toBe(3);
    expect(lookup(d, cacheKey(inputs()), T0 + DAY, undefined, silentLogger)!.metadata.created).toBe(new Date(T0 + DAY).toISOString());
  });

  test("--format csv writes CSV with quoted sources and empty cells for missing values", async () => {
    const d = dir();
    const e = await store(d, entry(inputs({ format: "csv" }), T0), silentLogger);
    expect(e.datasetPath.endsWith(".csv")).toBe(true);
    expect(readFileSync(e.datasetPath, "utf8")).toBe(toCsv(table()));
    expect(toCsv(table()).split("\n").slice(0, 3)).toEqual([
      "timestamp,symbol,open,high,low,close,volume,primary_source,sources",
      '2024-01-01T00:00:00.000Z,FX:EURUSD,1.1,1.2,1,1.15,0,yahoo,"yahoo,fred"',
      "2024-01-02T00:00:00.000Z,FX:EURUSD,,1.2,1,1.16,0,fred,fred",
    ]);
  });
});

describe("pruning", () => {
  const day = (n: number) => inputs({ end: new Date(Date.parse("2024-06-01") + n * DAY).toISOString() });

  test("max entries keeps the newest", async () => {
    const d = dir();
    for (const n of [1, 2, 3]) await store(d, entry(day(n), T0 + n * DAY), silentLogger);
    const pruned = prune(d, { maxEntries: 2, keep: cacheKey(day(3)), nowMs: T0 + 3 * DAY }, silentLogger);
    expect(pruned).toEqual([entryStem(cacheKey(day(1)))]);
    expect(existsSync(join(d, `${entryStem(cacheKey(day(1)))}.parquet`))).toBe(false);
    expect(lookup(d, cacheKey(day(2)), T0 + 3 * DAY, undefined, silentLogger)).toBeDefined();
  });

  test("never the entry just written, even when it is the oldest by creation time", async () => {
    const d = dir();
    for (const n of [2, 3]) await store(d, entry(day(n), T0 + n * DAY), silentLogger);
    await store(d, entry(day(0), T0), silentLogger); // written by a run pinned to an earlier --now
    const pruned = prune(d, { maxEntries: 1, retentionDays: 0, keep: cacheKey(day(0)), nowMs: T0 }, silentLogger);
    expect(pruned.sort()).toEqual([entryStem(cacheKey(day(2))), entryStem(cacheKey(day(3)))].sort());
    expect(readdirSync(d).filter((f) => f.endsWith("_metadata.json"))).toEqual([`${entryStem(cacheKey(day(0)))}_metadata.json`]);
  });

  test("retention days drops entries older than the window, keeps younger ones", async () => {
    const d = dir();
    await store(d, entry(day(1), T0), silentLogger);
    await store(d, entry(day(2), T0 + 5 * DAY), silentLogger);
    await store(d, entry(day(3), T0 + 10 * DAY), silentLogger);
    const pruned = prune(d, { retentionDays: 7, keep: cacheKey(day(3)), nowMs: T0 + 10 * DAY }, silentLogger);
    expect(pruned).toEqual([entryStem(cacheKey(day(1)))]);
  });

  test("no limits, no pruning; a missing folder is fine", () => {
    expect(prune(join(dir(), "absent"), { maxEntries: 1, nowMs: T0 }, silentLogger)).toEqual([]);
  });
});
