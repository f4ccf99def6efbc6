// The event stream through the compiled binary against the real NATS JetStream server: every recorded run publishes
// its run record, findings and OpenLineage events with message ids; a broker that is down, dies mid-run or is slow
// sends them to the outbox, and the next run that reaches it flushes them: each event lands exactly once.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, DEMO, DEMO_NOW, dqctl, tempDir } from "../helpers/cli.ts";
import { dropStreams, NATS_URL, NatsProxy, natsNames, natsReady, streamMessages } from "../helpers/nats.ts";
import { expectFullOutbox } from "../helpers/outbox.ts";

const ready = await natsReady("stream emit (e2e)");
const streams: string[] = [];
const tmp = tempDir("dqctl-stream-emit-");
afterAll(async () => {
  if (ready) await dropStreams(streams);
  tmp.cleanup();
});

/** A lakehouse and config of one test's own (its stream and subject prefix). */
function fixture(tag: string, extra: Record<string, unknown> = {}) {
  const { stem, prefix } = natsNames(tag);
  streams.push(stem);
  const dir = join(tmp.dir, tag);
  const config = join(tmp.dir, `${tag}.json`);
  writeFileSync(config, JSON.stringify({ stream: { name: stem, prefix, timeoutMs: 1_500, ...extra } }));
  return { stem, prefix, lh: join(dir, "lh"), config };
}

const ingest = (f: { lh: string; config: string }, symbols: string, emit: string, more: string[] = []) =>
  dqctl(["ingest", "--source", DEMO, "--symbols", symbols, "--lakehouse", f.lh, "--config", f.config, "--now", DEMO_NOW, "--emit", emit, "--json", ...more]);

/** Each message id of the stream once, and how many messages it holds. */
async function landed(stem: string) {
  const msgs = await streamMessages(stem);
  const ids = new Map<string, number>();
  for (const m of msgs) ids.set(m.id!, (ids.get(m.id!) ?? 0) + 1);
  return { msgs, ids, duplicates: [...ids].filter(([, n]) => n > 1) };
}

describe.skipIf(!ready)("dqctl --emit nats://", () => {
  test("a run publishes its record, each finding and its OpenLineage events, with message ids; the summary validates", async () => {
    const f = fixture("plain");
    const r = await ingest(f, "BINANCE:BTCUSDT,NASDAQ:AAPL,NYSE:XOM", NATS_URL);
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    expect(doc.stream).toMatchObject({ transport: "nats", stream: f.stem, published: doc.stream.events, outboxed: 0, pending: 0 });
    expect(doc.stream.events).toBe(1 + doc.findings.length + 2);
    const { msgs, duplicates } = await landed(f.stem);
    expect(duplicates).toEqual([]);
    expect(msgs.length).toBe(doc.stream.events);
    const run = msgs.find((m) => m.subject === `${f.prefix}.runs`)!;
    expect(run.data).toMatchObject({ schema: "dqctl.run/v1", runId: doc.runId, command: "ingest" });
    expect(msgs.filter((m) => m.subject.startsWith(`${f.prefix}.findings.`)).map((m) => m.subject.split(".").pop())).toEqual(
      doc.findings.map((x: { code: string }) => x.code),
    );
    expect(msgs.filter((m) => m.subject === `${f.prefix}.lineage`).map((m) => m.data.eventType)).toEqual(["START", "COMPLETE"]);
  });

  test("broker down, then dying mid-run, then back: every event of every run lands exactly once", async () => {
    const f = fixture("down");
    const proxy = new NatsProxy();
    await proxy.start();
    const a = await ingest(f, "BINANCE:BTCUSDT", proxy.url);
    expect(a.json().stream.published).toBe(a.json().stream.events);
    // Down: the run still succeeds; its events wait in the lakehouse's outbox.
    await proxy.kill();
    const b = await ingest(f, "NASDAQ:AAPL,NYSE:XOM", proxy.url);
    expect(b.code).toBe(0);
    const sb = assertSummary(b.json()).stream;
    expect(sb).toMatchObject({ published: 0, outboxed: sb.events, pending: sb.events, refused: 0 });
    expect(b.stderr).toContain("kept in the outbox");
    expect(readdirSync(join(f.lh, "outbox"))).toContain("pending.jsonl");
    // Back, and dying again after the third event it forwards: part of the flush lands, its acknowledgements lost.
    await proxy.start();
    proxy.dieAfter = { pattern: `HPUB ${f.prefix}.`, count: 3 };
    const c = await ingest(f, "NYSE:JPM", proxy.url);
    expect(c.code).toBe(0);
    const sc = c.json().stream;
    expect(sc.pending).toBeGreaterThan(0);
    // Back for good: the next run flushes the outbox first, then sends its own.
    proxy.dieAfter = undefined;
    await proxy.start();
    const d = await ingest(f, "NYSE:KO", proxy.url);
    const sd = assertSummary(d.json()).stream;
    expect(sd).toMatchObject({ outboxed: 0, pending: 0 });
    expect(sd.flushed).toBeGreaterThan(0);
    // Those that landed before it died were sent again from the outbox: JetStream dropped the copies by message id.
    expect(sd.duplicates).toBeGreaterThanOrEqual(3);
    await proxy.kill();
    const total = [a, b, c, d].reduce((n, r) => n + r.json().stream.events, 0);
    const { ids, duplicates, msgs } = await landed(f.stem);
    expect(duplicates).toEqual([]);
    expect(ids.size).toBe(total);
    expect(msgs.length).toBe(total);
    expect(readdirSync(join(f.lh, "outbox")).filter((x) => x.endsWith(".jsonl"))).toEqual([]);
  });

  test("a full outbox says so: the events past its bound are counted as lost, on stderr and in the summary", async () => {
    const f = fixture("full", { outboxMaxBytes: 3_000 });
    const closed = "nats://127.0.0.1:9";
    expectFullOutbox(await ingest(f, "BINANCE:BTCUSDT,NASDAQ:AAPL,NYSE:XOM,NYSE:JPM", closed));
    const held = readFileSync(join(f.lh, "outbox", "pending.jsonl"), "utf8");
    expect(Buffer.byteLength(held)).toBeLessThanOrEqual(3_000);
  });

  test("a slow broker: acknowledgements slower than the timeout send the events to the outbox; a slow one within it publishes", async () => {
    const f = fixture("slow");
    const proxy = new NatsProxy();
    await proxy.start();
    proxy.delayMs = 200; // well within the 1.5 s timeout
    const ok = await ingest(f, "BINANCE:BTCUSDT", proxy.url);
    expect(ok.json().stream).toMatchObject({ outboxed: 0, pending: 0 });
    proxy.delayMs = 2_500; // past it: connecting times out
    const late = await ingest(f, "NASDAQ:AAPL", proxy.url);
    expect(late.code).toBe(0);
    expect(late.json().stream.outboxed).toBe(late.json().stream.events);
    proxy.delayMs = 0;
    const flush = await ingest(f, "NYSE:XOM", proxy.url);
    expect(flush.json().stream).toMatchObject({ pending: 0 });
    await proxy.kill();
    const { ids, duplicates } = await landed(f.stem);
    expect(duplicates).toEqual([]);
    expect(ids.size).toBe([ok, late, flush].reduce((n, r) => n + r.json().stream.events, 0));
  });

  test("a password in the broker URL appears nowhere: not in stdout, stderr, runs.jsonl or the outbox", async () => {
    const f = fixture("secret");
    const r = await ingest(f, "BINANCE:BTCUSDT", "nats://dq:s3cretNatsPw@127.0.0.1:9");
    expect(r.code).toBe(0);
    for (const text of [r.stdout, r.stderr, readFileSync(join(f.lh, "runs.jsonl"), "utf8"), readFileSync(join(f.lh, "outbox", "pending.jsonl"), "utf8")])
      expect(text).not.toContain("s3cretNatsPw");
  });

  test("a bad --emit target is refused before any work (exit 3, one line)", async () => {
    const f = fixture("bad");
    const r = await ingest(f, "BINANCE:BTCUSDT", "kafka://127.0.0.1:9092");
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("--emit");
    expect(existsSync(join(f.lh, "catalog.json"))).toBe(false);
  });
});
