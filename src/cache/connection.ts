// One TCP connection to Redis speaking RESP2 (resp.ts): commands are pipelined and answered in order. Every wait is
// bounded: the connect, and each reply (its clock restarts whenever bytes arrive, so a large value is not cut off).
import { createConnection, type Socket } from "node:net";
import { encodeCommand, type Reply, ReplyReader } from "./resp.ts";

interface Pending {
  resolve(r: Reply): void;
  reject(e: Error): void;
}

/** A connected Redis client; once it fails (closed, timed out, malformed reply) every call rejects with that error. */
export class RedisConnection {
  private readonly pending: Pending[] = [];
  private readonly reader = new ReplyReader();
  private failure: Error | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.on("data", (chunk: Uint8Array) => this.onData(chunk));
    socket.on("error", (e) => this.fail(e));
    socket.on("close", () => this.fail(new Error("the server closed the connection")));
  }

  /** Connect within `timeoutMs`. */
  static connect(host: string, port: number, timeoutMs: number): Promise<RedisConnection> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        socket.setNoDelay(true);
        resolve(new RedisConnection(socket, timeoutMs));
      });
    });
  }

  /** Send one command; resolves with its reply (a server error is a RedisReplyError value, not a rejection). */
  send(args: readonly (string | Uint8Array)[]): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(encodeCommand(args));
      this.arm();
    });
  }

  /** Close the connection; pending commands reject. */
  close(): Promise<void> {
    if (this.failure) return Promise.resolve();
    this.fail(new Error("connection closed"));
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once("close", () => resolve());
      this.socket.end();
      setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, 200).unref?.();
    });
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = this.pending.length ? setTimeout(() => this.timeout(), this.timeoutMs) : undefined;
  }

  private timeout(): void {
    this.fail(new Error(`no reply within ${this.timeoutMs} ms`));
    this.socket.destroy();
  }

  private onData(chunk: Uint8Array): void {
    try {
      this.reader.push(chunk);
      for (let r = this.reader.next(); r; r = this.reader.next()) {
        const p = this.pending.shift();
        if (!p) throw new Error("a reply nobody asked for");
        p.resolve(r.reply);
      }
      this.arm();
    } catch (e) {
      this.fail(e as Error);
      this.socket.destroy();
    }
  }

  private fail(e: Error): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.failure ??= e;
    for (const p of this.pending.splice(0)) p.reject(this.failure);
  }
}
