// The one emitter behind `--emit URL` (config `stream.url`): a Publisher per transport. NATS JetStream takes every
// event (run record, findings, OpenLineage) with its message id; an HTTP OpenLineage endpoint takes the RunEvents.
// Kafka would be a third implementation of this interface (not shipped: no broker to test it against here).
import { type JetStreamClient, jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { emitEvents, type RunEvent } from "../lineage/openlineage.ts";
import { credentialsInText, redactSecrets, registerSecrets } from "../redact.ts";
import { eventSubjects, isLineageEvent, type StreamEvent } from "./events.ts";
import { brokerError, ensureStream, managerOf, NATS_TIMEOUT_MS, natsConnect } from "./nats.ts";
import { checkEmitTarget, isNatsUrl, parseNatsUrl } from "./target.ts";

/** What a publish did: events acknowledged, and of those the copies the broker dropped by message id. */
export interface Published {
  published: number;
  duplicates: number;
}

/** Where run events go. `publish` resolves once every event is acknowledged, or rejects at the first that is not. */
export interface Publisher {
  readonly transport: "nats" | "http";
  /** The target without credentials, for messages and the summary. */
  readonly target: string;
  /** The JetStream stream (nats only). */
  readonly stream?: string;
  /** Whether events it could not send wait in the outbox (a broker) or are reported lost (an HTTP endpoint). */
  readonly durable: boolean;
  publish(events: readonly StreamEvent[]): Promise<Published>;
  close(): Promise<void>;
}

/** Where and how the events go (config `stream`; --emit overrides `url`). */
export interface PublisherOptions {
  url: string;
  /** The JetStream stream of run events (default DQCTL). */
  name?: string;
  /** The subjects' first token (default dqctl). */
  prefix?: string;
  timeoutMs?: number;
}

/** Connect the publisher for `o.url` (a broker: its events stream is created when absent). */
export async function openPublisher(o: PublisherOptions): Promise<Publisher> {
  checkEmitTarget(o.url);
  if (!isNatsUrl(o.url)) return new HttpPublisher(o.url, o.timeoutMs);
  const shown = parseNatsUrl(o.url, "--emit").shown;
  const timeoutMs = o.timeoutMs ?? NATS_TIMEOUT_MS;
  const nc = await natsConnect(o.url, "--emit", timeoutMs);
  try {
    const name = o.name ?? "DQCTL";
    await ensureStream(await managerOf(nc, shown, timeoutMs), name, [eventSubjects(o.prefix ?? "dqctl").all]).catch((err: unknown) => {
      throw brokerError(shown, `creating stream ${name} on`, err);
    });
    return new NatsPublisher(nc, shown, name, timeoutMs);
  } catch (err) {
    await nc.close().catch(() => {});
    throw err;
  }
}

/** Events in flight at once: acknowledgements come back in order on one connection. */
const WINDOW = 64;

class NatsPublisher implements Publisher {
  readonly transport = "nats";
  readonly durable = true;
  private readonly js: JetStreamClient;

  constructor(
    private readonly nc: NatsConnection,
    readonly target: string,
    readonly stream: string,
    private readonly timeoutMs: number,
  ) {
    this.js = jetstream(nc, { timeout: timeoutMs });
  }

  async publish(events: readonly StreamEvent[]): Promise<Published> {
    let published = 0;
    let duplicates = 0;
    for (let i = 0; i < events.length; i += WINDOW) {
      const slice = events.slice(i, i + WINDOW);
      try {
        const acks = await Promise.all(
          slice.map((e) => this.js.publish(e.subject, JSON.stringify(e.data), { msgID: e.id, timeout: this.timeoutMs, expect: { streamName: this.stream } })),
        );
        published += acks.length;
        duplicates += acks.filter((a) => a.duplicate).length;
      } catch (err) {
        throw Object.assign(brokerError(this.target, `publishing event ${published + 1} of ${events.length} to`, err), { published });
      }
    }
    return { published, duplicates };
  }

  async close(): Promise<void> {
    await this.nc.close().catch(() => {});
  }
}

class HttpPublisher implements Publisher {
  readonly transport = "http";
  readonly durable = false;
  readonly target: string;

  constructor(
    private readonly url: string,
    private readonly timeoutMs?: number,
  ) {
    registerSecrets(credentialsInText(url));
    this.target = redactSecrets(url);
  }

  async publish(events: readonly StreamEvent[]): Promise<Published> {
    const lineage = events.filter(isLineageEvent).map((e) => e.data as RunEvent);
    const published = await emitEvents(lineage, this.url, this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {});
    return { published, duplicates: 0 };
  }

  async close(): Promise<void> {}
}
