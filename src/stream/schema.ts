// The summary's stream sections, for src/report/schema.ts: `stream` (any recorded run with --emit) and `consume`
// (ingest --vendor stream), and the message a producer publishes ($defs.streamBar).
import { STREAM_BAR_SCHEMA } from "./bar-message.ts";

const count = { type: "integer", minimum: 0 } as const;
const ms = { type: ["number", "null"] } as const;

/** `stream`: what publishing this run's events did. */
export const STREAM_SECTION = {
  type: "object",
  description: "any recorded run with --emit (config stream.url): its events on the stream, and the outbox",
  required: ["transport", "target", "events", "published", "duplicates", "flushed", "outboxed", "refused", "pending"],
  properties: {
    transport: { enum: ["nats", "http"] },
    target: { type: "string", description: "the broker or endpoint, without credentials" },
    stream: { type: "string", description: "nats: the JetStream stream (created when absent)" },
    events: { ...count, description: "this run's events: its run record, each finding, its OpenLineage START and COMPLETE/FAIL" },
    published: { ...count, description: "events acknowledged now (this run's and the outbox's)" },
    duplicates: { ...count, description: "of those, copies the broker dropped by message id (a retry)" },
    flushed: { ...count, description: "events of earlier runs sent from the outbox" },
    outboxed: { ...count, description: "this run's events kept in the outbox (broker unreachable)" },
    refused: { ...count, description: "events refused because the outbox is full: lost, and said so on stderr" },
    pending: { ...count, description: "events waiting in the outbox after this run" },
    error: { type: "string", description: "why events could not be sent now" },
  },
  additionalProperties: false,
} as const;

/** `consume`: the streaming ingest. */
export const CONSUME_SECTION = {
  type: "object",
  description: "ingest --vendor stream: the consumer, why it stopped, and end-to-end latency (producedAt → committed) per subject",
  required: [
    "target",
    "subject",
    "stream",
    "durable",
    "deadLetter",
    "stoppedBy",
    "messages",
    "bars",
    "deadLettered",
    "seconds",
    "messagesPerSecond",
    "latency",
  ],
  properties: {
    target: { type: "string" },
    subject: { type: "string" },
    stream: { type: "string" },
    durable: { type: "string" },
    deadLetter: { type: "string", description: "the subject malformed messages went to, with the reason" },
    stoppedBy: { enum: ["max-messages", "max-time", "signal"] },
    messages: count,
    bars: { ...count, description: "bars committed and acknowledged" },
    deadLettered: count,
    seconds: { type: "number" },
    messagesPerSecond: count,
    latency: {
      type: "object",
      description: "per message subject: producedAt → commit, ms",
      additionalProperties: { type: "object", required: ["count", "p50Ms", "p95Ms", "p99Ms"], properties: { count, p50Ms: ms, p95Ms: ms, p99Ms: ms } },
    },
  },
  additionalProperties: false,
} as const;

export { STREAM_BAR_SCHEMA };
