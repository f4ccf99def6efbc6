// Transactions that stay safe when the connection is lost mid-way. postgres.js's own `sql.begin` sends ROLLBACK on a
// connection that is already gone; that write fires after the client dropped the socket and throws outside any
// promise (porsager/postgres#1066, #1208: the process dies after dqctl has reported the error, or a reserved
// connection's query never settles and the command hangs). So a transaction whose connection was lost is not rolled
// back by dqctl: the server rolls back an open transaction, and frees the session's advisory locks, when its
// connection drops; nothing more is sent on that connection.
import type { ReservedSql, Sql } from "postgres";
import { isLost } from "./errors.ts";

/** Run `fn` in one transaction on `conn` (`mode`: e.g. "isolation level repeatable read read only"). */
export async function inTransaction<T>(conn: ReservedSql, mode: string, fn: () => Promise<T>): Promise<T> {
  await conn.unsafe(`begin ${mode}`.trim());
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    if (!isLost(err)) await conn.unsafe("rollback").catch(() => {});
    throw err;
  }
  await conn.unsafe("commit");
  return result;
}

/** Run `fn` in one transaction on a connection of its own, reserved from `sql` and released after. */
export async function withTransaction<T>(sql: Sql, mode: string, fn: (conn: ReservedSql) => Promise<T>): Promise<T> {
  const conn = await sql.reserve();
  try {
    return await inTransaction(conn, mode, () => fn(conn));
  } finally {
    conn.release();
  }
}

/**
 * Run `fn` on one connection in one read-only repeatable-read snapshot (reads that must agree with each other).
 * `fn` must send its queries at once (e.g. `Promise.all([...])`): BEGIN, the reads and COMMIT then go out together,
 * one round trip. A read that fails aborts the transaction, and the server answers the COMMIT queued behind it as a
 * ROLLBACK; nothing is sent after the answers, so a lost connection is never written to again (see above).
 */
export async function inSnapshot<T>(sql: Sql, fn: (conn: ReservedSql) => Promise<T>): Promise<T> {
  const conn = await sql.reserve();
  try {
    const begin = conn.unsafe("begin isolation level repeatable read read only").execute();
    const reads = fn(conn);
    const commit = conn.unsafe("commit").execute();
    const [b, r, c] = await Promise.allSettled([begin, reads, commit]);
    for (const x of [b, r, c]) if (x.status === "rejected") throw x.reason;
    return (r as PromiseFulfilledResult<T>).value;
  } finally {
    conn.release();
  }
}
