// The consumer's side of the wire: JetStream pushes messages into a queue as they arrive (a pull consumer kept
// topped up by `consume`), and the ingest takes them in batches — as soon as one is there, plus a short linger to
// fill the batch — so a bar waits milliseconds, not a fetch's expiry, before its commit.
import type { Consumer, ConsumerMessages, JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";

/** How long a batch waits for more messages once the first is in (ms). */
const LINGER_MS = 20;

/** Messages of a consumer, queued as they arrive. */
export class Inbox {
  private readonly queue: JsMsg[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;

  private constructor(private readonly messages: ConsumerMessages) {}

  /** Start consuming (up to `buffer` messages delivered and not yet acknowledged); a closed connection fails `take`. */
  static async open(consumer: Consumer, nc: NatsConnection, buffer: number): Promise<Inbox> {
    let inbox: Inbox | undefined;
    const messages = await consumer.consume({
      max_messages: buffer,
      callback: (m) => {
        inbox!.queue.push(m);
        inbox!.poke();
      },
    });
    inbox = new Inbox(messages);
    void nc.closed().then((err) => inbox!.fail(err ?? new Error("the connection closed")));
    return inbox;
  }

  /**
   * Up to `max` messages: waits until one is there (or `untilMs`, on the performance clock, or the signal), then up
   * to LINGER_MS more for the batch to fill.
   */
  async take(max: number, untilMs: number, signal?: AbortSignal): Promise<JsMsg[]> {
    while (!this.queue.length && !this.failure && !signal?.aborted && performance.now() < untilMs) await this.sleep(untilMs - performance.now(), signal);
    if (this.queue.length && this.queue.length < max && !signal?.aborted) {
      const linger = Math.min(performance.now() + LINGER_MS, untilMs);
      while (this.queue.length < max && !this.failure && performance.now() < linger) await this.sleep(linger - performance.now(), signal);
    }
    if (this.failure && !this.queue.length) throw this.failure;
    return this.queue.splice(0, max);
  }

  /** Stop consuming; what was delivered and not taken is handed back for immediate redelivery. */
  async close(): Promise<void> {
    await this.messages.close().catch(() => {});
    for (const m of this.queue.splice(0)) m.nak();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        signal?.removeEventListener("abort", done);
        this.wake = undefined;
        resolve();
      };
      const t = setTimeout(done, Math.max(1, Math.min(ms, 1_000)));
      signal?.addEventListener("abort", done, { once: true });
      this.wake = done;
    });
  }
}
