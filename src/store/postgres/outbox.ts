// The PostgreSQL store's outbox: a table, appended in one transaction, flushed one locked batch at a time
// (`for update skip locked`: two flushing runs never send the same rows); a batch is deleted in the transaction
// that sent it, so a crash before its commit only sends it again, and its message ids drop the copies. Transactions
// go through tx.ts, which sends nothing more on a lost connection (postgres.js's sql.begin would).
import { Buffer } from "node:buffer";
import type { StreamEvent } from "../../stream/events.ts";
import { type Appended, FLUSH_BATCH, type Flushed, type Outbox } from "../../stream/outbox.ts";
import type { PgStore } from "./store.ts";
import { withTransaction } from "./tx.ts";

const APPEND_LOCK = 0x64716f62; // "dqob": serialises appends, so the bound holds

/** The outbox table of `store`, bounded to `maxBytes`. */
export class PgOutbox implements Outbox {
  readonly location: string;

  constructor(
    private readonly store: PgStore,
    private readonly maxBytes: number,
  ) {
    this.location = `${store.location}#outbox`;
  }

  async append(events: readonly StreamEvent[]): Promise<Appended> {
    await this.store.assertReady();
    return this.store.use("appending to the outbox", (sql) =>
      withTransaction(sql, "", async (tx) => {
        await tx`select pg_advisory_xact_lock(${APPEND_LOCK})`;
        let bytes = Number((await tx`select coalesce(sum(bytes), 0) as b from outbox`)[0]!.b);
        let appended = 0;
        for (const e of events) {
          const n = Buffer.byteLength(JSON.stringify(e));
          if (bytes + n > this.maxBytes) break;
          await tx`insert into outbox (msg_id, subject, data, bytes) values (${e.id}, ${e.subject}, ${tx.json(e.data as never)}, ${n})`;
          bytes += n;
          appended++;
        }
        return { appended, refused: events.length - appended, bytes, maxBytes: this.maxBytes };
      }),
    );
  }

  async flush(send: (batch: readonly StreamEvent[]) => Promise<void>): Promise<Flushed> {
    await this.store.assertReady();
    let sent = 0;
    for (;;) {
      let error: Error | undefined;
      const n = await this.store.use("flushing the outbox", (sql) =>
        withTransaction(sql, "", async (tx) => {
          const rows = await tx`select seq, msg_id, subject, data from outbox order by seq limit ${FLUSH_BATCH} for update skip locked`;
          if (!rows.length) return 0;
          try {
            await send(rows.map((r) => ({ id: r.msg_id as string, subject: r.subject as string, data: r.data })));
          } catch (err) {
            error = err as Error;
            return 0;
          }
          await tx`delete from outbox where seq in ${tx(rows.map((r) => r.seq as string))}`;
          return rows.length;
        }),
      );
      sent += n;
      if (error) return { sent, left: await this.pending(), error };
      if (n === 0) return { sent, left: await this.pending() };
    }
  }

  async pending(): Promise<number> {
    await this.store.assertReady();
    const r = await this.store.use("counting the outbox", (sql) => sql`select count(*) as n from outbox`);
    return Number(r[0]!.n);
  }
}
