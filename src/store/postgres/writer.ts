// Writing to PostgreSQL: one reserved connection holds a session-level advisory lock per claimed symbol, so writers
// of different symbols proceed side by side and writers of the same symbol serialise (--wait-lock: how long to
// wait). Each staged series lands in one transaction: COPY into a staging table, then merge (a re-fetched bar
// replaces the stored one, bars no longer in the series go), with its catalog and registry rows. A killed process
// leaves the previous version, never a mix.
import { Buffer } from "node:buffer";
import { hostname } from "node:os";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReservedSql, Sql } from "postgres";
import { LockError } from "../../errors.ts";
import type { FeatureRow } from "../../features/rows.ts";
import { type Catalog, seriesKey } from "../../lakehouse/catalog.ts";
import type { HealthRegistry } from "../../lakehouse/health.ts";
import type { LockHolder } from "../../lakehouse/lock-holder.ts";
import { encodeBars } from "../../lakehouse/parquet.ts";
import { type Bars, barCount, extendsBars, sliceBars } from "../../model/bars.ts";
import type { Interval } from "../../model/interval.ts";
import { fileStem, type SymbolId } from "../../model/symbol.ts";
import type { SymbolVersion } from "../../symbols/history.ts";
import { contentVersion } from "../content.ts";
import type { StoredSeries, StoreWriter, WriterRequest } from "../types.ts";
import { isLost } from "./errors.ts";
import { replaceFeatures, replaceSymbols } from "./reference.ts";
import { copyText, STAGE_COLUMNS } from "./rows.ts";
import { catalogOf, healthOf, type PgStore } from "./store.ts";
import { inTransaction } from "./tx.ts";

/** The advisory-lock namespace of series claims (the first key of the two-int form). */
export const CLAIM_NS = 0x64710001;
const POLL_MS = 50;

interface StagedSeries {
  symbol: string;
  interval: Interval;
  bars: Bars;
  /** `bars` is the stored series at `version` (its first `rows` rows) with rows after it: only those need writing. */
  appends?: { version: string; rows: number };
}

interface StagedQuarantine {
  name: string;
  symbol: string;
  interval: Interval;
  stamp: string;
  version: string;
  reason: Record<string, unknown>;
  parquet: Uint8Array;
}

/** The staging table a series' bars are COPYed into (one per session; emptied at each commit). */
const STAGE_TABLE =
  "create temp table if not exists bars_stage (ts_ms bigint not null, open float8, high float8, low float8, close float8, volume float8, adj_close float8, dividend float8, split_factor float8) on commit delete rows";

/** A PostgreSQL store held for writing. */
export class PgWriter implements StoreWriter {
  private readonly claimed = new Set<string>();
  private series = new Map<string, StagedSeries>();
  private quarantines: StagedQuarantine[] = [];
  /** The error that lost the connection: the server rolled back and freed the claims; nothing more is sent on it. */
  private lost: unknown;
  private readonly catalogKeys = new Set<string>();
  private readonly healthSymbols = new Set<string>();
  private symbols: readonly SymbolVersion[] | undefined;
  private features = new Map<string, { set: string; date: string; rows: readonly FeatureRow[] }>();

  private constructor(
    private readonly store: PgStore,
    private readonly conn: ReservedSql,
    private readonly req: WriterRequest,
    readonly catalog: Catalog,
    readonly health: HealthRegistry,
    /** Quarantine evidence by name: its content version (same bars are never quarantined twice). */
    private readonly quarantined: Map<string, string>,
  ) {}

  static async open(store: PgStore, req: WriterRequest): Promise<PgWriter> {
    return store.use("opening a write session", async (sql: Sql) => {
      const conn = await sql.reserve();
      try {
        // Who holds this connection's claims, for a writer that has to wait (see holderOf).
        await conn`select set_config('application_name', ${`dqctl ${req.command} pid ${process.pid} host ${hostname()}`.slice(0, 63)}, false)`;
        // The staging table lives as long as the session (created here, outside any transaction a rollback could undo).
        const [cat, health, q] = await Promise.all([
          conn`select entry from catalog`,
          conn`select symbol, entry from health`,
          conn`select name, version from quarantine`,
          conn.unsafe(STAGE_TABLE),
        ]);
        const known = new Map(q.map((r) => [r.name as string, r.version as string]));
        return new PgWriter(store, conn, req, catalogOf(store.location, cat), healthOf(store.location, health), known);
      } catch (err) {
        conn.release();
        throw err;
      }
    });
  }

  async claim(symbol: string): Promise<void> {
    if (this.claimed.has(symbol)) return;
    await this.store.use(`claiming ${symbol}`, () =>
      this.connected(async () => {
        const deadline = Date.now() + this.req.waitMs;
        let told = false;
        for (;;) {
          const [r] = await this.conn`select pg_try_advisory_lock(${CLAIM_NS}, hashtext(${this.store.claimKey(symbol)})) as ok`;
          if (r?.ok) break;
          const holder = await this.holderOf(symbol);
          if (Date.now() >= deadline) {
            const who = holder ? `pid ${holder.pid} on ${holder.host} (${holder.command})` : "another writer";
            throw new LockError(`${symbol}: being written to ${this.store.location} by ${who}`, "wait for it to finish, or pass --wait-lock 5m");
          }
          if (!told && holder) this.req.onWait?.(holder);
          told = true;
          await new Promise((res) => setTimeout(res, POLL_MS));
        }
        this.claimed.add(symbol);
        // What another writer committed before the claim is what this one builds on.
        const [cat, health, q] = await Promise.all([
          this.conn`select entry from catalog where symbol = ${symbol}`,
          this.conn`select symbol, entry from health where symbol = ${symbol}`,
          this.conn`select name, version from quarantine where symbol = ${symbol}`,
        ]);
        for (const e of this.catalog.all()) if (e.symbol === symbol) this.catalog.delete(symbol, e.interval);
        for (const e of catalogOf(this.store.location, cat).all()) this.catalog.set(e);
        const h = healthOf(this.store.location, health).get(symbol);
        if (h) this.health.set(symbol, h);
        for (const r of q) this.quarantined.set(r.name as string, r.version as string);
      }),
    );
  }

  /** Who holds a symbol's claim: parsed from the holder's application name (set by open). */
  private async holderOf(symbol: string): Promise<LockHolder | undefined> {
    const rows = await this.conn`
      select a.pid, a.application_name, a.backend_start from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database()) and l.classid = ${CLAIM_NS}::oid and l.objid = hashtext(${this.store.claimKey(symbol)})::oid limit 1`;
    const r = rows[0];
    if (!r) return undefined;
    const m = /^dqctl (\S+) pid (\d+) host (\S+)/.exec(String(r.application_name));
    return {
      pid: m ? Number(m[2]) : Number(r.pid),
      host: m?.[3] ?? "?",
      command: m?.[1] ?? String(r.application_name),
      since: new Date(r.backend_start as string).toISOString(),
    };
  }

  stageSeries(sym: SymbolId, interval: Interval, bars: Bars, base?: StoredSeries): { sha256: string } {
    const appends = base && barCount(base.bars) > 0 && extendsBars(base.bars, bars) ? { version: base.sha256, rows: barCount(base.bars) } : undefined;
    this.series.set(seriesKey(sym.id, interval), { symbol: sym.id, interval, bars, ...(appends ? { appends } : {}) });
    this.healthSymbols.add(sym.id);
    return { sha256: contentVersion(bars) };
  }

  stageQuarantine(sym: SymbolId, interval: Interval, bars: Bars, reason: Record<string, unknown>, stamp: string, known: readonly string[]): string {
    const version = contentVersion(bars);
    const same = known.find((name) => this.quarantined.get(name) === version);
    if (same) return same;
    const name = `${this.store.location}#quarantine/${fileStem(sym, interval)}.${stamp.replace(/[:.]/g, "")}.parquet`;
    this.quarantines.push({ name, symbol: sym.id, interval, stamp, version, reason, parquet: encodeBars(bars) });
    this.quarantined.set(name, version);
    this.healthSymbols.add(sym.id);
    return name;
  }

  touchCatalog(symbol: string, interval: string): void {
    this.catalogKeys.add(seriesKey(symbol, interval));
  }

  touchHealth(symbol: string): void {
    this.healthSymbols.add(symbol);
  }

  stageSymbols(history: readonly SymbolVersion[]): void {
    this.symbols = history;
  }

  stageFeatures(set: string, date: string, rows: readonly FeatureRow[]): void {
    this.features.set(`${set}/${date}`, { set, date, rows });
  }

  /** Claims are session locks on the reserved connection: while it is open they hold, and no lease needs renewing. */
  heartbeat(): void {}

  async commit(): Promise<void> {
    const reference = this.symbols !== undefined || this.features.size > 0;
    if (!this.series.size && !this.quarantines.length && !this.catalogKeys.size && !this.healthSymbols.size && !reference) return;
    await this.store.use("committing", async () => {
      for (const [key, s] of this.series) {
        await this.transaction(async () => {
          await this.mergeSeries(s);
          await this.writeRows(
            (k) => k === key,
            (sym) => sym === s.symbol,
          );
        });
        this.series.delete(key);
      }
      await this.transaction(async () => {
        await this.writeRows(
          () => true,
          () => true,
        );
        // The symbol history and every staged feature date land together with the rest, or not at all.
        if (this.symbols !== undefined) await replaceSymbols(this.conn, this.symbols);
        for (const f of this.features.values()) await replaceFeatures(this.conn, f.set, f.date, f.rows);
      });
      this.symbols = undefined;
      this.features.clear();
    });
  }

  private transaction(fn: () => Promise<void>): Promise<void> {
    return this.connected(() => inTransaction(this.conn, "", fn));
  }

  /**
   * Run `fn` on the connection, remembering when it was lost; on a lost connection refuse at once, sending nothing
   * (every later step fails as the first did: see tx.ts).
   */
  private async connected<T>(fn: () => Promise<T>): Promise<T> {
    if (this.lost !== undefined) throw this.lost;
    try {
      return await fn();
    } catch (err) {
      if (isLost(err)) this.lost = err;
      throw err;
    }
  }

  /**
   * The series' bars replace what is stored: COPY into a staging table, delete what is gone, upsert the rest. A
   * series staged as appending to the version that is still the catalog's (row-locked until the commit) copies and
   * inserts only the rows after it: nothing stored is gone or changed.
   */
  private async mergeSeries(s: StagedSeries): Promise<void> {
    const c = this.conn;
    const now = s.appends && (await c`select version from catalog where symbol = ${s.symbol} and interval = ${s.interval} for update`)[0]?.version;
    const tail = s.appends && now === s.appends.version ? sliceBars(s.bars, s.appends.rows, barCount(s.bars)) : undefined;
    const w = await c.unsafe(`copy bars_stage (${STAGE_COLUMNS}) from stdin`).writable();
    await pipeline(Readable.from(copyText(tail ?? s.bars)), w);
    const ts = "timestamptz 'epoch' + s.ts_ms * interval '1 millisecond'";
    // Sent together (in this order, on this connection): one round trip.
    await Promise.all([
      tail
        ? undefined
        : c`delete from bars b where b.symbol = ${s.symbol} and b.interval = ${s.interval}
      and not exists (select 1 from bars_stage s where timestamptz 'epoch' + s.ts_ms * interval '1 millisecond' = b.ts)`,
      c.unsafe(
        `insert into bars (symbol, interval, ts, open, high, low, close, volume, adj_close, dividend, split_factor)
       select $1, $2, ${ts}, s.open, s.high, s.low, s.close, s.volume, s.adj_close, s.dividend, s.split_factor from bars_stage s
       on conflict (symbol, interval, ts) do update set open = excluded.open, high = excluded.high, low = excluded.low,
         close = excluded.close, volume = excluded.volume, adj_close = excluded.adj_close, dividend = excluded.dividend,
         split_factor = excluded.split_factor
       where (bars.open, bars.high, bars.low, bars.close, bars.volume, bars.adj_close, bars.dividend, bars.split_factor)
         is distinct from (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume, excluded.adj_close, excluded.dividend, excluded.split_factor)`,
        [s.symbol, s.interval],
      ),
    ]);
  }

  /** Write the touched catalog rows, registry rows and quarantine evidence that `key`/`symbol` select, and forget them. */
  private async writeRows(key: (k: string) => boolean, symbol: (s: string) => boolean): Promise<void> {
    const c = this.conn;
    // Every statement is sent at once, in this order, on this connection (one round trip); the first failure is the error.
    const sent: Promise<unknown>[] = [];
    const keys = [...this.catalogKeys].filter(key);
    for (const k of keys) {
      const e = this.catalog.byKey(k);
      const [sym, iv] = [k.slice(0, k.lastIndexOf("@")), k.slice(k.lastIndexOf("@") + 1)];
      if (!e) sent.push(c`delete from catalog where symbol = ${sym} and interval = ${iv}`);
      else
        sent.push(c`insert into catalog (symbol, interval, version, rows, first_ts, last_ts, entry)
          values (${e.symbol}, ${e.interval}, ${e.sha256}, ${e.rows}, ${e.start}, ${e.end}, ${c.json(e as never)})
          on conflict (symbol, interval) do update set version = excluded.version, rows = excluded.rows,
            first_ts = excluded.first_ts, last_ts = excluded.last_ts, entry = excluded.entry`);
    }
    for (const q of this.quarantines.filter((q) => symbol(q.symbol))) {
      sent.push(c`insert into quarantine (name, symbol, interval, quarantined_at, version, reason, parquet)
        values (${q.name}, ${q.symbol}, ${q.interval}, ${q.stamp}, ${q.version}, ${c.json(q.reason as never)}, ${Buffer.from(q.parquet)})
        on conflict (name) do nothing`);
    }
    const symbols = [...this.healthSymbols].filter(symbol);
    for (const s of symbols) {
      const e = this.health.get(s);
      if (e) sent.push(c`insert into health (symbol, entry) values (${s}, ${c.json(e as never)}) on conflict (symbol) do update set entry = excluded.entry`);
    }
    await Promise.all(sent);
    for (const k of keys) this.catalogKeys.delete(k);
    this.quarantines = this.quarantines.filter((q) => !symbol(q.symbol));
    for (const s of symbols) this.healthSymbols.delete(s);
  }

  async release(): Promise<void> {
    try {
      // A lost connection's session locks went with it (and nothing may be sent on it: see tx.ts).
      if (this.claimed.size && this.lost === undefined) await this.conn`select pg_advisory_unlock_all()`;
    } catch {
      // a connection that is gone holds no locks any more
    } finally {
      this.conn.release();
    }
  }
}
