// Streaming ingest (issue 21): a local producer publishes BENCH_STREAM_BARS (100,000) 1m bars of BENCH_STREAM_SYMBOLS
// (10) series to JetStream while `dqctl ingest --vendor stream` consumes them, committing batches through the normal
// commit path; prints throughput and end-to-end latency (producedAt → committed) p50/p95/p99. The server is
// DQCTL_TEST_NATS_URL (default nats://127.0.0.1:4222); the bench's stream is deleted after.
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
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
    const proc = Bun.spawn(
      [
        BIN,
        "ingest",
        "--vendor",
        "stream",
        "--subject",
        `${tag}.bars.>`,
        "--stream-url",
        URL_,
        "--lakehouse",
        join(dir, "lh"),
        "--config",
        config,
        "--max-messages",
        String(total),
        "--json",
      ],
      { stdout: "pipe", stderr: "pipe" },
    );
    const out = new Response(proc.stdout).text();
    const reader = proc.stderr.getReader();
    for (let seen = ""; !seen.includes("ingest stream: consuming"); ) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`dqctl ingest --vendor stream exited early: ${seen}`);
      seen += new TextDecoder().decode(value);
    }
    void (async () => {
      while (!(await reader.read()).done);
    })();
    // Bars of the past, one minute apart per series, round-robin over the series; each stamped when sent.
    const js = jetstream(nc);
    const started = performance.now();
    const WINDOW = 500;
    for (let i = 0; i < total; i += WINDOW) {
      const sends: Promise<unknown>[] = [];
      for (let k = i; k < Math.min(total, i + WINDOW); k++) {
        const s = k % symbols;
        const n = Math.floor(k / symbols);
        const open = 100 + s + Math.sin(n / 50);
        const close = 100 + s + Math.sin((n + 1) / 50);
        const bar = {
          symbol: `BINANCE:SYN${String(s).padStart(3, "0")}USDT`,
          interval: "1m",
          timestamp: T0 + n * 60_000,
          open,
          high: Math.max(open, close) + 0.01,
          low: Math.min(open, close) - 0.01,
          close,
          volume: 10 + (n % 13),
          producedAt: Date.now(),
        };
        sends.push(js.publish(subject, JSON.stringify(bar)));
      }
      await Promise.all(sends);
    }
    const produced = performance.now() - started;
    const code = await proc.exited;
    const doc = JSON.parse(await out) as {
      consume: { bars: number; seconds: number; messagesPerSecond: number; latency: Record<string, { p50Ms: number; p95Ms: number; p99Ms: number }> };
    };
    const l = doc.consume.latency[subject]!;
    console.log(
      `stream      ${total} bars (${symbols} series, 1m) produced at ${Math.round(total / (produced / 1000))}/s; consumed ${doc.consume.bars} in ${doc.consume.seconds.toFixed(1)} s = ${doc.consume.messagesPerSecond} bars/s (exit ${code})   end-to-end latency p50 ${l.p50Ms} ms  p95 ${l.p95Ms} ms  p99 ${l.p99Ms} ms`,
    );
  } finally {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
    await nc.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(config, { force: true });
  }
}
