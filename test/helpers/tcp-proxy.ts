// An in-process TCP proxy between dqctl and a shared server, so a test can make the server "die" (kill: every
// connection cut, new ones refused) or "hang" (pause: bytes stop flowing both ways) without touching the server.
import { createConnection, createServer, type Server, type Socket } from "node:net";

/** A running proxy to host:port on 127.0.0.1:<port>. */
export interface TcpProxy {
  port: number;
  /** Stop forwarding in both directions (the connections stay open: a slow, hung server). */
  pause(): void;
  resume(): void;
  /** Cut every connection and stop listening (a server that died). */
  kill(): Promise<void>;
}

/** What a test may watch: each chunk the client sends; returning true kills the proxy before that chunk is forwarded. */
export interface ProxyOptions {
  cutOnClientData?: (chunk: Uint8Array) => boolean;
}

/** Start a proxy in front of host:port. */
export async function startProxy(host: string, port: number, opts: ProxyOptions = {}): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let paused = false;
  // While paused, bytes are held here (in order) and delivered on resume.
  const held: [Socket, Uint8Array][] = [];
  let proxy: TcpProxy | undefined;
  const forward = (from: Socket, to: Socket, watch?: (chunk: Uint8Array) => boolean) =>
    from.on("data", (chunk: Uint8Array) => {
      if (watch?.(chunk)) void proxy!.kill();
      else if (paused) held.push([to, chunk]);
      else to.write(chunk);
    });
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host, port });
    sockets.add(client).add(upstream);
    forward(client, upstream, opts.cutOnClientData);
    forward(upstream, client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  if (!addr || typeof addr === "string") throw new Error("proxy has no port");
  proxy = {
    port: addr.port,
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const [to, chunk] of held.splice(0)) if (!to.destroyed) to.write(chunk);
    },
    kill: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
