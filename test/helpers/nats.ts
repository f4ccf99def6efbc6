// The real NATS JetStream server the stream tests run against: DQCTL_TEST_NATS_URL, default the machine's server.
// Each test uses its own stream names and subject prefix (deleted after). No server: the suite prints one line and
// is skipped, except under CI=true, where that fails the run. Faults go through an in-process TCP proxy (node:net)
// that a test kills, restarts or slows: the shared server itself is never touched.
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";

export const NATS_URL = process.env.DQCTL_TEST_NATS_URL ?? "nats://127.0.0.1:4222";

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 4222) };
}

/** Whether the NATS suites run; prints the one skip line (or throws under CI=true). */
export async function natsReady(suite: string): Promise<boolean> {
  try {
    const nc = await connect({ servers: `${hostPort(NATS_URL).host}:${hostPort(NATS_URL).port}`, timeout: 2_000, reconnect: false });
    try {
      await (await jetstreamManager(nc)).getAccountInfo();
    } finally {
      await nc.close();
    }
    return true;
  } catch (err) {
    const line = `${suite}: skipped, no NATS JetStream server at ${NATS_URL} (${(err as Error).message})`;
    if (process.env.CI === "true") throw new Error(`${line}; under CI=true the server must be running`);
    console.log(line);
    return false;
  }
}

let n = 0;
/** Names of one test's own: a stream-name stem and a subject prefix. */
export function natsNames(tag: string): { stem: string; prefix: string } {
  const id = `${tag}_${process.pid}_${n++}_${Math.random().toString(36).slice(2, 6)}`.replace(/[^A-Za-z0-9_]/g, "_");
  return { stem: `DQT_${id}`.toUpperCase(), prefix: `dqt_${id}`.toLowerCase() };
}

/** A client of the test server. */
export function natsClient(): Promise<NatsConnection> {
  const { host, port } = hostPort(NATS_URL);
  return connect({ servers: `${host}:${port}`, timeout: 3_000 });
}

/** Delete the named streams (those that exist). */
export async function dropStreams(names: readonly string[]): Promise<void> {
  const nc = await natsClient();
  try {
    const jsm = await jetstreamManager(nc);
    for (const s of names) await jsm.streams.delete(s).catch(() => false);
  } finally {
    await nc.close();
  }
}

/** Every message a stream holds (subject, message id header, JSON data), oldest first. */
export async function streamMessages(stream: string): Promise<{ subject: string; id: string | undefined; data: any }[]> {
  const nc = await natsClient();
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream).catch(() => undefined);
    if (!info) return [];
    const out: { subject: string; id: string | undefined; data: any }[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (!m) continue;
      let data: unknown;
      try {
        data = m.json();
      } catch {
        data = m.string(); // a malformed message a test published on purpose
      }
      out.push({ subject: m.subject, id: m.header?.get("Nats-Msg-Id") || undefined, data });
    }
    return out;
  } finally {
    await nc.close();
  }
}

/**
 * A TCP proxy in front of the server: `url` points dqctl at it. `kill()` drops every connection and stops
 * listening (the broker is gone); `start()` listens again on the same port; `delayMs` holds each chunk that long
 * (a slow broker); `dieAfter` kills it right after the client's `count`-th message to a subject containing
 * `pattern` went through to the server (the broker dies mid-run, that message landed, its acknowledgement lost).
 */
export class NatsProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  delayMs = 0;
  dieAfter: { pattern: string; count: number } | undefined;
  private seen = 0;
  private dead = false;

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const target = hostPort(NATS_URL);
    this.seen = 0;
    this.dead = false;
    this.server = createServer((client) => {
      const upstream = netConnect(target.port, target.host);
      this.sockets.add(client).add(upstream);
      const pipe = (from: Socket, to: Socket, counted: boolean) =>
        from.on("data", (chunk: Buffer) => {
          const send = () => {
            if (to.destroyed) return;
            if (this.dead) return;
            if (counted && this.dieAfter) {
              const text = chunk.toString("latin1");
              for (let at = text.indexOf(this.dieAfter.pattern); at >= 0; at = text.indexOf(this.dieAfter.pattern, at + 1)) {
                if (++this.seen < this.dieAfter.count) continue;
                // This chunk (that message, maybe more) reaches the server; nothing after it does, no answer comes back.
                to.write(chunk);
                this.dead = true;
                void this.kill();
                return;
              }
            }
            to.write(chunk);
          };
          if (this.delayMs) setTimeout(send, this.delayMs);
          else send();
        });
      pipe(client, upstream, true);
      pipe(upstream, client, false);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("error", close).on("close", close);
      upstream.on("error", close).on("close", close);
    });
    await new Promise<void>((res) => this.server!.listen(this.port, "127.0.0.1", () => res()));
    this.port = (this.server.address() as { port: number }).port;
  }

  async kill(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    for (const sock of this.sockets) sock.destroy();
    this.sockets.clear();
    if (s) await new Promise<void>((res) => s.close(() => res()));
  }
}
