// The PostgreSQL store: bars in one table keyed by (symbol, interval, ts), the catalog, registry, quarantine, run
// records and documents beside it (see schema.ts). Reads take one repeatable-read snapshot, so bars and their
// catalog version always agree; writes go through PgWriter (per-symbol advisory locks, one transaction per series).
import { hostname } from "node:os";
import type { Sql } from "postgres";
import type { PushdownRequest, PushedEvidence } from "../../checks/pushdown.ts";
import { InputError } from "../../errors.ts";
import type { FeatureFilter, FeatureRow } from "../../features/rows.ts";
import { Catalog, type CatalogEntry } from "../../lakehouse/catalog.ts";
import { type HealthEntry, HealthRegistry } from "../../lakehouse/health.ts";
import { decodeBars, encodeBars, initParquet } from "../../lakehouse/parquet.ts";
import type { RunRecord } from "../../lakehouse/runs.ts";
import { type MetricFilter, type MetricRow, metricMatches } from "../../metrics/types.ts";
import { type Bars, barCount } from "../../model/bars.ts";
import { type Interval, isInterval } from "../../model/interval.ts";
import { fileStem, type SymbolId } from "../../model/symbol.ts";
import { redactValue } from "../../redact.ts";
import type { Outbox } from "../../stream/outbox.ts";
import type { SymbolVersion } from "../../symbols/history.ts";
import { contentVersion } from "../content.ts";
import type { GoldenRead, QuarantineEvidence, Store, StoreInit, StoreStatus, StoreWriter, UnchangedRead, WriterRequest } from "../types.ts";
import { pgError } from "./errors.ts";
import { PgOutbox } from "./outbox.ts";
import { pushdownQueries } from "./pushdown.ts";
import { selectFeatures, selectSymbols } from "./reference.ts";
import { READ_COLUMNS, rowsToBars } from "./rows.ts";
import { migrate, SCHEMA_VERSION, schemaVersion } from "./schema.ts";
import { pgStatus } from "./status.ts";
import { inSnapshot } from "./tx.ts";
import { type PgTarget, parsePgUrl } from "./url.ts";
import { PgWriter } from "./writer.ts";

/** A store in a PostgreSQL database (one schema of it). */
export class PgStore implements Store {
  readonly location: string;
  private readonly target: PgTarget;
  private client: Sql | undefined;
  private ready: Promise<void> | undefined;

  /** Store.pushdown, offered only with `pushdown=on` in the URL (audit asks only a store that offers it). */
  readonly pushdown?: (series: readonly PushdownRequest[], sessions: readonly Float64Array[]) => Promise<Map<string, PushedEvidence>>;

  constructor(readonly spec: string) {
    this.target = parsePgUrl(spec);
    this.location = this.target.location;
    if (this.target.pushdown) this.pushdown = (series, sessions) => this.checkInSql(series, sessions);
  }

  /**
   * The key of a symbol's advisory lock. Advisory locks are database-wide, so the key names the schema too: two
   * stores in one database (two schemas) never block each other's writers.
   */
  claimKey(symbol: string): string {
    return `${this.target.schema}.${symbol}`;
  }

  /** The connection pool, created on first use (the client is loaded only by commands that reach a store). */
  async sql(): Promise<Sql> {
    if (this.client) return this.client;
    const { default: postgres } = await import("postgres");
    const t = this.target;
    this.client = postgres({
      host: t.host,
      port: t.port,
      database: t.database,
      username: t.user,
      ...(t.password !== undefined ? { password: t.password } : {}),
      max: 4,
      connect_timeout: 10,
      idle_timeout: 30,
      onnotice: () => {},
      connection: { search_path: t.schema, application_name: `dqctl pid ${process.pid} host ${hostname()}`.slice(0, 63) },
    });
    return this.client;
  }

  /** Run `fn` with the pool, turning the client's errors into one-line dqctl errors. */
  async use<T>(doing: string, fn: (sql: Sql) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.sql());
    } catch (err) {
      throw pgError(err, this.location, doing);
    }
  }

  /** Refuse a store whose schema is not there, or is newer than this dqctl. */
  async assertReady(): Promise<void> {
    this.ready ??= this.use("reading the schema version", async (sql) => {
      const v = await schemaVersion(sql);
      if (v === 0)
        throw new InputError(
          `PostgreSQL store ${this.location} is not initialised (no dqctl tables in schema ${this.target.schema})`,
          `run \`dqctl store init --store ${this.location}\` first`,
        );
      if (v > SCHEMA_VERSION)
        throw new InputError(`PostgreSQL store ${this.location} has schema version ${v}; this dqctl knows ${SCHEMA_VERSION}`, "upgrade dqctl");
      if (v < SCHEMA_VERSION)
        throw new InputError(
          `PostgreSQL store ${this.location} has schema version ${v}; this dqctl writes ${SCHEMA_VERSION}`,
          `run \`dqctl store init --store ${this.location}\` to upgrade it`,
        );
    });
    try {
      await this.ready;
    } catch (err) {
      this.ready = undefined;
      throw err;
    }
  }

  /** Create or upgrade the schema (idempotent). */
  async init(): Promise<StoreInit> {
    const r = await this.use("initialising the schema", (sql) => migrate(sql, this.target.schema));
    this.ready = undefined;
    return { location: this.location, layout: r.timescale === "hypertable" ? "hypertable" : "table", version: r.version, applied: r.applied };
  }

  seriesName(sym: SymbolId, interval: Interval): string {
    return `${fileStem(sym, interval)}.parquet`;
  }

  async status(): Promise<StoreStatus> {
    return this.use("reading the schema version and lock holders", (sql) => pgStatus(sql, this.target.schema));
  }

  async exists(): Promise<boolean> {
    return this.use("reading the schema version", async (sql) => (await schemaVersion(sql)) > 0);
  }

  async assertExists(): Promise<void> {
    await this.assertReady();
  }

  /** Permissions are the server's to check: a store this role cannot write fails at its first write, as one line. */
  assertWritable(): void {}

  async loadCatalog(): Promise<Catalog> {
    await this.assertReady();
    return this.use("reading the catalog", async (sql) => catalogOf(this.location, await sql`select entry from catalog`));
  }

  /** The entries' count and an md5 over them, computed in the server: a digest of exactly what loadCatalog returns. */
  async catalogStamp(): Promise<string> {
    await this.assertReady();
    const rows = await this.use(
      "reading the catalog's digest",
      (sql) => sql`select count(*)::text || ':' || coalesce(md5(string_agg(entry::text, E'\n' order by symbol, interval)), '') as stamp from catalog`,
    );
    return rows[0]!.stamp as string;
  }

  async loadHealth(): Promise<HealthRegistry> {
    await this.assertReady();
    return this.use("reading the registry", async (sql) => healthOf(this.location, await sql`select symbol, entry from health`));
  }

  private where(sym: SymbolId, interval: Interval): string {
    return `${this.location}#${sym.id} ${interval}`;
  }

  /** The series' bars and its catalog version, read in one snapshot (undefined version: no catalog row). */
  async readRows(sym: SymbolId, interval: Interval): Promise<{ bars: Bars; version: string | undefined }> {
    await this.assertReady();
    return this.use(`reading ${sym.id} ${interval}`, async (sql) => {
      const [rows, cat] = await inSnapshot(sql, (tx) =>
        Promise.all([
          tx.unsafe(`select ${READ_COLUMNS} from bars where symbol = $1 and interval = $2 order by ts`, [sym.id, interval]).values(),
          tx`select version from catalog where symbol = ${sym.id} and interval = ${interval}`,
        ]),
      );
      return { bars: rowsToBars(rows as unknown as unknown[][]), version: cat[0]?.version as string | undefined };
    });
  }

  async read(sym: SymbolId, interval: Interval, entry: CatalogEntry | undefined): Promise<GoldenRead> {
    const { bars, version } = await this.readRows(sym, interval);
    const path = this.where(sym, interval);
    if (version === undefined && barCount(bars) === 0) return { kind: "missing", path };
    const actual = contentVersion(bars);
    const stored = { path, bars, sha256: actual, size: barCount(bars) * 48 };
    if (version === undefined) return { kind: entry ? "ok" : "uncataloged", stored };
    // Bars that are not what their catalog row recorded were changed outside dqctl (every commit writes both in one transaction).
    if (version !== actual) return { kind: "corrupt", path, expected: version, actual, size: stored.size };
    return { kind: entry ? "ok" : "uncataloged", stored };
  }

  async readUnlessKnown(
    sym: SymbolId,
    interval: Interval,
    entry: CatalogEntry | undefined,
    known: (version: string) => boolean,
  ): Promise<GoldenRead | UnchangedRead> {
    await this.assertReady();
    // The catalog row and the bars commit in one transaction; bars deleted behind dqctl's back are read (missing).
    const rows = await this.use(
      `reading ${sym.id} ${interval}`,
      (sql) => sql`select c.version, exists (select 1 from bars b where b.symbol = c.symbol and b.interval = c.interval) as present
        from catalog c where c.symbol = ${sym.id} and c.interval = ${interval}`,
    );
    const version = rows[0]?.version as string | undefined;
    if (version !== undefined && rows[0]?.present === true && known(version)) return { kind: "unchanged", path: this.where(sym, interval), sha256: version };
    return this.read(sym, interval, entry);
  }

  /** The checks answered in SQL for every series asked (see pushdown.ts), each at its catalog version; uncataloged ones absent. */
  async checkInSql(series: readonly PushdownRequest[], sessions: readonly Float64Array[]): Promise<Map<string, PushedEvidence>> {
    await this.assertReady();
    return this.use(`checking ${series.length} series in SQL`, (sql) => pushdownQueries(sql, series, sessions));
  }

  async readParquet(sym: SymbolId, interval: Interval): Promise<{ path: string; bytes: Uint8Array; sha256: string } | undefined> {
    const r = await this.read(sym, interval, undefined);
    if (r.kind !== "ok" && r.kind !== "uncataloged") return undefined;
    await initParquet();
    return { path: r.stored.path, bytes: encodeBars(r.stored.bars), sha256: r.stored.sha256 };
  }

  async commitPending(): Promise<boolean> {
    return false; // a commit is a transaction: never seen half-done
  }

  async openWriter(req: WriterRequest): Promise<StoreWriter> {
    await this.assertReady();
    await initParquet(); // quarantine evidence is kept as Parquet bytes
    return PgWriter.open(this, req);
  }

  async readQuarantine(onBad: (name: string, why: string) => void): Promise<QuarantineEvidence[]> {
    await this.assertReady();
    const rows = await this.use(
      "reading the quarantine",
      (sql) => sql`select name, symbol, interval, quarantined_at, reason, parquet from quarantine order by name`,
    );
    if (rows.length) await initParquet();
    const out: QuarantineEvidence[] = [];
    for (const r of rows) {
      const name = r.name as string;
      const interval = r.interval as string;
      if (!isInterval(interval)) {
        onBad(name, `unknown interval "${interval}"`);
        continue;
      }
      try {
        const bars = decodeBars(new Uint8Array(r.parquet as Uint8Array), `quarantine ${name}`);
        const reason = r.reason as Record<string, unknown>;
        // The stamp as the writer was given it (its name carries it), which the reasons record; the column is its instant.
        const stamp = typeof reason.quarantinedAt === "string" ? reason.quarantinedAt : (r.quarantined_at as Date).toISOString();
        out.push({ name, symbol: r.symbol as string, interval, stamp, reason, bars });
      } catch (err) {
        onBad(name, (err as Error).message);
      }
    }
    return out;
  }

  async appendRun(record: RunRecord): Promise<void> {
    await this.assertReady();
    const doc = JSON.parse(JSON.stringify(record, (_k, v) => redactValue(v)));
    await this.use(
      "appending the run record",
      (sql) => sql`insert into runs (run_id, command, record) values (${record.runId}, ${record.command}, ${sql.json(doc)})`,
    );
  }

  async assertRunsAppendable(): Promise<void> {
    await this.assertReady();
    const ok = await this.use("checking the runs table", (sql) => sql`select has_table_privilege('runs', 'INSERT') as ok`);
    if (!ok[0]?.ok) throw new InputError(`PostgreSQL store ${this.location}: this role cannot insert into runs`, "grant INSERT on runs, or use another role");
  }

  async readRuns(): Promise<RunRecord[]> {
    await this.assertReady();
    const rows = await this.use("reading run records", (sql) => sql`select record from runs order by id`);
    return rows.map((r) => r.record as RunRecord).filter((r) => r?.schema === "dqctl.run/v1");
  }

  async appendMetrics(rows: readonly MetricRow[]): Promise<void> {
    if (!rows.length) return;
    await this.assertReady();
    const values = rows.map((r) => ({
      run_id: r.runId,
      command: r.command,
      at: new Date(r.at),
      vendor: r.vendor,
      symbol: r.symbol,
      interval: r.interval,
      metric: r.metric,
      value: r.value,
    }));
    // One statement: the run's rows land together or not at all.
    await this.use("appending metrics", (sql) => sql`insert into metrics ${sql(values)}`);
  }

  async readMetrics(filter: MetricFilter = {}): Promise<MetricRow[]> {
    await this.assertReady();
    const { sinceMs, beforeMs, symbols, metrics, commands } = filter;
    // Every condition in SQL (the table's (at) index serves the since-window); metricMatches is the same filter.
    const rows = await this.use("reading metrics", (sql) => {
      const where = [
        ...(sinceMs !== undefined ? [sql`at >= ${new Date(sinceMs)}`] : []),
        ...(beforeMs !== undefined ? [sql`at < ${new Date(beforeMs)}`] : []),
        ...(symbols?.length ? [sql`symbol = any(${sql.array([...symbols])})`] : []),
        ...(metrics?.length ? [sql`metric = any(${sql.array([...metrics])})`] : []),
        ...(commands?.length ? [sql`command = any(${sql.array([...commands])})`] : []),
      ];
      const cond = where.reduce((a, w, i) => (i === 0 ? sql`where ${w}` : sql`${a} and ${w}`), sql``);
      return sql`select run_id, command, at, vendor, symbol, interval, metric, value from metrics ${cond} order by at, id`;
    });
    return rows
      .map((r) => ({
        runId: r.run_id as string,
        command: r.command as string,
        at: (r.at as Date).getTime(),
        vendor: r.vendor as string,
        symbol: r.symbol as string,
        interval: r.interval as string,
        metric: r.metric as string,
        value: Number(r.value),
      }))
      .filter((r) => metricMatches(r, filter));
  }

  async readSymbols(): Promise<SymbolVersion[]> {
    await this.assertReady();
    return this.use("reading the symbol history", (sql) => selectSymbols(sql));
  }

  async readFeatures(set: string, filter?: FeatureFilter): Promise<FeatureRow[]> {
    await this.assertReady();
    return this.use(`reading features ${set}`, (sql) => selectFeatures(sql, set, filter));
  }

  async readDoc(name: string): Promise<unknown> {
    await this.assertReady();
    const rows = await this.use(`reading ${name}`, (sql) => sql`select doc from documents where name = ${name}`);
    return rows[0]?.doc;
  }

  async writeDoc(name: string, doc: unknown): Promise<void> {
    await this.assertReady();
    await this.use(
      `writing ${name}`,
      (sql) =>
        sql`insert into documents (name, doc) values (${name}, ${sql.json(doc as never)}) on conflict (name) do update set doc = excluded.doc, written_at = now()`,
    );
  }

  openOutbox(maxBytes: number): Outbox {
    return new PgOutbox(this, maxBytes);
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await c?.end({ timeout: 2 });
  }
}

/** A catalog from its rows. */
export function catalogOf(location: string, rows: readonly { entry?: unknown }[]): Catalog {
  const cat = new Catalog(location);
  for (const r of rows) cat.set(r.entry as CatalogEntry);
  return cat;
}

/** A registry from its rows. */
export function healthOf(location: string, rows: readonly { symbol?: unknown; entry?: unknown }[]): HealthRegistry {
  const h = HealthRegistry.empty(location);
  for (const r of rows) h.set(r.symbol as string, r.entry as HealthEntry);
  return h;
}
