// The real PostgreSQL server the store tests run against: DQCTL_TEST_PG_URL, default the machine's trust-auth
// server. Each test gets its own schema (dropped after). No server: the suite prints one line and is skipped,
// except under CI=true, where that fails the run.
import { expect } from "bun:test";
import postgres from "postgres";
import { parseInterval } from "../../src/model/interval.ts";
import { parseSymbol } from "../../src/model/symbol.ts";
import { PgStore } from "../../src/store/postgres/store.ts";

export const PG_URL = process.env.DQCTL_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Why the server cannot be used, or undefined when it answers. */
async function unavailable(): Promise<string | undefined> {
  const sql = postgres(PG_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return undefined;
  } catch (err) {
    return String((err as Error).message ?? err);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** Whether the PostgreSQL suites run; prints the one skip line (or throws under CI=true). */
export async function pgReady(suite: string): Promise<boolean> {
  const why = await unavailable();
  if (!why) return true;
  const line = `${suite}: skipped, no PostgreSQL server at ${PG_URL.replace(/:[^:@/]*@/, ":***@")} (${why})`;
  if (process.env.CI === "true") throw new Error(`${line}; under CI=true the server must be running (.ci/run starts it)`);
  console.log(line);
  return false;
}

let n = 0;
/** A fresh schema name and the store URL that uses it; `drop()` removes it. */
export function pgSchema(tag: string): { schema: string; url: string; drop: () => Promise<void> } {
  const schema = `dqt_${tag}_${process.pid}_${n++}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  const sep = PG_URL.includes("?") ? "&" : "?";
  return {
    schema,
    url: `${PG_URL}${sep}schema=${schema}`,
    drop: () => pgAdmin((sql) => sql.unsafe(`drop schema if exists ${schema} cascade`).then(() => undefined)),
  };
}

/** Run `fn` with a short-lived client on the test server (assertions that look at the tables). */
export async function pgAdmin<T>(fn: (sql: postgres.Sql) => Promise<T>, schema?: string): Promise<T> {
  const sql = postgres(PG_URL, { max: 1, onnotice: () => {}, ...(schema ? { connection: { search_path: schema } } : {}) });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Every series' catalog version, after checking that each reads back as exactly that version (the catalog never
 * lies) and that no bars exist without a catalog row.
 */
export async function consistent(url: string, schema: string): Promise<Record<string, string>> {
  const store = new PgStore(url);
  try {
    const out: Record<string, string> = {};
    for (const e of (await store.loadCatalog()).all()) {
      const r = await store.read(parseSymbol(e.symbol), parseInterval(e.interval), e);
      expect(`${e.symbol} ${r.kind}`).toBe(`${e.symbol} ok`);
      out[`${e.symbol}@${e.interval}`] = e.sha256;
    }
    const orphans = await pgAdmin(
      (sql) => sql`select distinct b.symbol from bars b where not exists (select 1 from catalog c where c.symbol = b.symbol and c.interval = b.interval)`,
      schema,
    );
    expect(orphans.map((r) => r.symbol)).toEqual([]);
    return out;
  } finally {
    await store.close();
  }
}
