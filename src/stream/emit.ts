// Publishing a finished run's events: flush what the outbox holds (older runs first), then this run's events; what
// the broker does not acknowledge goes to the outbox for the next run that reaches it. Never fails the run: a
// broker down, or an outbox full, is a warning and a count in the summary's `stream` section.
import type { Logger } from "../context.ts";
import { redactDeep, redactSecrets } from "../redact.ts";
import type { StreamEvent } from "./events.ts";
import type { Outbox } from "./outbox.ts";
import { openPublisher, type PublisherOptions } from "./publisher.ts";

/** The summary's `stream` section. */
export interface StreamReport {
  transport: "nats" | "http";
  target: string;
  stream?: string;
  /** This run's events. */
  events: number;
  /** Events the broker acknowledged now (this run's and the outbox's), and of those the copies it dropped by id. */
  published: number;
  duplicates: number;
  /** Events of earlier runs sent from the outbox. */
  flushed: number;
  /** This run's events that wait in the outbox. */
  outboxed: number;
  /** Events refused because the outbox is full: lost (the warning says so). */
  refused: number;
  /** Events waiting in the outbox after this run. */
  pending: number;
  /** Why events could not be sent now. */
  error?: string;
}

/** Publish `events` (flushing the outbox first); a failure sends them to the outbox. */
export async function emitRun(events: readonly StreamEvent[], o: PublisherOptions, outbox: Outbox, log: Logger): Promise<StreamReport> {
  const clean = events.map((e) => redactDeep(e));
  const r: StreamReport = { transport: "nats", target: "", events: clean.length, published: 0, duplicates: 0, flushed: 0, outboxed: 0, refused: 0, pending: 0 };
  let publisher: Awaited<ReturnType<typeof openPublisher>> | undefined;
  let unsent: readonly StreamEvent[] = clean;
  try {
    publisher = await openPublisher(o);
    const p = publisher;
    Object.assign(r, { transport: p.transport, target: p.target, ...(p.stream ? { stream: p.stream } : {}) });
    if (p.durable) {
      const f = await outbox.flush(async (batch) => {
        const a = await p.publish(batch);
        r.published += a.published;
        r.duplicates += a.duplicates;
        r.flushed += a.published;
      });
      if (f.error) throw f.error;
      if (f.busy) log.info(`stream: another run is flushing the outbox (${outbox.location}); its ${f.left} event(s) are left to it`);
    }
    const a = await p.publish(clean).catch((err: unknown) => {
      // Events before the failure were acknowledged; the rest (the failed one too: it may or may not have landed)
      // wait in the outbox, and its id drops a copy.
      const done = (err as { published?: number }).published ?? 0;
      r.published += done;
      unsent = clean.slice(done);
      throw err;
    });
    r.published += a.published;
    r.duplicates += a.duplicates;
    unsent = [];
  } catch (err) {
    r.error = redactSecrets((err as Error).message);
    if (!r.target) r.target = targetOf(o.url);
    if (publisher && !publisher.durable) {
      log.warn(`stream: ${r.error} — ${unsent.length} OpenLineage event(s) not delivered (an HTTP endpoint has no outbox)`);
    } else if (unsent.length) {
      const a = await outbox.append(unsent);
      r.outboxed = a.appended;
      r.refused = a.refused;
      log.warn(`stream: ${r.error} — ${a.appended} event(s) kept in the outbox ${outbox.location}; the next run that reaches the broker sends them`);
      if (a.refused)
        log.warn(
          `stream: outbox full (${mib(a.bytes)} of ${mib(a.maxBytes)} MiB at ${outbox.location}): ${a.refused} event(s) of this run LOST — start the broker and run any dqctl command with --emit to flush it, or raise stream.outboxMaxBytes`,
        );
    }
  } finally {
    await publisher?.close();
  }
  r.pending = await outbox.pending();
  return r;
}

function targetOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.protocol.startsWith("http") ? u.pathname : ""}`;
  } catch {
    return redactSecrets(url);
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
