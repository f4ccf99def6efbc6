// Streaming ingest through the compiled binary against the real NATS JetStream server: bars published one per
// message are committed through the normal commit path and acknowledged after the commit; malformed messages are
// dead-lettered with the reason; a kill between commit and ack, or a SIGTERM, loses and doubles nothing.
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { initParquet } from "../../src/lakehouse/parquet.ts";
import { parseSymbol } from "../../src/model/symbol.ts";
import { openStore } from "../../src/store/open.ts";
import { type BarMessage, publishAll, smoothBar, startConsumer, streamIngestArgs } from "../helpers/bar-producer.ts";
import { assertSummary, dqctl, dqctlCommand, hermeticEnv, ROOT, tempDir } from "../helpers/cli.ts";
import { dropStreams, NATS_URL, natsClient, natsNames, natsReady, streamMessages } from "../helpers/nats.ts";
import { pgReady, pgSchema } from "../helpers/pg.ts";

const ready = await natsReady("stream ingest (e2e)");
const pg = ready && (await pgReady("stream ingest into PostgreSQL (e2e)"));
const streams: string[] = [];
const schemas: (() => Promise<void>)[] = [];
const tmp = tempDir("dqctl-stream-ingest-");
afterAll(async () => {
  if (ready) await dropStreams(streams);
  for (const drop of schemas) await drop();
  tmp.cleanup();
});

const NOW = "2026-11-21T06:00:00Z";
const T0 = Date.UTC(2026, 10, 20, 0, 0);

/** A store (a lakehouse unless a test sets a PostgreSQL URL), config and subjects of one test's own. */
function fixture(tag: string, extra: Record<string, unknown> = {}) {
  const { stem, prefix } = natsNames(tag);
  streams.push(stem);
  const config = join(tmp.dir, `${tag}.json`);
  const deadLetter = `${prefix}.dead`;
  writeFileSync(config, JSON.stringify({ stream: { barsStream: stem, deadLetter, durable: `d_${tag}`, ...extra } }));
  return { stem, prefix, deadLetter, subject: `${prefix}.bars.>`, store: join(tmp.dir, tag, "lh"), config };
}
type Fixture = ReturnType<typeof fixture>;

const ingestArgs = (f: Fixture, more: string[]) =>
  streamIngestArgs({ subject: f.subject, url: NATS_URL, store: f.store, config: f.config }, ["--now", NOW, ...more]);
const consume = (f: Fixture, more: string[], env: Record<string, string> = {}) => dqctl(ingestArgs(f, more), { env });

/** Bar `i` of a smooth 1m series of `symbol` around `base`. */
const bar = (symbol: string, i: number, base: number) => smoothBar(symbol, i, base, T0);

/** Publish JSON documents (or raw strings) to subjects through JetStream, one after the other (each acknowledged). */
async function publish(items: readonly { subject: string; body: unknown }[]): Promise<void> {
  const nc = await natsClient();
  try {
    await publishAll(nc, items.length, (k) => items[k]!);
  } finally {
    await nc.close();
  }
}

/** A rerun finds no message left (everything was acknowledged). */
async function expectDrained(f: Fixture): Promise<void> {
  const again = await consume(f, ["--max-time", "1s"]);
  expect(again.json().consume.messages).toBe(0);
}

/** The bars of a series as stored (through the Store interface), as plain rows. */
async function stored(spec: string, symbol: string): Promise<{ timestamp: number; close: number; volume: number }[]> {
  await initParquet();
  const store = openStore(spec);
  const sym = parseSymbol(symbol);
  const r = await store.read(sym, "1m", (await store.loadCatalog()).get(symbol, "1m")).finally(() => store.close());
  if (r.kind !== "ok") return [];
  const b = r.stored.bars;
  return Array.from(b.timestamp, (t, i) => ({ timestamp: t, close: b.close[i]!, volume: b.volume[i]! }));
}

const rows = (bars: BarMessage[]) => bars.map((b) => ({ timestamp: b.timestamp, close: b.close, volume: b.volume }));

describe.skipIf(!ready)("dqctl ingest --vendor stream", () => {
  test("creates stream and durable consumer, commits every bar once, dead-letters malformed messages with the reason", async () => {
    const f = fixture("basic");
    const first = await consume(f, ["--max-time", "1s"]);
    expect(first.code).toBe(0);
    expect(assertSummary(first.json()).consume).toMatchObject({ stream: f.stem, stoppedBy: "max-time", messages: 0 });
    const nc = await natsClient();
    const info = await (await jetstreamManager(nc)).streams.info(f.stem);
    await nc.close();
    expect(info.config.subjects).toEqual(expect.arrayContaining([f.subject, f.deadLetter]));

    const btc = Array.from({ length: 150 }, (_, i) => bar("BINANCE:BTCUSDT", i, 100));
    const eth = Array.from({ length: 150 }, (_, i) => bar("BINANCE:ETHUSDT", i, 50));
    await publish([
      ...btc.map((b) => ({ subject: `${f.prefix}.bars.btc`, body: b })),
      { subject: `${f.prefix}.bars.btc`, body: "{not json" },
      ...eth.map((b) => ({ subject: `${f.prefix}.bars.eth`, body: b })),
      { subject: `${f.prefix}.bars.eth`, body: { ...bar("BINANCE:ETHUSDT", 500, 50), close: "oops" } },
      { subject: `${f.prefix}.bars.eth`, body: { ...bar("BINANCE:ETHUSDT", 501, 50), timestamp: 1_733_097_600 } },
    ]);
    const r = await consume(f, ["--max-messages", "303"]);
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    expect(doc.consume).toMatchObject({ stoppedBy: "max-messages", messages: 303, bars: 300, deadLettered: 3 });
    expect(doc.consume.latency[`${f.prefix}.bars.btc`].count).toBe(150);
    expect(doc.consume.latency[`${f.prefix}.bars.eth`].count).toBe(150);
    expect(doc.consume.latency[`${f.prefix}.bars.eth`].p50Ms).toBeGreaterThanOrEqual(0);
    expect(await stored(f.store, "BINANCE:BTCUSDT")).toEqual(rows(btc));
    expect(await stored(f.store, "BINANCE:ETHUSDT")).toEqual(rows(eth));
    const dead = (await streamMessages(f.stem)).filter((m) => m.subject === f.deadLetter).map((m) => m.data.reason);
    expect(dead).toHaveLength(3);
    expect(dead[0]).toContain("not JSON");
    expect(dead[1]).toContain("close");
    expect(dead[2]).toContain("timestamp");
    // Nothing left: a rerun finds no message and changes nothing.
    await expectDrained(f);
  });

  // On PostgreSQL each batch after the first only appends (the writer copies just its rows); the lakehouse rewrites.
  test.each(pg ? ["lakehouse", "PostgreSQL"] : ["lakehouse"])(
    "killed between commit and ack (%s): the rerun gets the batch again; stored bars equal what was published",
    async (kind) => {
      const f = fixture(`kill${kind === "lakehouse" ? "" : "_pg"}`, { batchSize: 40, ackWaitMs: 1_000 });
      if (kind !== "lakehouse") {
        const s = pgSchema("stream_kill");
        schemas.push(s.drop);
        expect((await dqctl(["store", "init", "--store", s.url, "--quiet"])).code).toBe(0);
        f.store = s.url;
      }
      await consume(f, ["--max-time", "1s"]);
      const bars = Array.from({ length: 120 }, (_, i) => bar("BINANCE:SOLUSDT", i, 20));
      await publish(bars.map((b) => ({ subject: `${f.prefix}.bars.sol`, body: b })));
      const killed = await consume(f, ["--max-messages", "120"], { DQCTL_KILL_AT: "stream-before-ack:2" });
      expect(killed.code).not.toBe(0);
      // Two batches committed, the second never acknowledged.
      expect(await stored(f.store, "BINANCE:SOLUSDT")).toEqual(rows(bars.slice(0, 80)));
      const rerun = await consume(f, ["--max-time", "4s"]);
      expect(rerun.code).toBe(0);
      const c = assertSummary(rerun.json()).counts;
      expect(c.redelivered).toBeGreaterThanOrEqual(40);
      expect(c.bars).toBe(80); // the unacknowledged batch and the one never delivered
      expect(await stored(f.store, "BINANCE:SOLUSDT")).toEqual(rows(bars));
    },
  );

  test("SIGTERM stops it cleanly: what it received is committed and acknowledged, exit 0, stoppedBy signal", async () => {
    const f = fixture("signal");
    // Spawned once it is consuming (its log line); then publish and wait for the bars to be stored.
    const { proc, stdout: out } = await startConsumer([...dqctlCommand(), ...ingestArgs(f, [])], { cwd: ROOT, env: hermeticEnv() });
    const bars = Array.from({ length: 60 }, (_, i) => bar("BINANCE:XRPUSDT", i, 10));
    await publish(bars.map((b) => ({ subject: `${f.prefix}.bars.xrp`, body: b })));
    for (let i = 0; i < 200 && (await stored(f.store, "BINANCE:XRPUSDT")).length < 60; i++) await Bun.sleep(50);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    const doc = assertSummary(JSON.parse(await out));
    expect(doc.consume).toMatchObject({ stoppedBy: "signal", bars: 60 });
    expect(await stored(f.store, "BINANCE:XRPUSDT")).toEqual(rows(bars));
    await expectDrained(f);
  });

  test("bad input is refused with one line and exit 3: no --subject, a bad subject, a broker that does not answer", async () => {
    const f = fixture("bad");
    const refusals: [string[], string][] = [
      [[], "--subject"],
      [["--subject", "bars..x"], "not a NATS subject"],
      [["--subject", "x.>", "--stream-url", "nats://127.0.0.1:9"], "nats://127.0.0.1:9"],
    ];
    for (const [more, says] of refusals) {
      const r = await dqctl(["ingest", "--vendor", "stream", "--lakehouse", f.store, ...more]);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(says);
    }
  });
});
