// The local producer of streaming ingest, shared by its e2e test and its benchmark (bench/stream.ts): the bar
// messages (issue 21's format), publishing them to JetStream with acknowledgements, and a `dqctl ingest --vendor
// stream` consumer spawned and waited for until it is consuming.
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { StreamBar } from "../../src/stream/bar-message.ts";

/** One bar message as the stream vendor reads it: the parsed bar's fields, the symbol and interval as text. */
export type BarMessage = Omit<StreamBar, "sym" | "interval"> & { symbol: string; interval: "1m" };

/** Bar `i` of a smooth 1m series of `symbol` around `base` from `t0` (no check quarantines it), stamped now. */
export function smoothBar(symbol: string, i: number, base: number, t0: number): BarMessage {
  const open = base + Math.sin(i / 9);
  const close = base + Math.sin((i + 1) / 9);
  return {
    symbol,
    interval: "1m",
    timestamp: t0 + i * 60_000,
    open,
    high: Math.max(open, close) + 0.05,
    low: Math.min(open, close) - 0.05,
    close,
    volume: 10 + (i % 7),
    producedAt: Date.now(),
  };
}

/**
 * Publish `count` messages through JetStream, each acknowledged, `window` of them in flight at once (1: one after
 * the other, in order). `message(k)` is called just before the k-th is sent, so a bar's producedAt is its send time.
 */
export async function publishAll(nc: NatsConnection, count: number, message: (k: number) => { subject: string; body: unknown }, window = 1): Promise<void> {
  const js = jetstream(nc);
  for (let i = 0; i < count; i += window) {
    const sends: Promise<unknown>[] = [];
    for (let k = i; k < Math.min(count, i + window); k++) {
      const { subject, body } = message(k);
      sends.push(js.publish(subject, typeof body === "string" ? body : JSON.stringify(body)));
    }
    await Promise.all(sends);
  }
}

/** The arguments of `dqctl ingest --vendor stream` on `subject` of `url`, into `store`, with `config`. */
export function streamIngestArgs(o: { subject: string; url: string; store: string; config: string }, more: readonly string[] = []): string[] {
  return ["ingest", "--vendor", "stream", "--subject", o.subject, "--stream-url", o.url, "--store", o.store, "--config", o.config, "--json", ...more];
}

/** A spawned consumer: its process and its whole stdout (the summary) once it exits. */
export interface Consumer {
  proc: ReturnType<typeof Bun.spawn>;
  stdout: Promise<string>;
}

/** Spawn `cmd` (a dqctl stream ingest) and resolve once it logs that it is consuming; its stderr is drained after. */
export async function startConsumer(cmd: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Consumer> {
  const proc = Bun.spawn(cmd, { ...opts, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const stdout = new Response(proc.stdout).text();
  const reader = proc.stderr.getReader();
  for (let seen = ""; !seen.includes("ingest stream: consuming"); ) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`dqctl ingest --vendor stream exited before consuming: ${seen.trim()}`);
    seen += new TextDecoder().decode(value);
  }
  void (async () => {
    while (!(await reader.read()).done);
  })();
  return { proc, stdout };
}
