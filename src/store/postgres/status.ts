// What a PostgreSQL store is now, read only: its schema version and the writers holding symbol claims (advisory
// locks of this store's schema, named by the holders' application_name, which PgStore.sql sets).
import type { Sql } from "postgres";
import type { StoreStatus } from "../types.ts";
import { SCHEMA_VERSION, schemaVersion } from "./schema.ts";
import { CLAIM_NS } from "./writer.ts";

/** The store's status in schema `schema`. */
export async function pgStatus(sql: Sql, schema: string): Promise<StoreStatus> {
  const version = await schemaVersion(sql);
  const rows = version
    ? await sql`
      select c.symbol, a.pid, a.application_name, a.backend_start from pg_locks l
      join pg_stat_activity a on a.pid = l.pid
      join catalog c on hashtext(${`${schema}.`} || c.symbol)::oid = l.objid
      where l.locktype = 'advisory' and l.granted and l.classid = ${CLAIM_NS}::oid
        and l.database = (select oid from pg_database where datname = current_database())
      group by c.symbol, a.pid, a.application_name, a.backend_start order by c.symbol`
    : [];
  const lockHolders = rows.map((r) => {
    const m = /^dqctl (?:(\S+) )?pid (\d+) host (\S+)/.exec(String(r.application_name));
    return {
      symbol: String(r.symbol),
      pid: m ? Number(m[2]) : Number(r.pid),
      host: m?.[3] ?? "?",
      command: m?.[1] ?? String(r.application_name),
      since: new Date(r.backend_start as string).toISOString(),
    };
  });
  return { exists: version > 0, needsInit: true, version, latest: SCHEMA_VERSION, lockHolders };
}
