import { type BigIntStats, existsSync, lstatSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../errors.ts";
import type { FeatureFilter, FeatureRow } from "../features/rows.ts";
import type { MetricFilter, MetricRow } from "../metrics/types.ts";
import type { Bars } from "../model/bars.ts";
import type { Interval } from "../model/interval.ts";
import { fileStem, type SymbolId } from "../model/symbol.ts";
import type {
  GoldenRead,
  QuarantineEvidence,
  RecoveryContext,
  SeenVersion,
  Stager,
  Store,
  StoredSeries,
  StoreInit,
  StoreStatus,
  StoreWriter,
  UnchangedRead,
  WriterRequest,
} from "../store/types.ts";
import type { Outbox } from "../stream/outbox.ts";
import type { SymbolVersion } from "../symbols/history.ts";
import { writeJsonAtomic } from "./atomic.ts";
import { Catalog, type CatalogEntry } from "./catalog.ts";
import { type HealthEntry, HealthRegistry } from "./health.ts";
import { journalPending, sha256 } from "./journal.ts";
import { acquireLock, type Lock, type LockHolder, lockHolders } from "./lock.ts";
import { appendMetricFile, readMetricFiles } from "./metrics.ts";
import { FileOutbox } from "./outbox.ts";
import { compileParquet, decodeBars, encodeBars, initParquet, parquetShapeError } from "./parquet.ts";
import { readQuarantineDir } from "./quarantine.ts";
import { isRealDir, METRICS_DIR, recoverLakehouse, unlistedFiles } from "./recover.ts";
import { readFeatureParts, readSymbolsFile } from "./reference-tables.ts";
import { appendRunRecord, assertRunsAppendable, type RunRecord, readRunRecords } from "./runs.ts";
import { StampCache, stampOf } from "./stamps.ts";
import { assertWritableFolder } from "./writable.ts";
import { LakehouseStager, LakehouseWriter } from "./writer.ts";

export type { GoldenRead, RecoveryContext, StoredSeries } from "../store/types.ts";
export { seriesRange } from "./catalog.ts";
export { sha256 };

/** A golden file read and hashed but not decoded (or missing, or not what the catalog recorded). */
export type HashedRead =
  | Extract<GoldenRead, { kind: "missing" | "corrupt" }>
  | { kind: "hashed"; path: string; bytes: Uint8Array; sha256: string; stamp: string };

/** The Parquet lakehouse: files, catalog, health registry, quarantine, lock. */
export class Lakehouse implements Store {
  readonly catalogPath: string;
  readonly healthPath: string;
  readonly quarantineDir: string;

  readonly spec: string;
  readonly location: string;
  /** Stamps of files hashed or landed (saved by the lock holder): an unchanged file is not read again. */
  readonly stamps: StampCache;

  constructor(readonly root: string) {
    this.spec = root;
    this.root = resolve(root);
    this.location = this.root;
    this.catalogPath = join(this.root, "catalog.json");
    this.healthPath = join(this.root, "foundation_health.json");
    this.quarantineDir = join(this.root, "quarantine");
    this.stamps = new StampCache(this.root);
  }

  /** Refuse a lakehouse folder that does not exist (commands that only read). */
  assertFolder(): void {
    if (!existsSync(this.root) || !statSync(this.root).isDirectory()) {
      throw new InputError(
        `lakehouse folder not found: ${this.root}`,
        "run `dqctl ingest` first, or point --lakehouse (or DQCTL_LAKEHOUSE) at an existing lakehouse",
      );
    }
  }

  /** Create the folder when absent (commands that write). */
  ensure(): void {
    mkdirSync(this.root, { recursive: true });
  }

  /**
   * Take the single-writer lock, then recover: roll a committed journal forward, move files of earlier versions to
   * their one-to-one names, adopt golden files the catalog does not list, and sweep temp files of dead writers.
   */
  async lock(command: string, waitMs: number, recovery: RecoveryContext, onWait?: (h: LockHolder) => void): Promise<Lock> {
    this.ensure();
    const lock = await acquireLock(this.root, command, waitMs, onWait);
    try {
      // The Parquet engine (~0.1 s to compile) only when recovery may decode: an orphan to adopt, or a journal.
      const catalog = this.catalog();
      if (journalPending(this.root) || unlistedFiles(this, catalog).length) await initParquet();
      recoverLakehouse(this, recovery, catalog);
    } catch (err) {
      lock.release();
      throw err;
    }
    return lock;
  }

  fileName(sym: SymbolId, interval: Interval): string {
    return `${fileStem(sym, interval)}.parquet`;
  }

  pathFor(sym: SymbolId, interval: Interval): string {
    return join(this.root, this.fileName(sym, interval));
  }

  /** True when `rel` (a path relative to the root) is a regular file. */
  isFile(rel: string): boolean {
    try {
      return lstatSync(join(this.root, rel)).isFile();
    } catch {
      return false;
    }
  }

  /** Read one series, or undefined when the file does not exist. Corrupt files throw InputError. */
  async readFile(sym: SymbolId, interval: Interval): Promise<StoredSeries | undefined> {
    await initParquet();
    return this.readSync(sym, interval);
  }

  /** Synchronous read (after initParquet) of the series' file, or of `rel` (a catalog entry's path). Unreadable files throw InputError. */
  readSync(sym: SymbolId, interval: Interval, rel?: string): StoredSeries | undefined {
    const raw = this.readBytes(sym, interval, rel);
    if (!raw) return undefined;
    return { path: raw.path, bars: decodeBars(raw.bytes, `${sym.id} ${interval}: ${raw.path}`), sha256: sha256(raw.bytes), size: raw.bytes.length };
  }

  /**
   * Read a series and check it against its catalog entry: a file whose hash is not the one the catalog recorded was
   * changed outside dqctl (every dqctl commit records the hash before the file lands), so it is `corrupt` and its
   * content is not decoded, let alone trusted.
   */
  readChecked(sym: SymbolId, interval: Interval, entry: CatalogEntry | undefined): GoldenRead {
    const r = this.readHashed(sym, interval, entry);
    return r.kind === "hashed" ? this.decodeHashed(sym, interval, r, entry !== undefined) : r;
  }

  /** Read and hash a golden file without decoding it (the incremental audit decodes only files it has not seen). */
  readHashed(sym: SymbolId, interval: Interval, entry: CatalogEntry | undefined): HashedRead {
    const raw = this.readBytes(sym, interval, entry?.path);
    if (!raw) return { kind: "missing", path: entry ? join(this.root, entry.path) : this.pathFor(sym, interval) };
    const hash = sha256(raw.bytes);
    if (entry && entry.sha256 !== hash) return { kind: "corrupt", path: raw.path, expected: entry.sha256, actual: hash, size: raw.bytes.length };
    return { kind: "hashed", path: raw.path, bytes: raw.bytes, sha256: hash, stamp: raw.stamp };
  }

  /** Decode a file readHashed read: its bars, or `unreadable`. */
  decodeHashed(sym: SymbolId, interval: Interval, r: Extract<HashedRead, { kind: "hashed" }>, cataloged: boolean): GoldenRead {
    try {
      const bars = decodeBars(r.bytes, `${sym.id} ${interval}: ${r.path}`);
      return { kind: cataloged ? "ok" : "uncataloged", stored: { path: r.path, bars, sha256: r.sha256, size: r.bytes.length, stamp: r.stamp } };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return { kind: "unreadable", path: r.path, error: err, actual: r.sha256 };
    }
  }

  private readBytes(sym: SymbolId, interval: Interval, rel?: string): { path: string; bytes: Uint8Array; stamp: string } | undefined {
    const at = this.statFile(sym, interval, rel);
    return at && { path: at.path, bytes: readFileSync(at.path), stamp: at.stamp };
  }

  /** Where a series' file is and its stamp (stampOf), or undefined when it does not exist; anything but a plain file throws. */
  private statFile(sym: SymbolId, interval: Interval, rel?: string): { path: string; stamp: string } | undefined {
    const path = rel ? join(this.root, rel) : this.pathFor(sym, interval);
    let st: BigIntStats;
    try {
      st = lstatSync(path, { bigint: true });
    } catch {
      return undefined;
    }
    if (!st.isFile())
      throw new InputError(`${sym.id} ${interval}: ${path} is not a regular file`, "golden files are plain files written by dqctl; move it away");
    return { path, stamp: stampOf(st) };
  }

  /** Encode a series for the lakehouse (the bytes a commit stages). */
  encode(bars: Bars): Uint8Array {
    return encodeBars(bars);
  }

  /** Quarantine evidence files for a toxic series: the bars and the reasons, as [relative path, bytes] pairs. */
  quarantineFiles(
    sym: SymbolId,
    interval: Interval,
    bars: Bars,
    reason: Record<string, unknown>,
    stamp: string,
  ): { parquet: string; files: [string, Uint8Array | string][] } {
    if (existsSync(this.quarantineDir) && !isRealDir(this.quarantineDir)) {
      throw new InputError(
        `${this.quarantineDir} is not a folder of the lakehouse (a symbolic link or a file)`,
        "dqctl never writes through links: replace it with a real folder",
      );
    }
    mkdirSync(this.quarantineDir, { recursive: true });
    const base = `quarantine/${fileStem(sym, interval)}.${stamp.replace(/[:.]/g, "")}`;
    return {
      parquet: join(this.root, `${base}.parquet`),
      files: [
        [`${base}.parquet`, encodeBars(bars)],
        [`${base}.reason.json`, `${JSON.stringify(reason, null, 2)}\n`],
      ],
    };
  }

  /** The file among `files` (quarantine paths) whose bytes are exactly `bytes`, if one still exists. */
  sameQuarantined(files: readonly string[], bytes: Uint8Array): string | undefined {
    const want = sha256(bytes);
    for (const f of files) {
      try {
        const got = readFileSync(f);
        if (got.length === bytes.length && sha256(got) === want) return f;
      } catch {
        // gone or unreadable: not the evidence of these bars
      }
    }
    return undefined;
  }

  // ---- Store ----

  seriesName(sym: SymbolId, interval: Interval): string {
    return this.fileName(sym, interval);
  }

  /** A lakehouse is a folder: creating it is all there is to initialise (its files carry their own format). */
  async init(): Promise<StoreInit> {
    this.ensure();
    return { location: this.location, layout: "files", version: 1, applied: [] };
  }

  async exists(): Promise<boolean> {
    return existsSync(this.root);
  }

  async status(): Promise<StoreStatus> {
    const exists = existsSync(this.root);
    return { exists, needsInit: false, version: exists ? 1 : 0, latest: 1, lockHolders: exists ? lockHolders(this.root) : [] };
  }

  async assertExists(): Promise<void> {
    this.assertFolder();
  }

  assertWritable(command: string, readOnlyFlag?: string): void {
    assertWritableFolder(command, this.spec, readOnlyFlag);
  }

  async loadCatalog(): Promise<Catalog> {
    return this.catalog();
  }

  /** catalog.json's path and stamp (stampOf): every commit renames a new file over it, so a commit changes it. */
  async catalogStamp(): Promise<string> {
    const st = statSync(this.catalogPath, { bigint: true, throwIfNoEntry: false });
    return `${resolve(this.catalogPath)}@${st ? stampOf(st) : "absent"}`;
  }

  async loadHealth(): Promise<HealthRegistry> {
    return this.health();
  }

  async read(sym: SymbolId, interval: Interval, entry: CatalogEntry | undefined): Promise<GoldenRead> {
    await initParquet();
    return this.readChecked(sym, interval, entry);
  }

  warmUp(): void {
    // A failed compile surfaces, typed, where the engine is first awaited; here it is only started.
    compileParquet().catch(() => undefined);
  }

  async readUnlessKnown(
    sym: SymbolId,
    interval: Interval,
    entry: CatalogEntry | undefined,
    known: (version: string) => boolean,
    seen?: SeenVersion,
  ): Promise<GoldenRead | UnchangedRead> {
    // A file whose stamp is the one seen holds the bytes seen: not read, not hashed again (a no-change audit stats only).
    // Without a caller's own memory, the writer's (stamps.ts) stands in.
    const rel = entry?.path ?? this.fileName(sym, interval);
    seen ??= this.stamps.get(rel);
    if (seen && (!entry || entry.sha256 === seen.version) && known(seen.version)) {
      const at = this.statFile(sym, interval, entry?.path);
      if (at?.stamp === seen.stamp) return { kind: "unchanged", path: at.path, sha256: seen.version, stamp: at.stamp };
    }
    const r = this.readHashed(sym, interval, entry);
    if (r.kind !== "hashed") return r;
    if (known(r.sha256)) {
      // Not decoded, but a file that is not Parquet at all is unreadable whatever version it claims to be.
      const shape = parquetShapeError(r.bytes, `${sym.id} ${interval}: ${r.path}`);
      if (shape) return { kind: "unreadable", path: r.path, error: shape, actual: r.sha256 };
      this.stamps.note(rel, r.stamp, r.sha256); // only a file that passed: a noted stamp skips this check too
      return { kind: "unchanged", path: r.path, sha256: r.sha256, stamp: r.stamp };
    }
    await initParquet();
    const read = this.decodeHashed(sym, interval, r, entry !== undefined);
    if (read.kind === "ok" || read.kind === "uncataloged") this.stamps.note(rel, r.stamp, r.sha256);
    return read;
  }

  async readParquet(sym: SymbolId, interval: Interval): Promise<{ path: string; bytes: Uint8Array; sha256: string } | undefined> {
    const raw = this.readBytes(sym, interval);
    return raw && { ...raw, sha256: sha256(raw.bytes) };
  }

  async commitPending(): Promise<boolean> {
    return journalPending(this.root);
  }

  async openWriter(req: WriterRequest): Promise<StoreWriter> {
    const lock = await this.lock(req.command, req.waitMs, req.recovery, req.onWait);
    try {
      return new LakehouseWriter(this, lock, this.catalog(), this.health());
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** A worker's staging for one symbol: its temp files are written beside their targets, not synced (see Batch.flush). */
  openStager(symbol: string, entry: CatalogEntry | undefined, health: HealthEntry | undefined): Stager {
    const catalog = new Catalog(this.catalogPath);
    if (entry) catalog.set(entry);
    return new LakehouseStager(this, catalog, HealthRegistry.of(this.healthPath, health ? { [symbol]: health } : {}));
  }

  async appendRun(record: RunRecord): Promise<void> {
    appendRunRecord(this.root, record);
  }

  async assertRunsAppendable(): Promise<void> {
    assertRunsAppendable(this.root);
  }

  async readQuarantine(onBad: (name: string, why: string) => void): Promise<QuarantineEvidence[]> {
    return readQuarantineDir(this.quarantineDir, onBad);
  }

  async readRuns(onBad?: (line: number, text: string) => void): Promise<RunRecord[]> {
    return readRunRecords(this.root, onBad);
  }

  async appendMetrics(rows: readonly MetricRow[]): Promise<void> {
    await appendMetricFile(join(this.root, METRICS_DIR), rows);
  }

  async readMetrics(filter: MetricFilter = {}): Promise<MetricRow[]> {
    return readMetricFiles(join(this.root, METRICS_DIR), filter);
  }

  async readSymbols(): Promise<SymbolVersion[]> {
    return readSymbolsFile(this.root);
  }

  async readFeatures(set: string, filter?: FeatureFilter): Promise<FeatureRow[]> {
    return readFeatureParts(this.root, set, filter);
  }

  async readDoc(name: string): Promise<unknown> {
    try {
      return JSON.parse(readFileSync(join(this.root, `${name}.json`), "utf8"));
    } catch {
      return undefined; // absent, torn or foreign: no document
    }
  }

  async writeDoc(name: string, doc: unknown): Promise<void> {
    writeJsonAtomic(join(this.root, `${name}.json`), doc);
  }

  openOutbox(maxBytes: number): Outbox {
    return new FileOutbox(this.root, maxBytes);
  }

  async close(): Promise<void> {}

  // ---- files ----

  /** catalog.json as it is now. */
  catalog(): Catalog {
    return Catalog.load(this.catalogPath);
  }

  /** foundation_health.json as it is now. */
  health(): HealthRegistry {
    return HealthRegistry.load(this.healthPath);
  }
}
