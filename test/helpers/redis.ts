// The real Redis server the cache tests run against: DQCTL_TEST_REDIS_URL, default 127.0.0.1:6379. Each test uses
// its own key prefix (removed after). No server: the suite prints one line and is skipped, except under CI=true.
import { RedisConnection } from "../../src/cache/connection.ts";
import { parseRedisUrl } from "../../src/cache/url.ts";

export const REDIS_URL = process.env.DQCTL_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0";
const target = parseRedisUrl(REDIS_URL);
export const REDIS_HOST = target.host;
export const REDIS_PORT = target.port;

async function unavailable(): Promise<string | undefined> {
  try {
    const c = await RedisConnection.connect(target.host, target.port, 2000);
    const r = await c.send(["PING"]);
    await c.close();
    return r === "PONG" ? undefined : `PING answered ${String(r)}`;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Whether the Redis suites run; prints the one skip line (or throws under CI=true). */
export async function redisReady(suite: string): Promise<boolean> {
  const why = await unavailable();
  if (!why) return true;
  const line = `${suite}: skipped, no Redis server at ${target.location} (${why})`;
  if (process.env.CI === "true") throw new Error(`${line}; under CI=true the server must be running`);
  console.log(line);
  return false;
}

let n = 0;
/** A fresh key prefix, the cache URL that uses it (optionally through another port), and `drop()` removing its keys. */
export function redisPrefix(tag: string): { prefix: string; url: (port?: number, extra?: string) => string; drop: () => Promise<void> } {
  const prefix = `dqt:${tag}:${process.pid}:${n++}:`;
  return {
    prefix,
    url: (port = target.port, extra = "") => `redis://${target.host}:${port}/${target.db}?prefix=${prefix}${extra}`,
    drop: () => redisAdmin(async (c) => void (await deleteMatching(c, `${prefix}*`))),
  };
}

/** The keys under `prefix` (assertions). */
export async function redisKeys(prefix: string): Promise<string[]> {
  return redisAdmin(async (c) => {
    const r = (await c.send(["KEYS", `${prefix}*`])) as Uint8Array[];
    return r.map((k) => new TextDecoder().decode(k)).sort();
  });
}

async function deleteMatching(c: RedisConnection, pattern: string): Promise<number> {
  const keys = (await c.send(["KEYS", pattern])) as Uint8Array[];
  return keys.length ? ((await c.send(["DEL", ...keys])) as number) : 0;
}

/** Run `fn` with a short-lived connection to the test server's database. */
export async function redisAdmin<T>(fn: (c: RedisConnection) => Promise<T>): Promise<T> {
  const c = await RedisConnection.connect(target.host, target.port, 2000);
  try {
    if (target.db) await c.send(["SELECT", String(target.db)]);
    return await fn(c);
  } finally {
    await c.close();
  }
}
