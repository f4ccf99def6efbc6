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

/** Run `fn` on one connection in one read-only repeatable-read snapshot (reads that must agree with each other). */
export async function inSnapshot<T>(sql: Sql, fn: (conn: ReservedSql) => Promise<T>): Promise<T> {
  const conn = await sql.reserve();
  try {
    return await inTransaction(conn, "isolation level repeatable read read only", () => fn(conn));
  } finally {
    conn.release();
  }
}
