// The network steps of the probes, each bounded by a timeout: DNS, a TCP connect, the first line a server sends,
// one HTTP request. node: APIs and fetch only, so they run the same compiled and under Deno.
import { lookup } from "node:dns/promises";
import { createConnection, isIP } from "node:net";

/** Reject after `ms` with `what` named. */
export function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** The host's first address (an IP literal is its own). */
export async function resolveHost(host: string, ms: number): Promise<string> {
  if (isIP(host)) return host;
  try {
    return (await within(ms, `DNS ${host}`, lookup(host))).address;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code ? `DNS ${host}: ${code}` : (e as Error).message);
  }
}

/** Connect to host:port and, with `readLine`, return the first line the server sends (e.g. NATS's INFO). */
export function tcpProbe(host: string, port: number, ms: number, readLine = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    let buf = "";
    const done = (err?: Error, line = "") => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(line);
    };
    const timer = setTimeout(() => done(new Error(`TCP ${host}:${port}: ${readLine ? "no greeting" : "no connection"} within ${ms} ms`)), ms);
    socket.once("error", (e) => done(new Error(`TCP ${host}:${port}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
    socket.once("connect", () => {
      if (!readLine) done();
    });
    socket.on("data", (chunk: Uint8Array) => {
      buf += new TextDecoder().decode(chunk);
      const nl = buf.indexOf("\n");
      if (nl >= 0) done(undefined, buf.slice(0, nl).replace(/\r$/, ""));
      else if (buf.length > 65_536) done(new Error(`TCP ${host}:${port}: greeting longer than 64 KiB`));
    });
    socket.once("end", () => done(new Error(`TCP ${host}:${port}: closed before a greeting`)));
  });
}

/** One GET of `url` (no redirects followed, body discarded); any HTTP status means the server answers. */
export async function httpProbe(url: string, ms: number): Promise<number> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    const res = await fetch(url, { method: "GET", redirect: "manual", signal: controller.signal, headers: { "user-agent": "dqctl-doctor" } });
    await res.body?.cancel().catch(() => undefined);
    return res.status;
  } catch (e) {
    if (controller.signal.aborted) throw new Error(`HTTP: no response within ${ms} ms`);
    throw new Error(`HTTP: ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
