// The PostgreSQL store's schema as numbered migrations. `dqctl store init` applies those not yet applied, each in
// its own transaction under an advisory lock, so running it twice (or two at once) is harmless.
import type { ReservedSql, Sql } from "postgres";
import { withTransaction } from "./tx.ts";

/** One schema change; applied once, in order, recorded in dqctl_migrations. */
interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** What bars hold: one row per (symbol, interval, bar open); doubles as the vendor sent them (NaN kept). */
const BARS = `
create table bars (
  symbol text not null,
  interval text not null,
  ts timestamptz not null,
  open double precision not null,
  high double precision not null,
  low double precision not null,
  close double precision not null,
  volume double precision not null,
  adj_close double precision,
  dividend double precision,
  split_factor double precision,
  primary key (symbol, interval, ts)
)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "bars, catalog, registry, quarantine, runs, documents",
    sql: `${BARS};
create table catalog (
  symbol text not null,
  interval text not null,
  version text not null,
  rows integer not null,
  first_ts timestamptz,
  last_ts timestamptz,
  entry jsonb not null,
  primary key (symbol, interval)
);
create table health (symbol text primary key, entry jsonb not null);
create table quarantine (
  name text primary key,
  symbol text not null,
  interval text not null,
  quarantined_at timestamptz not null,
  version text not null,
  reason jsonb not null,
  parquet bytea not null
);
create index quarantine_series on quarantine (symbol, interval);
create table runs (id bigserial primary key, run_id text not null, command text not null, recorded_at timestamptz not null default now(), record jsonb not null);
create index runs_run_id on runs (run_id);
create table documents (name text primary key, doc jsonb not null, written_at timestamptz not null default now());`,
  },
  {
    version: 2,
    name: "metric history",
    sql: `create table metrics (
  id bigserial primary key,
  run_id text not null,
  command text not null,
  at timestamptz not null,
  vendor text not null,
  symbol text not null,
  interval text not null,
  metric text not null,
  value double precision not null
);
create index metrics_series on metrics (symbol, metric, at);
create index metrics_at on metrics (at);`,
  },
  {
    version: 3,
    name: "event outbox",
    sql: `create table outbox (
  seq bigserial primary key,
  msg_id text not null,
  subject text not null,
  data jsonb not null,
  bytes integer not null
);`,
  },
  {
    version: 4,
    name: "symbol metadata history, feature store",
    sql: `create table symbols (
  symbol text not null,
  valid_from timestamptz not null,
  valid_to timestamptz,
  is_current boolean not null,
  name text,
  description text,
  type text,
  subtype text,
  exchange text,
  currency text,
  country text,
  sector text,
  industry text,
  market_cap double precision,
  status text not null,
  primary key (symbol, valid_from)
);
create unique index symbols_current on symbols (symbol) where is_current;
create table features (
  feature_set text not null,
  symbol text not null,
  date date not null,
  fetched_at timestamptz not null,
  "column" text not null,
  value double precision,
  primary key (feature_set, date, symbol, "column")
);
create index features_symbol on features (feature_set, symbol, date);`,
  },
];

/** The schema version this dqctl reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

const INIT_LOCK = 0x64716374; // "dqct": serialises concurrent inits

/** What a migration run did. */
interface InitReport {
  schema: string;
  applied: number[];
  version: number;
  timescale: "hypertable" | "absent";
}

/**
 * Create the schema and apply the pending migrations. With the timescaledb extension available, bars becomes a
 * hypertable chunked on ts; without it bars stays a plain table whose primary key (symbol, interval, ts) is the
 * index every read and check uses.
 */
export async function migrate(sql: Sql, schema: string): Promise<InitReport> {
  return withTransaction(sql, "", (tx) => migrateOn(tx, schema));
}

/** The migration's statements, in the transaction `migrate` opened on `tx`. */
async function migrateOn(tx: ReservedSql, schema: string): Promise<InitReport> {
  await tx`select pg_advisory_xact_lock(${INIT_LOCK})`;
  await tx.unsafe(`create schema if not exists ${schema}`);
  await tx.unsafe(`set local search_path to ${schema}`);
  await tx`create table if not exists dqctl_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`;
  const done = new Set((await tx`select version from dqctl_migrations`).map((r) => r.version as number));
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await tx.unsafe(m.sql);
    await tx`insert into dqctl_migrations (version, name) values (${m.version}, ${m.name})`;
    applied.push(m.version);
  }
  const ts = await tx`select 1 from pg_available_extensions where name = 'timescaledb'`;
  let timescale: InitReport["timescale"] = "absent";
  if (ts.length) {
    await tx.unsafe("create extension if not exists timescaledb");
    await tx.unsafe(`select create_hypertable('${schema}.bars', 'ts', if_not_exists => true, migrate_data => true)`);
    timescale = "hypertable";
  }
  return { schema, applied, version: SCHEMA_VERSION, timescale };
}

/** The applied schema version (0: not initialised). */
export async function schemaVersion(sql: Sql): Promise<number> {
  const t = await sql`select to_regclass('dqctl_migrations') as t`;
  if (!t[0]?.t) return 0;
  const r = await sql`select coalesce(max(version), 0) as v from dqctl_migrations`;
  return Number(r[0]!.v);
}
