// The operational backbone through the compiled binary: `dqctl doctor` against real servers and a local HTTP
// vendor, a closed port as the first thing to fix, and the Redis cache serving repeated reads — with secrets
// (a Redis password, a vendor key) never printed, and a dead cache costing one warning, never the run.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { join } from "node:path";
import { assertSummary, DEMO, DEMO_NOW, dqctl, tempDir } from "../helpers/cli.ts";
import { pgReady, pgSchema } from "../helpers/pg.ts";
import { REDIS_HOST, REDIS_PORT, redisKeys, redisPrefix, redisReady } from "../helpers/redis.ts";
import { startProxy } from "../helpers/tcp-proxy.ts";

const redis = await redisReady("doctor and cache e2e");
const pg = await pgReady("doctor e2e (PostgreSQL)");
const NATS_URL = process.env.DQCTL_TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const { dir, cleanup } = tempDir("dqctl-ops-");
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});
afterAll(() => cleanup());

let vendor: Server;
let vendorPort = 0;
const seen: string[] = [];
beforeAll(async () => {
  vendor = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(404, { "content-type": "application/json" }).end('{"error":"no route"}');
  });
  await new Promise<void>((r) => vendor.listen(0, "127.0.0.1", r));
  vendorPort = (vendor.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => vendor.close(() => r())));

async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function config(name: string, body: object): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

const row = (doc: any, check: string) => doc.doctor.checks.filter((c: any) => c.check === check);

describe("dqctl doctor", () => {
  test("a local HTTP server as a vendor's base URL: ok, one request to /, the API key in no output", async () => {
    const key = "AVKEY-doctor-e2e-7f3a91";
    const lh = join(dir, "lh-ok");
    mkdirSync(lh, { recursive: true });
    const cfg = config("vendor-ok", { vendors: { alphavantage: { baseUrl: `http://127.0.0.1:${vendorPort}`, apiKey: key } } });
    seen.length = 0;
    const r = await dqctl(["doctor", "--config", cfg, "--lakehouse", lh, "--json"]);
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    expect(row(doc, "vendor")).toEqual([expect.objectContaining({ status: "ok", target: `alphavantage http://127.0.0.1:${vendorPort}` })]);
    expect(row(doc, "vendor")[0].detail).toContain("HTTP 404");
    expect(row(doc, "store")[0].status).toBe("ok");
    expect(seen).toEqual(["GET /"]);
    expect(r.stdout + r.stderr).not.toContain(key);
    const table = await dqctl(["doctor", "--config", cfg, "--lakehouse", lh]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/vendor\s+│ alphavantage http:\/\/127\.0\.0\.1:\d+\s+│ ok/);
    expect(table.stdout + table.stderr).not.toContain(key);
  });

  test("a vendor on a closed port: exit 3, the one error line names the vendor and what to fix", async () => {
    const port = await closedPort();
    const lh = join(dir, "lh-closed");
    mkdirSync(lh, { recursive: true });
    const r = await dqctl(["doctor", "--lakehouse", lh, "--timeout", "1s", "--json"], { env: { DQCTL_BINANCE_BASE_URL: `http://127.0.0.1:${port}` } });
    expect(r.code).toBe(3);
    const doc = assertSummary(r.json());
    expect(doc.status).toBe("error");
    expect(doc.errors).toHaveLength(1);
    expect(doc.errors[0].message).toContain(`doctor: vendor binance http://127.0.0.1:${port}: TCP 127.0.0.1:${port}: ECONNREFUSED`);
    expect(doc.errors[0].message).toContain("DQCTL_BINANCE_BASE_URL");
    expect(r.stderr.trim().split("\n")).toEqual([`dqctl: ${doc.errors[0].message}`]);
  });

  test("a lock held by a live process is reported (warn), not a failure", async () => {
    const lh = join(dir, "lh-locked");
    mkdirSync(lh, { recursive: true });
    const holder = {
      pid: process.pid,
      host: (await import("node:os")).hostname(),
      command: "ingest",
      since: new Date().toISOString(),
      lease: 600_000,
      token: "t",
    };
    writeFileSync(join(lh, ".dqctl.lock"), JSON.stringify(holder));
    const r = await dqctl(["doctor", "--lakehouse", lh, "--json"]);
    expect(r.code).toBe(0);
    const lock = row(assertSummary(r.json()), "lock");
    expect(lock).toEqual([expect.objectContaining({ status: "warn" })]);
    expect(lock[0].detail).toContain(`held by ingest pid ${process.pid}`);
  });

  test.if(redis)("cache and stream on the real servers: PING, round trip, NATS INFO with JetStream", async () => {
    const p = redisPrefix("doctor");
    cleanups.push(p.drop);
    const lh = join(dir, "lh-servers");
    mkdirSync(lh, { recursive: true });
    const r = await dqctl(["doctor", "--lakehouse", lh, "--cache", p.url(), "--json"], { env: { DQCTL_STREAM: NATS_URL } });
    const doc = assertSummary(r.json());
    expect(row(doc, "cache")).toEqual([expect.objectContaining({ status: "ok" })]);
    expect(row(doc, "cache")[0].detail).toMatch(/^redis \d.*PING .* round trip /);
    const stream = row(doc, "stream")[0];
    // NATS is optional on a dev machine; when it answers it must be the JetStream-enabled server the stream needs.
    if (stream.status === "ok") expect(stream.detail).toContain("JetStream on");
    else expect(stream.detail).toMatch(/ECONNREFUSED|no greeting|JetStream/);
    expect(r.code).toBe(stream.status === "ok" ? 0 : 3);
    expect(await redisKeys(p.prefix)).toEqual([]);
  });

  test.if(redis)("a Redis password that fails: exit 3 naming the cache, the password in no output", async () => {
    const secret = "redis-pw-e2e-51c0ffee";
    const lh = join(dir, "lh-auth");
    mkdirSync(lh, { recursive: true });
    const url = `redis://dqctl:${secret}@${REDIS_HOST}:${REDIS_PORT}/0`;
    for (const format of ["json", "table", "markdown"]) {
      const r = await dqctl(["doctor", "--lakehouse", lh, "--cache", url, "--format", format]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain("doctor: cache redis://dqctl@");
      expect(r.stderr).toContain("authentication failed");
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });

  test.if(pg)("PostgreSQL: not initialised is the first thing to fix; after store init, its schema version", async () => {
    const s = pgSchema("doctor");
    cleanups.push(s.drop);
    const before = await dqctl(["doctor", "--store", s.url, "--json"]);
    expect(before.code).toBe(3);
    expect(assertSummary(before.json()).errors[0].message).toContain("not initialised");
    expect(before.stderr).toContain("dqctl store init --store");
    expect((await dqctl(["store", "init", "--store", s.url, "--quiet"])).code).toBe(0);
    const after = await dqctl(["doctor", "--store", s.url, "--json"]);
    expect(after.code).toBe(0);
    expect(row(assertSummary(after.json()), "store")[0].detail).toMatch(/^reachable, schema version \d+$/);
  });
});

describe.if(redis)("the Redis cache through the binary", () => {
  const ingest = (lh: string, extra: string[] = []) =>
    dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT,NASDAQ:AAPL", "--lakehouse", lh, "--now", DEMO_NOW, "--json", ...extra]);
  const audit = (lh: string, extra: string[] = []) =>
    dqctl(["audit", "--read-only", "--full", "--jobs", "1", "--lakehouse", lh, "--now", DEMO_NOW, "--json", ...extra]);

  test("a repeated read is a hit; the answers equal those without a cache; counts in the summary and the metric history", async () => {
    const p = redisPrefix("e2e");
    cleanups.push(p.drop);
    const lh = join(dir, "lh-cache");
    expect((await ingest(lh)).code).toBe(0);
    const plain = assertSummary((await audit(lh)).json());
    const first = assertSummary((await audit(lh, ["--cache", p.url()])).json());
    const second = assertSummary((await audit(lh, ["--cache", p.url()])).json());
    // Two series and the catalog.
    expect(first.cache).toMatchObject({ hits: 0, misses: 3, writes: 3, errors: 0 });
    expect(second.cache).toMatchObject({ hits: 3, misses: 0, errors: 0 });
    for (const doc of [first, second]) {
      expect(doc.symbols).toEqual(plain.symbols);
      expect(doc.findings).toEqual(plain.findings);
    }
    // An ingest with the cache records its counts in the metric history.
    expect((await ingest(lh, ["--cache", p.url(), "--force"])).code).toBe(0);
    const m = (await dqctl(["metrics", "--lakehouse", lh, "--metric", "cacheHits,cacheMisses", "--json"])).json();
    expect(m.metrics.map((r: any) => r.metric).sort()).toEqual(["cacheHits", "cacheMisses"]);
    expect(m.metrics.every((r: any) => r.vendor === "cache")).toBe(true);
  }, 60_000);

  test("the cache dies between runs (killed proxy): one warning, the same answers, exit 0 (mid-run kills: test/unit/cache)", async () => {
    const p = redisPrefix("e2e-dead");
    cleanups.push(p.drop);
    const lh = join(dir, "lh-dead");
    expect((await ingest(lh)).code).toBe(0);
    const plain = assertSummary((await audit(lh)).json());
    const px = await startProxy(REDIS_HOST, REDIS_PORT);
    cleanups.push(() => px.kill());
    expect((await audit(lh, ["--cache", p.url(px.port)])).code).toBe(0);
    await px.kill();
    const r = await audit(lh, ["--cache", p.url(px.port)]);
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    expect(doc.symbols).toEqual(plain.symbols);
    expect(doc.cache.down).toContain("cannot connect");
    expect(r.stderr.split("\n").filter((l) => l.includes("WARN") && l.includes("cache"))).toHaveLength(1);
  }, 60_000);
});
