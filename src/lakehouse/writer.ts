// The lakehouse's StoreWriter: one lock for the whole folder, changes staged as durable temp files and landed by
// the journaled commit (see journal.ts).

import type { Bars } from "../model/bars.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { StoreWriter } from "../store/types.ts";
import type { Catalog } from "./catalog.ts";
import type { HealthRegistry } from "./health.ts";
import { Batch } from "./journal.ts";
import type { Lock } from "./lock.ts";
import type { Lakehouse } from "./store.ts";

/** A lakehouse held under its single-writer lock. */
export class LakehouseWriter implements StoreWriter {
  private readonly batch: Batch;

  constructor(
    private readonly lh: Lakehouse,
    private readonly lock: Lock,
    readonly catalog: Catalog,
    readonly health: HealthRegistry,
  ) {
    this.batch = new Batch(lh.root, catalog, health);
  }

  /** The folder's lock already covers every series. */
  async claim(): Promise<void> {}

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

  heartbeat(): void {
    this.lock.heartbeat();
  }

  /** The lease is checked first: a writer that stalled past it and lost the lock stops here instead of writing. */
  async commit(): Promise<void> {
    if (this.batch.empty) return;
    this.lock.heartbeat();
    this.batch.commit();
  }

  async release(): Promise<void> {
    this.lock.release();
  }
}
