// The NATS JetStream side of the event stream and of the streaming ingest: one way to connect (a nats:// URL with
// optional user:password or token, a short timeout, no silent reconnects) and to make sure a stream exists.

import { createConnection } from "node:net";
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { VendorError } from "../errors.ts";
import { redactSecrets } from "../redact.ts";
import { parseNatsUrl } from "./target.ts";

/** The default wait for the broker to connect or to acknowledge, ms. */
export const NATS_TIMEOUT_MS = 2_000;

/** How long JetStream remembers a message id to drop a copy: longer than any retry or outbox flush after a crash. */
const DUPLICATE_WINDOW_NS = 15 * 60 * 1e9;

/** Connect to the broker at `url` (no reconnects: a broker that goes away fails what is in flight, loudly). */
export async function natsConnect(url: string, label: string, timeoutMs = NATS_TIMEOUT_MS): Promise<NatsConnection> {
  const p = parseNatsUrl(url, label);
  try {
    await probe(p.server, timeoutMs);
    return await connect({
      servers: p.server,
      timeout: timeoutMs,
      reconnect: false,
      name: `dqctl pid ${process.pid}`,
      ...(p.user ? { user: p.user, pass: p.pass } : {}),
      ...(p.token ? { token: p.token } : {}),
    });
  } catch (err) {
    throw brokerError(p.shown, "connecting", err);
  }
}

/**
 * Wait for the server's INFO line on a socket of our own first. The client keeps waiting for INFO past its connect
 * timeout on a socket nothing closes (a broker that hangs, or answers late, would keep dqctl from exiting): a
 * broker that does not greet within the timeout is refused here instead, its socket destroyed.
 */
function probe(server: string, timeoutMs: number): Promise<void> {
  const at = server.lastIndexOf(":");
  return new Promise((resolve, reject) => {
    const sock = createConnection(Number(server.slice(at + 1)), server.slice(0, at));
    let seen = "";
    const done = (err?: Error) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => done(new Error(`timeout: no INFO from the server within ${timeoutMs} ms`)), timeoutMs);
    sock.on("data", (b: Buffer) => {
      seen += b.toString("latin1");
      if (seen.startsWith("INFO ")) done();
      else if (seen.length >= 5) done(new Error("the server at that port does not speak the NATS protocol"));
    });
    sock.on("error", (err: NodeJS.ErrnoException) => done(err.code === "ECONNREFUSED" ? new Error("connection refused") : err));
    sock.on("close", () => done(new Error("the server closed the connection")));
  });
}

/** A VendorError (exit 3) naming the broker and what was being done; never the credentials. */
export function brokerError(shown: string, doing: string, err: unknown): VendorError {
  const why = redactSecrets((err as Error)?.message ?? String(err));
  return new VendorError(
    `nats: ${doing} ${shown} failed: ${why}`,
    "nats",
    undefined,
    undefined,
    1,
    "check the NATS server is up with JetStream enabled (nats-server -js), then retry",
    {
      cause: err,
    },
  );
}

/** Make sure stream `name` exists and holds `subjects` (created with a 15-minute duplicate window when absent). */
export async function ensureStream(jsm: JetStreamManager, name: string, subjects: readonly string[]): Promise<"created" | "exists"> {
  try {
    const info = await jsm.streams.info(name);
    const missing = subjects.filter((s) => !info.config.subjects?.includes(s));
    if (missing.length) await jsm.streams.update(name, { subjects: [...(info.config.subjects ?? []), ...missing] });
    return "exists";
  } catch (err) {
    if (!(err instanceof JetStreamApiError) || err.code !== JetStreamApiCodes.StreamNotFound) throw err;
  }
  await jsm.streams.add({ name, subjects: [...subjects], duplicate_window: DUPLICATE_WINDOW_NS });
  return "created";
}

/** The JetStream manager of a connection, failing as a broker error (JetStream not enabled, no permission). */
export async function managerOf(nc: NatsConnection, shown: string, timeoutMs = NATS_TIMEOUT_MS): Promise<JetStreamManager> {
  try {
    return await jetstreamManager(nc, { timeout: timeoutMs });
  } catch (err) {
    throw brokerError(shown, "opening JetStream on", err);
  }
}
