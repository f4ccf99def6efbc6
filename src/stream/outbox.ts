// The local outbox: where run events wait while the broker cannot be reached. Each store keeps one (the lakehouse
// as append-only files under outbox/, PostgreSQL as a table); the next run that reaches the broker flushes it.
import type { StreamEvent } from "./events.ts";

/** What appending did: how many events were kept, how many refused because the outbox is full. */
export interface Appended {
  appended: number;
  refused: number;
  /** Bytes held after the append, and the bound. */
  bytes: number;
  maxBytes: number;
}

/** What a flush did: events sent and removed, events still waiting (a failure stops the flush where it was). */
export interface Flushed {
  sent: number;
  left: number;
  /** Another process is flushing this outbox: nothing was sent here. */
  busy?: boolean;
  /** Why the flush stopped early (the broker went away again). */
  error?: Error;
}

/** A bounded, crash-safe, append-only queue of events, in order. */
export interface Outbox {
  /** Where it is, for messages. */
  readonly location: string;
  /** Make `events` durable, in order, up to the bound; the rest are refused (and counted). */
  append(events: readonly StreamEvent[]): Promise<Appended>;
  /**
   * Send what waits, oldest first, one batch at a time through `send`; a batch is removed only once `send` resolved.
   * A crash between the two sends that batch again: its message ids make JetStream drop the copies.
   */
  flush(send: (batch: readonly StreamEvent[]) => Promise<void>): Promise<Flushed>;
  /** Events waiting. */
  pending(): Promise<number>;
}

/** The outbox's bound when the config names none. */
export const OUTBOX_MAX_BYTES = 16 * 1024 * 1024;

/** Events sent per batch of a flush (the progress a crash can lose, and send twice). */
export const FLUSH_BATCH = 256;
