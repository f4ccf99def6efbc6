// The read-through cache in front of a store: a repeated read is served from Redis only at the version the store has
// now; new bars (a commit) or a file changed behind dqctl's back are never answered from the cache; a cache that
// dies mid-run leaves every read correct. Real lakehouse files, real Redis.
import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { RedisCache } from "../../../src/cache/redis.ts";
import { parseRedisUrl } from "../../../src/cache/url.ts";
import type { CatalogEntry } from "../../../src/lakehouse/catalog.ts";
import { initParquet } from "../../../src/lakehouse/parquet.ts";
import { Lakehouse, seriesRange } from "../../../src/lakehouse/store.ts";
import { type Bars, barCount } from "../../../src/model/bars.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import { withCache } from "../../../src/store/cached.ts";
import type { GoldenRead, Store, WriterRequest } from "../../../src/store/types.ts";
import { tempDir } from "../../helpers/cli.ts";
import { cryptoSeries } from "../../helpers/gbm-series.ts";
import { REDIS_HOST, REDIS_PORT, redisPrefix, redisReady } from "../../helpers/redis.ts";
import { startProxy } from "../../helpers/tcp-proxy.ts";

const ready = await redisReady("cached store");
const req: WriterRequest = { command: "test", waitMs: 0, recovery: { profileOf: () => "crypto", now: new Date(), log() {} } };
const sym = parseSymbol("BINANCE:BTCUSDT");
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup(tag: string, port = REDIS_PORT) {
  await initParquet();
  const work = tempDir("dqctl-cached-");
  cleanup.push(work.cleanup);
  const p = redisPrefix(tag);
  cleanup.push(p.drop);
  const warnings: string[] = [];
  const cache = new RedisCache(parseRedisUrl(p.url(port)), { info() {}, debug() {}, warn: (m) => warnings.push(m) }, p.url(port));
  cleanup.push(() => cache.close());
  const lh = new Lakehouse(work.dir);
  return { lh, cache, store: withCache(lh, cache), warnings };
}

async function commit(lh: Lakehouse, bars: Bars): Promise<CatalogEntry> {
  const w = await lh.openWriter(req);
  try {
    const { sha256 } = w.stageSeries(sym, "1d", bars);
    const e = { symbol: sym.id, interval: "1d", profile: "crypto", path: lh.fileName(sym, "1d"), rows: barCount(bars), ...seriesRange(bars) };
    w.catalog.set({ ...e, genesis: null, sha256, source: "test", ingestedAt: new Date().toISOString(), qualityScore: null });
    w.touchCatalog(sym.id, "1d");
    await w.commit();
  } finally {
    await w.release();
  }
  return (await lh.loadCatalog()).get(sym.id, "1d")!;
}

async function readOk(store: Store, entry: CatalogEntry): Promise<Bars> {
  const r: GoldenRead = await store.read(sym, "1d", entry);
  if (r.kind !== "ok") throw new Error(`read ${r.kind}`);
  return r.stored.bars;
}

describe.if(ready)("read-through cache over the lakehouse", () => {
  test("the second read of an unchanged series is a hit with the same bars", async () => {
    const { lh, cache, store } = await setup("hit");
    const bars = cryptoSeries(200, 0.02, 7);
    const entry = await commit(lh, bars);
    const first = await readOk(store, entry);
    expect(cache.stats).toMatchObject({ hits: 0, misses: 1, writes: 1 });
    const second = await readOk(store, entry);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1 });
    expect(second).toEqual(first);
    const direct = await lh.read(sym, "1d", entry);
    if (direct.kind !== "ok") throw new Error(`direct read ${direct.kind}`);
    expect(second).toEqual(direct.stored.bars);
  });

  test("new bars land: the old version is evicted and the new bars are read, never the cached ones", async () => {
    const { lh, cache, store } = await setup("newbars");
    const e1 = await commit(lh, cryptoSeries(100, 0.02, 3));
    await readOk(store, e1);
    const longer = cryptoSeries(120, 0.02, 3);
    const e2 = await commit(lh, longer);
    expect(e2.sha256).not.toBe(e1.sha256);
    expect(barCount(await readOk(store, e2))).toBe(120);
    expect(cache.stats).toMatchObject({ hits: 0, misses: 2, evictions: 1 });
    expect(barCount(await readOk(store, e2))).toBe(120);
    expect(cache.stats.hits).toBe(1);
  });

  test("a reader holding the old catalog entry after new bars landed is not served the old bars as ok", async () => {
    const { lh, store } = await setup("oldentry");
    const e1 = await commit(lh, cryptoSeries(100, 0.02, 4));
    await readOk(store, e1);
    await commit(lh, cryptoSeries(130, 0.02, 4));
    // The file is now another version than e1 says: the store's verdict (corrupt), not the cached bars.
    expect((await store.read(sym, "1d", e1)).kind).toBe("corrupt");
  });

  test("a file changed behind dqctl's back reads as the store says (corrupt), even with the old bars cached", async () => {
    const { lh, store } = await setup("tamper");
    const entry = await commit(lh, cryptoSeries(50, 0.02, 5));
    await readOk(store, entry);
    writeFileSync(lh.pathFor(sym, "1d"), "not parquet");
    expect((await store.read(sym, "1d", entry)).kind).not.toBe("ok");
  });

  test("readUnlessKnown with a version the caller knows is the store's answer (unchanged), not a cache read", async () => {
    const { lh, cache, store } = await setup("known");
    const entry = await commit(lh, cryptoSeries(30, 0.02, 6));
    const r = await store.readUnlessKnown(sym, "1d", entry, (v) => v === entry.sha256);
    expect(r.kind).toBe("unchanged");
    expect(cache.stats).toMatchObject({ hits: 0, misses: 0, writes: 0 });
  });

  test("the cache killed mid-run: one warning, reads stay correct", async () => {
    const px = await startProxy(REDIS_HOST, REDIS_PORT);
    cleanup.push(() => px.kill());
    const { lh, cache, store, warnings } = await setup("killed", px.port);
    const e1 = await commit(lh, cryptoSeries(80, 0.02, 8));
    await readOk(store, e1);
    await readOk(store, e1);
    expect(cache.stats.hits).toBe(1);
    await px.kill();
    const e2 = await commit(lh, cryptoSeries(90, 0.02, 8));
    expect(barCount(await readOk(store, e2))).toBe(90);
    expect(barCount(await readOk(store, e2))).toBe(90);
    expect(warnings).toHaveLength(1);
    expect(cache.down).toBeDefined();
  });
});

describe.if(ready)("the catalog through the cache", () => {
  test("served from the cache only at the store's catalog stamp: a commit through another store object is seen at once", async () => {
    const { lh, cache, store } = await setup("catalog");
    const e1 = await commit(lh, cryptoSeries(40, 0.02, 9));
    expect((await store.loadCatalog()).get(sym.id, "1d")).toEqual(e1);
    expect((await store.loadCatalog()).all()).toEqual((await lh.loadCatalog()).all());
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1, writes: 1 });
    // Another writer (another Lakehouse object, as another process would be) commits new bars.
    const e2 = await commit(new Lakehouse(lh.root), cryptoSeries(45, 0.02, 9));
    expect((await store.loadCatalog()).get(sym.id, "1d")).toEqual(e2);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 2, evictions: 1 });
  });

  test("the cache killed: the catalog is read straight from the store, one warning", async () => {
    const px = await startProxy(REDIS_HOST, REDIS_PORT);
    cleanup.push(() => px.kill());
    const { lh, store, warnings } = await setup("catalog-killed", px.port);
    await commit(lh, cryptoSeries(20, 0.02, 10));
    await store.loadCatalog();
    await px.kill();
    const e2 = await commit(lh, cryptoSeries(25, 0.02, 10));
    expect((await store.loadCatalog()).get(sym.id, "1d")).toEqual(e2);
    expect(warnings).toHaveLength(1);
  });
});
