// The outbox in PostgreSQL, through the CLI against the real servers: with a PostgreSQL store, events a run could
// not publish (the broker cut at the TCP proxy; the shared NATS is never stopped) wait in the store's outbox table,
// the next run that reaches the broker flushes them — also when the connection dies mid-flush — and a consumer of
// the stream counts every event exactly once. A full outbox keeps within its bound and says what it lost.
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, DEMO, DEMO_NOW, dqctl, tempDir } from "../helpers/cli.ts";
import { dropStreams, NatsProxy, natsNames, natsReady, streamMessages } from "../helpers/nats.ts";
import { expectFullOutbox } from "../helpers/outbox.ts";
import { pgAdmin, pgReady, pgSchema } from "../helpers/pg.ts";

const ready = (await natsReady("PostgreSQL outbox (e2e)")) && (await pgReady("PostgreSQL outbox (e2e)"));
const streams: string[] = [];
const schemas: (() => Promise<void>)[] = [];
const tmp = tempDir("dqctl-pg-outbox-");
afterAll(async () => {
  if (ready) await dropStreams(streams);
  for (const drop of schemas) await drop();
  tmp.cleanup();
});

/** An initialised PostgreSQL store and a config of one test's own (its stream and subject prefix). */
async function fixture(tag: string, extra: Record<string, unknown> = {}) {
  const { stem, prefix } = natsNames(tag);
  streams.push(stem);
  const s = pgSchema(`outbox_${tag}`);
  schemas.push(s.drop);
  expect((await dqctl(["store", "init", "--store", s.url, "--quiet"])).code).toBe(0);
  const config = join(tmp.dir, `${tag}.json`);
  writeFileSync(config, JSON.stringify({ stream: { name: stem, prefix, timeoutMs: 1_500, ...extra } }));
  return { stem, store: s.url, schema: s.schema, config };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;
const ingest = (f: Fixture, symbols: string, emit: string) =>
  dqctl(["ingest", "--source", DEMO, "--symbols", symbols, "--store", f.store, "--config", f.config, "--now", DEMO_NOW, "--emit", emit, "--json"]);
const outboxRows = (f: Fixture) =>
  pgAdmin(
    async (sql) => (await sql`select count(*)::int as n, coalesce(sum(bytes), 0)::int as bytes from outbox`)[0] as { n: number; bytes: number },
    f.schema,
  );

describe.if(ready)("the outbox in a PostgreSQL store", () => {
  test("broker cut: the events wait in the outbox table; the next runs flush them (one dying mid-flush); each lands once", async () => {
    const f = await fixture("cut");
    const proxy = new NatsProxy();
    await proxy.start();
    const a = await ingest(f, "BINANCE:BTCUSDT", proxy.url);
    expect(assertSummary(a.json()).stream).toMatchObject({ outboxed: 0, pending: 0 });
    // Cut: the run succeeds; every one of its events is a row of the outbox table.
    await proxy.kill();
    const b = await ingest(f, "NASDAQ:AAPL,NYSE:XOM", proxy.url);
    expect(b.code).toBe(0);
    const sb = assertSummary(b.json()).stream;
    expect(sb).toMatchObject({ published: 0, outboxed: sb.events, pending: sb.events, refused: 0 });
    expect(sb.events).toBeGreaterThan(3);
    expect((await outboxRows(f)).n).toBe(sb.events);
    expect(b.stderr).toContain("kept in the outbox");
    // Back, dying after the third event it forwards: the batch's transaction does not commit, its rows stay.
    await proxy.start();
    proxy.dieAfter = { pattern: "HPUB ", count: 3 };
    const c = await ingest(f, "NYSE:JPM", proxy.url);
    expect(c.code).toBe(0);
    expect(assertSummary(c.json()).stream.pending).toBeGreaterThan(0);
    expect((await outboxRows(f)).n).toBeGreaterThan(0);
    // Back for good: the next run flushes everything; the copies of what landed before the cut are dropped by id.
    proxy.dieAfter = undefined;
    await proxy.start();
    const d = await ingest(f, "NYSE:KO", proxy.url);
    const sd = assertSummary(d.json()).stream;
    expect(sd).toMatchObject({ outboxed: 0, pending: 0 });
    expect(sd.flushed).toBeGreaterThanOrEqual(sb.events);
    expect(sd.duplicates).toBeGreaterThanOrEqual(3);
    await proxy.kill();
    expect((await outboxRows(f)).n).toBe(0);
    // A consumer of the stream: every event of every run once.
    const msgs = await streamMessages(f.stem);
    const ids = new Set(msgs.map((m) => m.id));
    const total = [a, b, c, d].reduce((n, r) => n + r.json().stream.events, 0);
    expect(msgs.length).toBe(total);
    expect(ids.size).toBe(total);
  }, 120_000);

  test("a full outbox keeps within its bound; the events past it are counted as lost, on stderr and in the summary", async () => {
    const f = await fixture("full", { outboxMaxBytes: 3_000 });
    const s = expectFullOutbox(await ingest(f, "BINANCE:BTCUSDT,NASDAQ:AAPL,NYSE:XOM,NYSE:JPM", "nats://127.0.0.1:9"));
    const held = await outboxRows(f);
    expect(held.n).toBe(s.outboxed);
    expect(held.bytes).toBeLessThanOrEqual(3_000);
  }, 60_000);
});
