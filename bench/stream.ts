// Streaming ingest (issue 21): a local producer publishes BENCH_STREAM_BARS (100,000) 1m bars of BENCH_STREAM_SYMBOLS
// (10) series to JetStream while `dqctl ingest --vendor stream` consumes them, committing batches through the normal
// commit path; prints throughput and end-to-end latency (producedAt → committed) p50/p95/p99. The server is
// DQCTL_TEST_NATS_URL (default nats://127.0.0.1:4222); the bench's stream is deleted after. The bars land in a
// temporary lakehouse, or in BENCH_STREAM_STORE (e.g. an initialised PostgreSQL schema: `dqctl store init`).
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { publishAll, smoothBar, startConsumer, streamIngestArgs } from "../test/helpers/bar-producer.ts";
import { BIN } from "./lib.ts";

const env = (k: string, d: number) => (process.env[k] !== undefined ? Number(process.env[k]) : d);
const URL_ = process.env.DQCTL_TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const T0 = Date.UTC(2026, 0, 1);

/** Throughput and latency percentiles of the streaming ingest on real traffic. */
export async function benchStream(): Promise<void> {
  const total = env("BENCH_STREAM_BARS", 100_000);
  const symbols = env("BENCH_STREAM_SYMBOLS", 10);
  const u = new URL(URL_);
  const nc = await connect({ servers: `${u.hostname}:${u.port || 4222}`, timeout: 3_000 }).catch((err: Error) => {
    console.log(`stream      skipped: no NATS server at ${URL_} (${err.message})`);
    return undefined;
  });
  if (!nc) return;
  const tag = `dqctl_bench_${process.pid}`;
  const stream = tag.toUpperCase();
  const subject = `${tag}.bars.all`;
  const dir = join(tmpdir(), `dqctl-bench-stream-${process.pid}`);
  const config = `${dir}.json`;
  writeFileSync(config, JSON.stringify({ stream: { barsStream: stream, durable: tag, deadLetter: `${tag}.dead`, batchSize: 1000 } }));
  try {
    const store = process.env.BENCH_STREAM_STORE ?? join(dir, "lh");
    const args = streamIngestArgs({ subject: `${tag}.bars.>`, url: URL_, store, config }, ["--max-messages", String(total)]);
    const { proc, stdout } = await startConsumer([BIN, ...args]);
    // Bars of the past, one minute apart per series, round-robin over the series, 500 in flight; each stamped when sent.
    const started = performance.now();
    await publishAll(
      nc,
      total,
      (k) => ({ subject, body: smoothBar(`BINANCE:SYN${String(k % symbols).padStart(3, "0")}USDT`, Math.floor(k / symbols), 100 + (k % symbols), T0) }),
      500,
    );
    const produced = performance.now() - started;
    const code = await proc.exited;
    const doc = JSON.parse(await stdout) as {
      consume: { bars: number; seconds: number; messagesPerSecond: number; latency: Record<string, { p50Ms: number; p95Ms: number; p99Ms: number }> };
    };
    const l = doc.consume.latency[subject]!;
    console.log(
      `stream      ${process.env.BENCH_STREAM_STORE ? "(BENCH_STREAM_STORE) " : ""}${total} bars (${symbols} series, 1m) produced at ${Math.round(total / (produced / 1000))}/s; consumed ${doc.consume.bars} in ${doc.consume.seconds.toFixed(1)} s = ${doc.consume.messagesPerSecond} bars/s (exit ${code})   end-to-end latency p50 ${l.p50Ms} ms  p95 ${l.p95Ms} ms  p99 ${l.p99Ms} ms`,
    );
  } finally {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
    await nc.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(config, { force: true });
  }
}
