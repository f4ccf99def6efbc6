// The storage seam. Everything the core reads or writes about stored bars goes through a `Store`, handed in through
// the RunContext: the Parquet lakehouse (src/lakehouse/) is one implementation and the embedded default,
// PostgreSQL (src/store/postgres/) another. No command or check knows which one it runs on.
//
// A series' **version** is what its catalog entry records in `sha256`: a string that changes whenever the stored
// bars change and that a reader can compare against what it read. The lakehouse uses the file's sha256 (a file
// changed outside dqctl is then `corrupt`); PostgreSQL uses a sha256 over the bars' canonical columns (see
// contentVersion), computed by the writer in the commit's transaction.

import type { PushdownRequest, PushedEvidence } from "../checks/pushdown.ts";
import type { InputError } from "../errors.ts";
import type { FeatureFilter, FeatureRow } from "../features/rows.ts";
import type { Catalog, CatalogEntry } from "../lakehouse/catalog.ts";
import type { HealthEntry, HealthRegistry } from "../lakehouse/health.ts";
import type { LockHolder } from "../lakehouse/lock-holder.ts";
import type { RunRecord } from "../lakehouse/runs.ts";
import type { MetricFilter, MetricRow } from "../metrics/types.ts";
import type { Bars } from "../model/bars.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { Outbox } from "../stream/outbox.ts";
import type { SymbolVersion } from "../symbols/history.ts";

/** The claim a writer of the symbol history or of a feature set takes first (see StoreWriter.claim). */
export const REFERENCE_CLAIM = "@reference";

/** A series as read from a store, with its version (`sha256`, see above) and its stored size in bytes. */
export interface StoredSeries {
  /** Where it is, for messages: a file path, or `<store>#<symbol> <interval>`. */
  path: string;
  bars: Bars;
  sha256: string;
  size: number;
  /** The store's stamp of the bytes as read (see SeenVersion), when it has one. */
  stamp?: string;
}

/** A read checked against the catalog entry. */
export type GoldenRead =
  | { kind: "ok" | "uncataloged"; stored: StoredSeries }
  | { kind: "missing"; path: string }
  | { kind: "corrupt"; path: string; expected: string; actual: string; size: number }
  | { kind: "unreadable"; path: string; error: InputError; actual: string };

/** A series whose version is the one the caller already knows: not decoded. */
export interface UnchangedRead {
  kind: "unchanged";
  path: string;
  sha256: string;
  /** The store's stamp of the bytes as read (see SeenVersion), when it has one. */
  stamp?: string;
}

/**
 * What a caller saw of a series when it last read it: the store's stamp of its bytes (a lakehouse: the file's inode,
 * size, mtime and ctime, all of which a write changes) and the version they had. While the stamp is the same the
 * bytes are, so a store may answer `unchanged` without reading them again.
 */
export interface SeenVersion {
  stamp: string;
  version: string;
}

/** What a lock holder's recovery pass needs from the outside: how to profile an adopted series, and where to log. */
export interface RecoveryContext {
  profileOf(sym: SymbolId): string;
  now: Date;
  log(msg: string): void;
}

/** How to take the write lock: who asks, how long to wait, what recovery needs, whom to tell about waiting. */
export interface WriterRequest {
  command: string;
  waitMs: number;
  recovery: RecoveryContext;
  onWait?: (holder: LockHolder) => void;
}

/**
 * A store opened for writing, holding its lock, with the catalog and registry as they are under it. Changes are
 * staged (series, quarantine evidence, touched catalog and registry entries) and land together at `commit`: after
 * a crash at any instant a reader finds the previous state or the whole commit, never a mix.
 */
export interface StoreWriter {
  readonly catalog: Catalog;
  readonly health: HealthRegistry;
  /**
   * Claim a symbol before reading it for a write: a store with per-series locks waits for (or refuses, past the
   * wait) another writer of the same symbol and refreshes that symbol's catalog and registry entries; a store with
   * one lock for everything already holds it.
   */
  claim(symbol: string): Promise<void>;
  /**
   * Stage the whole series; returns its version. `base`: the stored series `bars` was merged onto, as read under
   * this writer's claim. When `bars` only appends rows after it, a store may write just those (PostgreSQL: checked
   * against the stored version in the commit's transaction); what lands, and its atomicity, are the same either way.
   */
  stageSeries(sym: SymbolId, interval: Interval, bars: Bars, base?: StoredSeries): { sha256: string };
  /**
   * Stage toxic bars with the reasons into quarantine and return the evidence's name; bars already quarantined
   * under one of `known` (the registry's list) are not staged again: that name is returned.
   */
  stageQuarantine(sym: SymbolId, interval: Interval, bars: Bars, reason: Record<string, unknown>, stamp: string, known: readonly string[]): string;
  /** Mark a catalog entry as changed (set or deleted in `catalog`). */
  touchCatalog(symbol: string, interval: string): void;
  /** Mark a registry entry as changed. */
  touchHealth(symbol: string): void;
  /** Stage the whole symbol history: it replaces the stored one at `commit` (claim REFERENCE_CLAIM before reading it). */
  stageSymbols(history: readonly SymbolVersion[]): void;
  /** Stage every row of one date of a feature set: they replace that date's stored rows at `commit`. */
  stageFeatures(set: string, date: string, rows: readonly FeatureRow[]): void;
  /** Renew the lease and check the lock is still ours (throws a LockError when it was taken over). */
  heartbeat(): void;
  /**
   * Take over changes a Stager of this store staged on another thread (see Store.openStager) as if they had been
   * staged here; they land at the next `commit`. Only a store with `openStager` has it.
   */
  adopt?(changes: StagedChanges): void;
  /** Make everything staged durable together (a no-op when nothing is staged). */
  commit(): Promise<void>;
  /** Give the lock (and every claim) back. */
  release(): Promise<void>;
}

/** The staging half of a writer: what one series' commit calls (commitSeries). */
export type SeriesStager = Pick<StoreWriter, "catalog" | "health" | "stageSeries" | "stageQuarantine" | "touchCatalog" | "touchHealth">;

declare const staged: unique symbol;
/** Changes a Stager took: plain data (they cross a worker boundary) that only a writer of the same store adopts. */
export type StagedChanges = { readonly [staged]: true };

/**
 * Staging for one series without the lock, on a thread other than the writer's (a worker): the store stages what it
 * can there (the lakehouse writes the temp files), and the lock holder's writer adopts what `take` hands over.
 */
export interface Stager extends SeriesStager {
  /** Hand over what was staged since the last take, and forget it. */
  take(): StagedChanges;
  /** Remove what was staged and not taken (the job is run again on the writer's thread). */
  discard(): void;
}

/** One piece of quarantine evidence as a store holds it: its name (what registry and catalog entries list), whose bars they are, when they were quarantined (the stamp its name carries), the reasons and the bars. */
export interface QuarantineEvidence {
  name: string;
  symbol: string;
  interval: Interval;
  stamp: string;
  reason: Record<string, unknown>;
  bars: Bars;
}

/** What initialising a store did: its layout and schema version, the migrations applied now (none: it was current). */
export interface StoreInit {
  location: string;
  /** files: a lakehouse folder; table: PostgreSQL bars as a plain table; hypertable: a TimescaleDB hypertable. */
  layout: "files" | "table" | "hypertable";
  version: number;
  applied: number[];
}

/** What a store is now, read without writing anything (`dqctl doctor`). */
export interface StoreStatus {
  exists: boolean;
  /** True when writers refuse the store until `dqctl store init` (PostgreSQL); false when the first write creates it. */
  needsInit: boolean;
  /** The applied schema version (0: not initialised; a lakehouse folder: 1 once it exists). */
  version: number;
  /** The version this dqctl writes; `version` above it is a newer dqctl's store. */
  latest: number;
  /** Who holds the write lock (the lakehouse: its one lock; PostgreSQL: each claimed symbol's writer). */
  lockHolders: (LockHolder & { symbol?: string; stale?: string })[];
}

/** A bar store: series, catalog, health registry, quarantine, run records, and the lock that guards writes. */
export interface Store {
  /** What to reopen the same store from (another thread): a folder or a URL. May carry a secret: never print it. */
  readonly spec: string;
  /** Where the store is, for messages, lineage and manifests (a folder, or a URL without its password). */
  readonly location: string;
  /** The logical name of a series (its file name in the lakehouse; the same name in every store). */
  seriesName(sym: SymbolId, interval: Interval): string;
  /** Create the store, or bring its schema up to date (idempotent). */
  init(): Promise<StoreInit>;
  /** Whether it exists, its schema version and its lock holders, read without writing (doctor). */
  status(): Promise<StoreStatus>;
  /** True when the store exists (has been written to, or initialised). */
  exists(): Promise<boolean>;
  /** Refuse a store that does not exist (commands that only read). */
  assertExists(): Promise<void>;
  /** Refuse now, before any work, a store this process could not write (a read-only folder). */
  assertWritable(command: string, readOnlyFlag?: string): void;
  loadCatalog(): Promise<Catalog>;
  /**
   * Optional: a token that changes whenever `loadCatalog`'s answer can (any commit touching the catalog), far cheaper
   * to read than the catalog: the read-through cache serves a cached catalog only at the token of the store now.
   */
  catalogStamp?(): Promise<string>;
  loadHealth(): Promise<HealthRegistry>;
  /** Read one series and check it against its catalog entry (absent entry: `uncataloged` when it exists). */
  read(sym: SymbolId, interval: Interval, entry: CatalogEntry | undefined): Promise<GoldenRead>;
  /**
   * Like `read`, but a series whose version `known` accepts is not decoded (it is still checked to be there, to be
   * that version, and — in a lakehouse — to be a Parquet file at all). With `seen`, a series whose stamp is still the
   * one seen is taken to hold that version without its bytes being read.
   */
  readUnlessKnown(
    sym: SymbolId,
    interval: Interval,
    entry: CatalogEntry | undefined,
    known: (version: string) => boolean,
    seen?: SeenVersion,
  ): Promise<GoldenRead | UnchangedRead>;
  /** Optional: start, in the background, what reading series will need (a lakehouse: compiling its Parquet engine). */
  warmUp?(): void;
  /**
   * Optional: the checks this store answers in its own query language (src/checks/pushdown.ts) for every series of
   * `series` at once, keyed by pushdownKey, each at the version it was computed at (the caller uses it only when that
   * is the version it read); a series not stored is absent. `sessions` holds the calendar opens the requests' windows
   * point into (gap, coverage).
   */
  pushdown?(series: readonly PushdownRequest[], sessions: readonly Float64Array[]): Promise<Map<string, PushedEvidence>>;
  /** The series as Parquet bytes (a run folder's copy) with the version they were read at; undefined when absent. */
  readParquet(sym: SymbolId, interval: Interval): Promise<{ path: string; bytes: Uint8Array; sha256: string } | undefined>;
  /** True while a writer is between its commit point and the end of its commit (a reader may retry then). */
  commitPending(): Promise<boolean>;
  /** Take the write lock, recover what an interrupted writer left, and load catalog and registry under it. */
  openWriter(req: WriterRequest): Promise<StoreWriter>;
  /**
   * Optional: a Stager for one symbol, starting from its catalog entry and registry entry as the writer holds them
   * (another thread, under the writer's lock). A store without it is written on the writer's thread only.
   */
  openStager?(symbol: string, entry: CatalogEntry | undefined, health: HealthEntry | undefined): Stager;
  /**
   * Every piece of quarantine evidence, by name (`store copy`). One that cannot be read is reported through `onBad`
   * (its name and why) and skipped.
   */
  readQuarantine(onBad: (name: string, why: string) => void): Promise<QuarantineEvidence[]>;
  /** Append one run record (strings redacted); concurrent appenders never interleave. */
  appendRun(record: RunRecord): Promise<void>;
  /** Check, without writing, that a run record could be appended now. */
  assertRunsAppendable(): Promise<void>;
  /** Every complete run record; malformed ones are reported through `onBad` and skipped. */
  readRuns(onBad?: (line: number, text: string) => void): Promise<RunRecord[]>;
  /** Append one run's metric rows to the metric history: all of them land, or (killed) none. */
  appendMetrics(rows: readonly MetricRow[]): Promise<void>;
  /** The stored metric rows that pass `filter`, oldest first. */
  readMetrics(filter?: MetricFilter): Promise<MetricRow[]>;
  /** The symbol metadata history (SCD-2): every version, by symbol then valid_from; empty when none was recorded. */
  readSymbols(): Promise<SymbolVersion[]>;
  /** The rows of feature set `set` that pass `filter`, by date then symbol. */
  readFeatures(set: string, filter?: FeatureFilter): Promise<FeatureRow[]>;
  /** A cache document beside the data (e.g. the audit state): undefined when absent or unreadable. */
  readDoc(name: string): Promise<unknown>;
  /** Replace a cache document (atomic; not part of any commit). */
  writeDoc(name: string, doc: unknown): Promise<void>;
  /** The outbox where run events wait for the broker (src/stream/outbox.ts), bounded to `maxBytes`. */
  openOutbox(maxBytes: number): Outbox;
  /** Let go of connections (a no-op for files). */
  close(): Promise<void>;
}
