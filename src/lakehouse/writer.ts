// The lakehouse's StoreWriter: one lock for the whole folder, changes staged as temp files and landed by the
// journaled commit (see journal.ts). Its Stager writes a series' temp files on a worker thread; the writer adopts them.

import type { FeatureRow } from "../features/rows.ts";
import type { Bars } from "../model/bars.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { SeriesStager, StagedChanges, Stager, StoreWriter } from "../store/types.ts";
import type { SymbolVersion } from "../symbols/history.ts";
import type { Catalog } from "./catalog.ts";
import type { HealthRegistry } from "./health.ts";
import { Batch, type BatchDelta } from "./journal.ts";
import { killPoint } from "./killpoint.ts";
import type { Lock } from "./lock.ts";
import { encodeFeatures, encodeSymbols, ensurePartitionDir, featurePartPath, SYMBOLS_FILE } from "./reference-tables.ts";
import type { Lakehouse } from "./store.ts";

/** Staging into a Batch: the part the writer and a worker's stager share. */
class BatchStaging implements SeriesStager {
  protected readonly batch: Batch;

  constructor(
    protected readonly lh: Lakehouse,
    readonly catalog: Catalog,
    readonly health: HealthRegistry,
  ) {
    this.batch = new Batch(lh.root, catalog, health);
  }

  stageSeries(sym: SymbolId, interval: Interval, bars: Bars): { sha256: string } {
    return this.batch.stage(sym.id, this.lh.fileName(sym, interval), this.lh.encode(bars));
  }

  stageQuarantine(sym: SymbolId, interval: Interval, bars: Bars, reason: Record<string, unknown>, stamp: string, known: readonly string[]): string {
    const q = this.lh.quarantineFiles(sym, interval, bars, reason, stamp);
    const same = this.lh.sameQuarantined(known, q.files[0]![1] as Uint8Array);
    if (same) return same;
    for (const [rel, b] of q.files) this.batch.stage(sym.id, rel, b);
    return q.parquet;
  }

  touchCatalog(symbol: string, interval: string): void {
    this.batch.touchCatalog(symbol, interval);
  }

  touchHealth(symbol: string): void {
    this.batch.touchHealth(symbol);
  }
}

/** A lakehouse held under its single-writer lock. */
export class LakehouseWriter extends BatchStaging implements StoreWriter {
  constructor(
    lh: Lakehouse,
    private readonly lock: Lock,
    catalog: Catalog,
    health: HealthRegistry,
  ) {
    super(lh, catalog, health);
  }

  /** The folder's lock already covers every series. */
  async claim(): Promise<void> {}

  adopt(changes: StagedChanges): void {
    this.batch.apply(changes as unknown as BatchDelta);
  }

  heartbeat(): void {
    this.lock.heartbeat();
  }

  /** The history is one file: the journaled commit replaces it whole, as it does a series. */
  stageSymbols(history: readonly SymbolVersion[]): void {
    this.batch.stage("", SYMBOLS_FILE, encodeSymbols(history));
  }

  /** One file per date partition, replaced whole (the caller merged the stored rows in). */
  stageFeatures(set: string, date: string, rows: readonly FeatureRow[]): void {
    ensurePartitionDir(this.lh.root, set, date);
    this.batch.stage("", featurePartPath(set, date), encodeFeatures(rows));
  }

  /**
   * The lease is checked first: a writer that stalled past it and lost the lock stops here instead of writing. The
   * staged temps are synced together (the disk overlaps them) before the journal names them. The stamps of the files
   * landed are noted (stamps.ts), so the next run knows them unchanged without hashing them.
   */
  async commit(): Promise<void> {
    if (this.batch.empty) return;
    killPoint("commit-staged");
    this.lock.heartbeat();
    await this.batch.flush();
    for (const f of this.batch.commit()) this.lh.stamps.noteFile(f.path, f.sha256);
    killPoint("commit-landed");
    this.lh.stamps.save();
  }

  /** The stamps of files hashed in this session are kept too (an ingest with nothing to write hashed them all). */
  async release(): Promise<void> {
    try {
      this.lh.stamps.save();
    } finally {
      this.lock.release();
    }
  }
}

/** A worker thread's staging for one series: temp files written (not synced), handed over as a BatchDelta. */
export class LakehouseStager extends BatchStaging implements Stager {
  take(): StagedChanges {
    return this.batch.take() as unknown as StagedChanges;
  }

  discard(): void {
    this.batch.discard();
  }
}
