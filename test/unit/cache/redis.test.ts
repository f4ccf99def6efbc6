// The Redis cache against the real server (DQCTL_TEST_REDIS_URL): values round-trip under the URL's prefix with
// their TTL, and every fault — refused, killed mid-run, hung, wrong database, wrong password — is one warning and
// misses from then on, never a throw; the password is in no message.
import { afterEach, describe, expect, test } from "bun:test";
import { createServer } from "node:net";
import { RedisCache } from "../../../src/cache/redis.ts";
import { parseRedisUrl } from "../../../src/cache/url.ts";
import type { Logger } from "../../../src/context.ts";
import { REDIS_HOST, REDIS_PORT, redisAdmin, redisKeys, redisPrefix, redisReady } from "../../helpers/redis.ts";
import { startProxy, type TcpProxy } from "../../helpers/tcp-proxy.ts";

const ready = await redisReady("Redis cache");
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function logger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, debug() {}, warn: (m) => warnings.push(m) };
}

function cacheAt(url: string, log = logger()) {
  const cache = new RedisCache(parseRedisUrl(url), log, url);
  cleanup.push(() => cache.close());
  return { cache, log };
}

function prefix(tag: string) {
  const p = redisPrefix(tag);
  cleanup.push(p.drop);
  return p;
}

async function proxy(): Promise<TcpProxy> {
  const p = await startProxy(REDIS_HOST, REDIS_PORT);
  cleanup.push(() => p.kill());
  return p;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

describe.if(ready)("Redis cache on the real server", () => {
  test("set, get and delete round-trip binary values under the URL's prefix, with the TTL as PX", async () => {
    const p = prefix("roundtrip");
    const { cache, log } = cacheAt(p.url());
    const value = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
    await cache.set("big", value, 60_000);
    await cache.set("small", bytes("v"));
    expect(await cache.get("big")).toEqual(value);
    expect(text(await cache.get("small"))).toBe("v");
    expect(await cache.get("absent")).toBeUndefined();
    expect(await redisKeys(p.prefix)).toEqual([`${p.prefix}big`, `${p.prefix}small`]);
    const ttl = await redisAdmin(async (c) => (await c.send(["PTTL", `${p.prefix}big`])) as number);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await cache.delete(["big", "absent"])).toBe(1);
    expect(await redisKeys(p.prefix)).toEqual([`${p.prefix}small`]);
    expect(cache.stats.writes).toBe(2);
    expect(cache.down).toBeUndefined();
    expect(log.warnings).toEqual([]);
  });

  test("probe: PING and a write–read–delete round trip, leaving no key", async () => {
    const p = prefix("probe");
    const { cache } = cacheAt(p.url());
    const r = await cache.probe();
    expect(r.server).toMatch(/^redis \d/);
    expect(await redisKeys(p.prefix)).toEqual([]);
  });

  test("server killed mid-run: one warning, then misses; nothing throws", async () => {
    const p = prefix("killed");
    const px = await proxy();
    const { cache, log } = cacheAt(p.url(px.port));
    await cache.set("a", bytes("1"));
    expect(text(await cache.get("a"))).toBe("1");
    await px.kill();
    expect(await cache.get("a")).toBeUndefined();
    await cache.set("b", bytes("2"));
    expect(await cache.get("b")).toBeUndefined();
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toContain("reading straight from the store");
    expect(cache.down).toBeDefined();
    expect(cache.stats.errors).toBe(1);
  });

  test("hung server: the operation times out (timeout=), one warning, then misses", async () => {
    const p = prefix("hung");
    const px = await proxy();
    const { cache, log } = cacheAt(p.url(px.port, "&timeout=300ms"));
    await cache.set("a", bytes("1"));
    px.pause();
    expect(await cache.get("a")).toBeUndefined();
    expect(cache.down).toContain("no reply within 300 ms");
    px.resume();
    expect(await cache.get("a")).toBeUndefined(); // down for the rest of the run: no second try, no second warning
    expect(log.warnings).toHaveLength(1);
  });

  test("nothing listening: a miss and one warning naming host:port", async () => {
    const port = await closedPort();
    const { cache, log } = cacheAt(`redis://127.0.0.1:${port}/0`);
    expect(await cache.get("a")).toBeUndefined();
    expect(cache.down).toContain(`cannot connect to 127.0.0.1:${port}`);
    expect(log.warnings).toHaveLength(1);
    await expect(cache.probe()).rejects.toThrow();
  });

  test("wrong database: SELECT refused is one warning naming the database", async () => {
    const { cache, log } = cacheAt(`redis://${REDIS_HOST}:${REDIS_PORT}/9999`);
    expect(await cache.get("a")).toBeUndefined();
    expect(cache.down).toContain("database 9999 refused");
    expect(log.warnings).toHaveLength(1);
  });

  test("wrong password: authentication fails, the password is in no message", async () => {
    const secret = "hunter2-very-secret";
    const { cache, log } = cacheAt(`redis://dqctl:${secret}@${REDIS_HOST}:${REDIS_PORT}/0`);
    expect(await cache.get("a")).toBeUndefined();
    expect(cache.down).toContain("authentication failed");
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).not.toContain(secret);
    expect(cache.location).not.toContain(secret);
    const probe = await cache.probe().catch((e: Error) => e.message);
    expect(String(probe)).not.toContain(secret);
  });
});

describe("cache URL", () => {
  test("defaults, prefix and timeout; the location has no password", () => {
    const t = parseRedisUrl("redis://u:p%40ss@cache.local:6380/3?prefix=team:&timeout=2s");
    expect(t).toMatchObject({ host: "cache.local", port: 6380, db: 3, user: "u", password: "p@ss", prefix: "team:", timeoutMs: 2000 });
    expect(t.location).toBe("redis://u@cache.local:6380/3?prefix=team:&timeout=2s");
    expect(parseRedisUrl("redis://127.0.0.1")).toMatchObject({ port: 6379, db: 0, prefix: "dqctl:", timeoutMs: 1000 });
  });

  test("malformed URLs are refused naming the flag, without the password", () => {
    for (const [url, why] of [
      ["redis://:s3cret-pw@h:6379/x", 'database "x"'],
      ["rediss://h:6379", "TLS"],
      ["redis://h/0?db=2", "unknown parameter db"],
      ["redis://h/0?timeout=soon", "timeout="],
    ] as const) {
      let msg = "";
      try {
        parseRedisUrl(url);
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).toContain(why);
      expect(msg).not.toContain("s3cret-pw");
    }
  });
});
