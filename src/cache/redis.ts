// The Redis cache: GET/SET PX/DEL under the URL's key prefix, over one lazily opened connection. The first failure
// (refused, timed out, wrong password, database out of range, connection lost mid-run) is one warning; the cache is
// then down for the rest of the run and every lookup is a miss — the run reads straight from the store.
import type { Logger } from "../context.ts";
import { redactSecrets } from "../redact.ts";
import { RedisConnection } from "./connection.ts";
import { RedisReplyError, type Reply } from "./resp.ts";
import type { Cache, CacheReport, CacheStats } from "./types.ts";
import { zeroStats } from "./types.ts";
import type { RedisTarget } from "./url.ts";

const dec = new TextDecoder();
const text = (r: Reply): string => (r instanceof Uint8Array ? dec.decode(r) : String(r));

/** A Redis cache that fails soft (see above). */
export class RedisCache implements Cache {
  readonly stats: CacheStats = zeroStats();
  readonly location: string;
  private conn: Promise<RedisConnection> | undefined;
  private why: string | undefined;

  constructor(
    private readonly target: RedisTarget,
    private readonly log: Logger,
    readonly spec: string,
  ) {
    this.location = target.location;
  }

  get down(): string | undefined {
    return this.why;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const r = await this.soft(["GET", this.target.prefix + key]);
    return r instanceof Uint8Array ? r : undefined;
  }

  async set(key: string, value: Uint8Array, ttlMs?: number): Promise<void> {
    const args: (string | Uint8Array)[] = ["SET", this.target.prefix + key, value];
    if (ttlMs !== undefined) args.push("PX", String(Math.max(1, Math.round(ttlMs))));
    if ((await this.soft(args)) !== undefined) this.stats.writes++;
  }

  async delete(keys: readonly string[]): Promise<number> {
    if (!keys.length) return 0;
    const r = await this.soft(["DEL", ...keys.map((k) => this.target.prefix + k)]);
    return typeof r === "number" ? r : 0;
  }

  async probe(): Promise<{ pingMs: number; roundTripMs: number; server: string }> {
    const t0 = performance.now();
    const c = await this.connection();
    const pong = await this.strict(c, ["PING"]);
    const pingMs = performance.now() - t0;
    const key = `${this.target.prefix}doctor:${process.pid}:${Date.now()}`;
    const payload = `dqctl doctor ${Date.now()}`;
    const t1 = performance.now();
    await this.strict(c, ["SET", key, payload, "PX", "60000"]);
    const back = text(await this.strict(c, ["GET", key]));
    await this.strict(c, ["DEL", key]);
    const roundTripMs = performance.now() - t1;
    if (back !== payload) throw new Error(`wrote ${JSON.stringify(payload)} and read back ${JSON.stringify(back.slice(0, 40))}`);
    const info = text(await this.strict(c, ["INFO", "server"]));
    const version = /redis_version:([^\r\n]+)/.exec(info)?.[1];
    return { pingMs, roundTripMs, server: version ? `redis ${version}` : String(pong) };
  }

  absorb(report: CacheReport): void {
    for (const k of Object.keys(this.stats) as (keyof CacheStats)[]) this.stats[k] += report.stats[k];
    if (report.down) this.goDown(`${report.down} (on a worker thread)`);
  }

  async close(): Promise<void> {
    const c = this.conn;
    this.conn = undefined;
    if (c) await c.then((x) => x.close()).catch(() => undefined);
  }

  /** One command; any failure marks the cache down (one warning) and answers undefined. */
  private async soft(args: (string | Uint8Array)[]): Promise<Reply | undefined> {
    if (this.why) return undefined;
    try {
      return await this.strict(await this.connection(), args);
    } catch (e) {
      this.stats.errors++;
      this.goDown((e as Error).message);
      return undefined;
    }
  }

  /** The first failure: one warning, the connection dropped, every later lookup a miss. */
  private goDown(why: string): void {
    if (this.why) return;
    this.why = redactSecrets(why);
    this.log.warn(`cache ${this.location}: ${this.why} — reading straight from the store for the rest of this run`);
    void this.close();
  }

  private async strict(c: RedisConnection, args: (string | Uint8Array)[]): Promise<Reply> {
    const r = await c.send(args);
    if (r instanceof RedisReplyError) throw new Error(`${String(args[0])} refused: ${r.message}`);
    return r;
  }

  /** The connection, opened on first use: connect, AUTH when the URL has a password, SELECT the database. */
  private connection(): Promise<RedisConnection> {
    this.conn ??= (async () => {
      const t = this.target;
      const c = await RedisConnection.connect(t.host, t.port, t.timeoutMs).catch((e: Error) => {
        throw new Error(`cannot connect to ${t.host}:${t.port} (${(e as NodeJS.ErrnoException).code ?? e.message})`);
      });
      try {
        if (t.password !== undefined) {
          const auth = await c.send(t.user ? ["AUTH", t.user, t.password] : ["AUTH", t.password]);
          if (auth instanceof RedisReplyError)
            throw new Error(`authentication failed (${auth.message.split(" ")[0]}): check the user and password in the cache URL`);
        }
        if (t.db !== 0) {
          const sel = await c.send(["SELECT", String(t.db)]);
          if (sel instanceof RedisReplyError) throw new Error(`database ${t.db} refused (${sel.message}): use a database the server has, such as /0`);
        }
      } catch (e) {
        await c.close();
        throw e;
      }
      return c;
    })();
    return this.conn;
  }
}
