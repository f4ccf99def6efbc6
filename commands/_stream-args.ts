// `ingest --vendor stream`: the flags of the streaming ingest and the signal handling around it (SIGINT/SIGTERM
// end the run cleanly: the batch in hand is committed and acknowledged first).
import type { ArgDef } from "citty";
import { ConfigError } from "../src/errors.ts";
import { parseCount, parseDuration } from "../src/model/parse.ts";
import type { StepResult } from "../src/report/summary.ts";
import { isNatsUrl } from "../src/stream/target.ts";
import type { Invocation } from "./_runtime.ts";

/** Flags of the streaming ingest (with --vendor stream). */
export const streamArgs = {
  subject: {
    type: "string",
    description: "--vendor stream: the JetStream subject bars arrive on, one JSON bar per message (wildcards: 'bars.>')",
    valueHint: "SUBJECT",
  },
  "stream-url": {
    type: "string",
    description: "--vendor stream: the NATS server (default: config stream.url, else --emit when it is nats://, else nats://127.0.0.1:4222)",
    valueHint: "URL",
  },
  "max-messages": { type: "string", description: "--vendor stream: stop after this many messages", valueHint: "N" },
  "max-time": {
    type: "string",
    description: "--vendor stream: stop after this long (e.g. 30s, 5m); without a limit it runs until SIGINT/SIGTERM",
    valueHint: "DURATION",
  },
  durable: {
    type: "string",
    description: "--vendor stream: the durable consumer's name (default: config stream.durable, else dqctl-ingest)",
    valueHint: "NAME",
  },
} as const satisfies Record<string, ArgDef>;

type StreamFlags = { [K in keyof typeof streamArgs]?: string } & { now?: string };

/** Run the streaming ingest of an invocation until a limit or a signal. */
export async function consumeStream(inv: Invocation, args: StreamFlags): Promise<StepResult> {
  if (!args.subject) throw new ConfigError("--vendor stream needs --subject", "pass e.g. --subject 'bars.>'");
  if (!/^[A-Za-z0-9_$-]+(\.([A-Za-z0-9_$-]+|\*))*(\.>)?$|^>$/.test(args.subject))
    throw new ConfigError(
      `--subject: "${args.subject}" is not a NATS subject`,
      "dot-separated tokens, * for one token, > at the end for the rest (e.g. bars.>)",
    );
  const s = inv.config.stream ?? {};
  const url = args["stream-url"] ?? s.url ?? (inv.emit && isNatsUrl(inv.emit.url) ? inv.emit.url : "nats://127.0.0.1:4222");
  if (!isNatsUrl(url)) throw new ConfigError(`--stream-url: "${url}" is not a nats:// URL`, "write e.g. --stream-url nats://127.0.0.1:4222");
  if (args.durable !== undefined && !/^[A-Za-z0-9_-]+$/.test(args.durable))
    throw new ConfigError(`--durable: "${args.durable}" is not a consumer name`, "letters, digits, _ or - only");
  const maxMessages = args["max-messages"] !== undefined ? parseCount(args["max-messages"], "--max-messages", { min: 1 }) : undefined;
  const maxTimeMs = args["max-time"] !== undefined ? parseDuration(args["max-time"], "--max-time") : undefined;
  const stop = new AbortController();
  const onSignal = () => {
    inv.consola.info("ingest stream: stopping after the batch in hand (signal)");
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const { runStreamIngest } = await import("../src/stream/consume.ts");
  try {
    return await runStreamIngest(inv.ctx, {
      url,
      subject: args.subject,
      stream: s.barsStream ?? "DQCTL_BARS",
      durable: args.durable ?? s.durable ?? "dqctl-ingest",
      deadLetter: s.deadLetter ?? "dqctl.deadletter",
      batchSize: s.batchSize ?? 500,
      signal: stop.signal,
      nowPinned: args.now !== undefined,
      ...(maxMessages !== undefined ? { maxMessages } : {}),
      ...(maxTimeMs !== undefined ? { maxTimeMs } : {}),
      ...(s.timeoutMs ? { timeoutMs: s.timeoutMs } : {}),
      ...(s.ackWaitMs ? { ackWaitMs: s.ackWaitMs } : {}),
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
