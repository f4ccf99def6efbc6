// Streaming ingest (`dqctl ingest --vendor stream --subject 'bars.>'`): a durable JetStream consumer on the subject
// (its stream created when absent), one bar per message. Each fetched batch is committed through the normal commit
// path under the store's lock, and only then acknowledged: a kill between the two redelivers the batch, whose bars
// merge onto the stored ones unchanged. Malformed messages go to the dead-letter subject with the reason.
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JsMsg, jetstream } from "@nats-io/jetstream";
import { resolveCheckOptions } from "../checks/index.ts";
import type { RunContext } from "../context.ts";
import { ConfigError } from "../errors.ts";
import { killPoint } from "../lakehouse/killpoint.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import { openWriteSession } from "../pipeline/commit.ts";
import { seriesCalendar } from "../pipeline/targets.ts";
import { latencySummary } from "../report/latency.ts";
import type { StepResult } from "../report/summary.ts";
import { parseBarMessage, type StreamBar } from "./bar-message.ts";
import { type BatchTally, commitBars, isComplete, newTally, seriesKey } from "./commit-bars.ts";
import { Inbox } from "./inbox.ts";
import { brokerError, ensureStream, managerOf, NATS_TIMEOUT_MS, natsConnect } from "./nats.ts";
import { parseNatsUrl } from "./target.ts";

/** What to consume and when to stop. */
export interface ConsumeOptions {
  url: string;
  /** The subject (wildcards allowed: `bars.>`). */
  subject: string;
  /** The stream holding it (created when absent). */
  stream: string;
  durable: string;
  deadLetter: string;
  batchSize: number;
  maxMessages?: number;
  maxTimeMs?: number;
  /** Aborted on SIGINT/SIGTERM: the batch in hand is committed and acknowledged, then the run stops. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** How long an unacknowledged message waits before redelivery (a consumer killed between commit and ack). */
  ackWaitMs?: number;
  /** --now was given: bars are judged complete against it, not the wall clock. */
  nowPinned?: boolean;
}

/** Why the consumer stopped. */
type Stop = "max-messages" | "max-time" | "signal";

/** How long a bar still in progress waits before it is delivered again, at most (ms). */
const NAK_MAX_MS = 30_000;

/** Consume, commit and acknowledge until a limit or a signal; the summary carries end-to-end latency per subject. */
export async function runStreamIngest(ctx: RunContext, o: ConsumeOptions): Promise<StepResult> {
  const shown = parseNatsUrl(o.url, "--emit").shown;
  const timeoutMs = o.timeoutMs ?? NATS_TIMEOUT_MS;
  const nc = await natsConnect(o.url, "stream", timeoutMs);
  const started = performance.now();
  const tally = newTally();
  const latency = new Map<string, number[]>();
  const c = { messages: 0, bars: 0, deadLettered: 0, heldBack: 0, redelivered: 0, batches: 0 };
  let stoppedBy: Stop | undefined;
  try {
    const jsm = await managerOf(nc, shown, timeoutMs);
    await ensureStream(jsm, o.stream, [o.subject, o.deadLetter]).catch((err: unknown) => {
      throw brokerError(shown, `creating stream ${o.stream} for ${o.subject} on`, err);
    });
    await ensureConsumer(jsm, o).catch((err: unknown) => {
      throw err instanceof ConfigError ? err : brokerError(shown, `creating consumer ${o.durable} on`, err);
    });
    const js = jetstream(nc, { timeout: timeoutMs });
    const consumer = await js.consumers.get(o.stream, o.durable);
    const inbox = await Inbox.open(consumer, nc, o.batchSize * 2);
    await initParquet();
    const session = await openWriteSession(ctx, "ingest", resolveCheckOptions(ctx.config));
    ctx.log.info(`ingest stream: consuming ${o.subject} from ${shown} (stream ${o.stream}, durable ${o.durable})`);
    const calendars = new Map<string, string>();
    const calendarOf = (b: StreamBar) => {
      let cal = calendars.get(b.sym.id);
      if (cal === undefined) {
        const r = seriesCalendar(ctx, b.sym, session.catalog.get(b.sym.id, b.interval));
        cal = "calendar" in r ? r.calendar : "";
        calendars.set(b.sym.id, cal);
      }
      return cal;
    };
    try {
      const deadline = o.maxTimeMs !== undefined ? started + o.maxTimeMs : Number.POSITIVE_INFINITY;
      for (;;) {
        if (o.signal?.aborted) stoppedBy = "signal";
        else if (o.maxMessages !== undefined && c.messages >= o.maxMessages) stoppedBy = "max-messages";
        else if (performance.now() >= deadline) stoppedBy = "max-time";
        if (stoppedBy) break;
        const want = Math.min(o.batchSize, o.maxMessages !== undefined ? o.maxMessages - c.messages : o.batchSize);
        const msgs = await inbox.take(want, deadline, o.signal).catch((err: unknown) => {
          throw brokerError(shown, "consuming from", err);
        });
        if (!msgs.length) continue;
        // Bars are judged complete against the wall clock, unless --now pinned it.
        const live = o.nowPinned ? ctx : { ...ctx, now: new Date() };
        await handleBatch(live, session, js, o, msgs, calendarOf, tally, latency, c);
      }
    } finally {
      await inbox.close();
      await session.writer.release();
    }
  } finally {
    await nc.drain().catch(() => nc.close());
  }
  const seconds = (performance.now() - started) / 1000;
  const findings = [...tally.findings.values()].flat();
  const symbols = [...tally.symbols.values()];
  return {
    counts: { ...c, symbols: symbols.length, ...tally.outcomes, toxic: symbols.filter((r) => r.status === "toxic").length },
    symbols,
    findings,
    errors: tally.errors,
    extra: {
      consume: {
        target: shown,
        subject: o.subject,
        stream: o.stream,
        durable: o.durable,
        deadLetter: o.deadLetter,
        stoppedBy: stoppedBy ?? "max-time",
        messages: c.messages,
        bars: c.bars,
        deadLettered: c.deadLettered,
        seconds: Math.round(seconds * 1000) / 1000,
        messagesPerSecond: seconds > 0 ? Math.round(c.messages / seconds) : 0,
        latency: Object.fromEntries([...latency].sort(([a], [b]) => a.localeCompare(b)).map(([s, v]) => [s, latencySummary(v.sort((a, b) => a - b))])),
      },
    },
    lineage: { inputs: [{ name: `${shown}/${o.subject}`, kind: "vendor", vendor: "stream" }], outputs: [...tally.outputs.values()] },
  };
}

/** Parse, dead-letter, commit, then acknowledge one fetched batch. */
async function handleBatch(
  ctx: RunContext,
  session: Awaited<ReturnType<typeof openWriteSession>>,
  js: JetStreamClient,
  o: ConsumeOptions,
  msgs: JsMsg[],
  calendarOf: (b: StreamBar) => string,
  tally: BatchTally,
  latency: Map<string, number[]>,
  c: { messages: number; bars: number; deadLettered: number; heldBack: number; redelivered: number; batches: number },
): Promise<void> {
  c.messages += msgs.length;
  c.batches++;
  const good: { m: JsMsg; b: StreamBar }[] = [];
  for (const m of msgs) {
    if (m.info.redelivered) c.redelivered++;
    const b = parseBarMessage(m.data);
    if ("reason" in b) {
      await deadLetter(js, o, m, b.reason);
      c.deadLettered++;
    } else if (!isComplete(ctx, calendarOf, b)) {
      // A bar still in progress (or from the future) is not golden yet: delivered again once it has closed.
      c.heldBack++;
      m.nak(Math.min(NAK_MAX_MS, Math.max(1_000, b.timestamp - ctx.now.getTime())));
    } else good.push({ m, b });
  }
  if (!good.length) return;
  const failed = await commitBars(
    ctx,
    session,
    good.map((g) => g.b),
    tally,
  );
  const committedAt = Date.now();
  killPoint("stream-before-ack");
  for (const { m, b } of good) {
    const key = seriesKey(b);
    if (failed.has(key)) {
      const why = tally.findings.get(key)?.find((f) => f.code === "unknown_calendar");
      if (why) {
        await deadLetter(js, o, m, why.message);
        c.deadLettered++;
      } else m.nak(5_000);
      continue;
    }
    m.ack();
    c.bars++;
    const l = latency.get(m.subject) ?? [];
    l.push(committedAt - b.producedAt);
    latency.set(m.subject, l);
  }
}

/** Publish a malformed message to the dead-letter subject (its id: stream + sequence, so a retry is one copy), then end it. */
async function deadLetter(js: JetStreamClient, o: ConsumeOptions, m: JsMsg, reason: string): Promise<void> {
  const body = { reason, subject: m.subject, stream: o.stream, seq: m.seq, data: new TextDecoder().decode(m.data).slice(0, 4096) };
  await js.publish(o.deadLetter, JSON.stringify(body), { msgID: `deadletter.${o.stream}.${m.seq}` });
  m.term(reason.slice(0, 200));
}

async function ensureConsumer(jsm: Awaited<ReturnType<typeof managerOf>>, o: ConsumeOptions): Promise<void> {
  const info = await jsm.consumers.info(o.stream, o.durable).catch(() => undefined);
  if (info) {
    const has = info.config.filter_subject ?? info.config.filter_subjects?.join(",");
    if (has !== o.subject)
      throw new ConfigError(
        `durable consumer ${o.durable} of stream ${o.stream} reads ${has ?? "every subject"}, not ${o.subject}`,
        "pass another --durable NAME for this subject (or config stream.durable)",
      );
    return;
  }
  await jsm.consumers.add(o.stream, {
    durable_name: o.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: o.subject,
    ack_wait: (o.ackWaitMs ?? 30_000) * 1e6,
    max_ack_pending: Math.max(1_000, o.batchSize * 2),
  });
}
