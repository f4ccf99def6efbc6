// The read-through cache across threads and processes, through the CLI: worker threads (--jobs 2) read through the
// same Redis cache as the main thread and their counts are summed into the summary and the metric history; the
// catalog is served from the cache only while no process has committed since (a commit by another process is
// seen at once, on the lakehouse and on PostgreSQL); a dead cache under --jobs 2 is one warning and the same answers.
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { assertSummary, DEMO, DEMO_NOW, dqctl, ROOT, tempDir } from "../helpers/cli.ts";
import { pgReady, pgSchema } from "../helpers/pg.ts";
import { REDIS_HOST, REDIS_PORT, redisPrefix, redisReady } from "../helpers/redis.ts";
import { startProxy } from "../helpers/tcp-proxy.ts";

const redis = await redisReady("read-through cache e2e");
const pg = redis && (await pgReady("read-through cache e2e (PostgreSQL)"));
const { dir, cleanup } = tempDir("dqctl-cache-rt-");
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});
afterAll(() => cleanup());

const TWO = "BINANCE:BTCUSDT,NASDAQ:AAPL";
const ALL = ["--candidates", join(ROOT, "fixtures/demo-candidates.json")];
const ingest = (store: string, extra: string[] = []) => dqctl(["ingest", "--source", DEMO, "--store", store, "--now", DEMO_NOW, "--json", "--quiet", ...extra]);
const audit = (store: string, extra: string[] = []) => dqctl(["audit", "--read-only", "--full", "--store", store, "--now", DEMO_NOW, "--json", ...extra]);
const symbolsOf = (doc: any) => (doc.symbols as { symbol: string; interval: string }[]).map((s) => `${s.symbol} ${s.interval}`).sort();

describe.if(redis)("worker threads read through the cache", () => {
  test("--jobs 2: the workers' hits and misses are the run's, the same as --jobs 1, in the summary and the metric history", async () => {
    const p = redisPrefix("jobs");
    cleanups.push(p.drop);
    const lh = join(dir, "lh-jobs");
    expect((await ingest(lh, ALL)).code).toBe(0);
    const plain = assertSummary((await audit(lh, ["--jobs", "1"])).json());
    expect(plain.symbols.length).toBeGreaterThanOrEqual(16); // enough for two workers (8 series each at least)
    // Cold, on one thread and on two (another prefix): the same counts, the series' reads done by the workers counted.
    const q = redisPrefix("jobs-one");
    cleanups.push(q.drop);
    const coldOne = assertSummary((await audit(lh, ["--jobs", "1", "--cache", q.url()])).json());
    const cold = assertSummary((await audit(lh, ["--jobs", "2", "--cache", p.url()])).json());
    expect(coldOne.cache.misses).toBeGreaterThanOrEqual(17); // every readable series and the catalog
    for (const k of ["hits", "misses", "writes", "evictions", "errors"]) expect(cold.cache[k]).toBe(coldOne.cache[k]);
    expect(cold.cache.hits).toBe(0);
    // Warm, on two workers: everything written is a hit (the unreadable series are never cached).
    const warm = assertSummary((await audit(lh, ["--jobs", "2", "--cache", p.url()])).json());
    expect(warm.cache).toMatchObject({ hits: cold.cache.writes, misses: cold.cache.misses - cold.cache.writes, errors: 0 });
    for (const doc of [coldOne, cold, warm]) {
      expect(doc.symbols).toEqual(plain.symbols);
      expect(doc.findings).toEqual(plain.findings);
    }
    // An ingest on two workers reads the stored series through the cache too; its counts land in the metric history.
    const forcedOne = assertSummary((await ingest(lh, [...ALL, "--jobs", "1", "--force", "--cache", p.url()])).json());
    const forced = assertSummary((await ingest(lh, [...ALL, "--jobs", "2", "--force", "--cache", p.url()])).json());
    for (const k of ["hits", "misses", "writes", "evictions"]) expect(forced.cache[k]).toBe(forcedOne.cache[k]);
    expect(forced.cache.hits).toBeGreaterThan(0);
    const m = (await dqctl(["metrics", "--lakehouse", lh, "--metric", "cacheHits", "--json"])).json();
    expect(m.metrics.at(-1)).toMatchObject({ vendor: "cache", metric: "cacheHits", value: forced.cache.hits });
  }, 120_000);

  test("--jobs 2 with the cache dead: one warning, the same answers and exit code", async () => {
    const p = redisPrefix("jobs-dead");
    cleanups.push(p.drop);
    const lh = join(dir, "lh-jobs-dead");
    expect((await ingest(lh, ALL)).code).toBe(0);
    const before = await audit(lh, ["--jobs", "2"]);
    const plain = assertSummary(before.json());
    const px = await startProxy(REDIS_HOST, REDIS_PORT);
    await px.kill();
    const r = await audit(lh, ["--jobs", "2", "--cache", p.url(px.port)]);
    expect(r.code).toBe(before.code);
    const doc = assertSummary(r.json());
    expect(doc.symbols).toEqual(plain.symbols);
    expect(doc.findings).toEqual(plain.findings);
    expect(doc.cache.down).toContain("cannot connect");
    expect(doc.cache.hits).toBe(0);
    expect(r.stderr.split("\n").filter((l) => l.includes("WARN") && l.includes("cache"))).toHaveLength(1);
  }, 120_000);
});

/** Process A audits through the cache (the catalog cached), process B commits new bars, A again: B's bars, at once. */
async function commitElsewhere(store: string, tag: string) {
  const p = redisPrefix(tag);
  cleanups.push(p.drop);
  expect((await ingest(store, ["--symbols", TWO])).code).toBe(0);
  const a1 = assertSummary((await audit(store, ["--jobs", "1", "--cache", p.url()])).json());
  const a2 = assertSummary((await audit(store, ["--jobs", "1", "--cache", p.url()])).json());
  expect(symbolsOf(a2)).toEqual(symbolsOf(a1));
  expect(a2.cache).toMatchObject({ hits: a1.cache.misses, misses: 0 });
  // Another process, without the cache, commits a series the cached catalog does not list.
  expect((await ingest(store, ["--symbols", "BINANCE:ETHUSDT"])).code).toBe(0);
  const a3 = assertSummary((await audit(store, ["--jobs", "1", "--cache", p.url()])).json());
  expect(symbolsOf(a3)).toEqual([...symbolsOf(a1), "BINANCE:ETHUSDT 1d"].sort());
  // The catalog and the new series were misses (the old catalog replaced: an eviction); the unchanged series hits.
  expect(a3.cache).toMatchObject({ misses: 2, evictions: 1, hits: a1.cache.misses - 1 });
  expect(a3.findings).toEqual(assertSummary((await audit(store, ["--jobs", "1"])).json()).findings);
}

describe.if(redis)("the catalog through the cache is never stale", () => {
  test("lakehouse: a commit by another process is seen by the next cached run", async () => {
    await commitElsewhere(join(dir, "lh-catalog"), "cat-lh");
  }, 120_000);

  test.if(pg)(
    "PostgreSQL: a commit by another process is seen by the next cached run",
    async () => {
      const s = pgSchema("cache_catalog");
      cleanups.push(s.drop);
      expect((await dqctl(["store", "init", "--store", s.url, "--quiet"])).code).toBe(0);
      await commitElsewhere(s.url, "cat-pg");
    },
    120_000,
  );
});
