// The bootstrap cache's shared tier through the binary: a dataset stored by one run is served to a run with an empty
// local folder without asking a vendor (same bytes), retention is the entry's TTL, and max entries evicts the oldest.
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, DEMO, DEMO_NOW, dqctl, tempDir } from "../helpers/cli.ts";
import { sha256 } from "../helpers/lakehouse-check.ts";
import { redisAdmin, redisKeys, redisPrefix, redisReady } from "../helpers/redis.ts";

const ready = await redisReady("bootstrap shared cache");
const { dir, cleanup } = tempDir("dqctl-bootstrap-redis-");
const drops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of drops.splice(0)) await f();
});
afterAll(() => cleanup());

const bootstrap = (cacheDir: string, url: string, extra: string[] = [], source = DEMO) =>
  dqctl([
    "bootstrap",
    "--symbols",
    "FX:EURUSD,NASDAQ:AAPL",
    "--vendor",
    "file",
    "--source-path",
    source,
    "--cache-dir",
    join(dir, cacheDir),
    "--lakehouse",
    join(dir, "lh"),
    "--now",
    DEMO_NOW,
    "--cache",
    url,
    "--json",
    ...extra,
  ]);

describe.if(ready)("bootstrap with --cache redis://", () => {
  test("stored once, served to an empty folder from Redis: same dataset bytes, no vendor read", async () => {
    const p = redisPrefix("boot");
    drops.push(p.drop);
    // A copy of the demo source, removed after the first run: a second run that read a vendor would find nothing.
    const source = join(dir, "source");
    cpSync(DEMO, source, { recursive: true });
    const first = assertSummary((await bootstrap("a", p.url(), ["--lookback-days", "30", "--cache-retention-days", "7"], source)).json());
    rmSync(source, { recursive: true, force: true });
    expect(first.cache).toMatchObject({ hit: false, stored: true, hits: 0, misses: 1 });
    const keys = await redisKeys(p.prefix);
    expect(keys).toEqual([`${p.prefix}pricing:${first.cache.key}`, `${p.prefix}pricing:index`]);
    const ttl = await redisAdmin(async (c) => (await c.send(["PTTL", `${p.prefix}pricing:${first.cache.key}`])) as number);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(7 * 86_400_000);

    const r = await bootstrap("b", p.url(), ["--lookback-days", "30", "--cache-retention-days", "7"], source);
    const second = assertSummary(r.json());
    expect(second.cache).toMatchObject({ hit: true, key: first.cache.key, hits: 1, misses: 0 });
    expect(second.counts.cacheHit).toBe(1);
    expect(r.stderr).toContain("shared cache hit");
    expect(second.dataset.sha256).toBe(first.dataset.sha256);
    expect(sha256(readFileSync(second.dataset.path))).toBe(first.dataset.sha256);
    expect(second.dataset.path.startsWith(join(dir, "b"))).toBe(true);
    expect(second.findings).toEqual(first.findings);
  }, 60_000);

  test("max entries: storing a second dataset with --cache-max-entries 1 evicts the first from Redis", async () => {
    const p = redisPrefix("boot-max");
    drops.push(p.drop);
    const a = assertSummary((await bootstrap("m1", p.url(), ["--lookback-days", "30"])).json());
    const b = assertSummary((await bootstrap("m2", p.url(), ["--lookback-days", "20", "--cache-max-entries", "1"])).json());
    expect(b.cache.key).not.toBe(a.cache.key);
    expect(b.cache.evictions).toBe(1);
    expect(await redisKeys(p.prefix)).toEqual([`${p.prefix}pricing:${b.cache.key}`, `${p.prefix}pricing:index`]);
  }, 60_000);
});
