import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../errors.ts";
import { type Bars, barCount } from "../model/bars.ts";
import { iso } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import { fileStem, type SymbolId } from "../model/symbol.ts";
import { writeFileAtomic, writeJsonAtomic } from "./atomic.ts";
import { Catalog } from "./catalog.ts";
import { HealthRegistry } from "./health.ts";
import { acquireLock, type Lock, type LockHolder, sweepLockDebris } from "./lock.ts";
import { decodeBars, encodeBars, initParquet } from "./parquet.ts";

/** sha256 hex of bytes. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A series read from the lakehouse, with the bytes' hash. */
export interface StoredSeries {
  path: string;
  bars: Bars;
  sha256: string;
  size: number;
}

/** The Parquet lakehouse: files, catalog, health registry, quarantine, lock. */
export class Lakehouse {
  readonly catalogPath: string;
  readonly healthPath: string;
  readonly quarantineDir: string;

  constructor(readonly root: string) {
    this.root = resolve(root);
    this.catalogPath = join(this.root, "catalog.json");
    this.healthPath = join(this.root, "foundation_health.json");
    this.quarantineDir = join(this.root, "quarantine");
  }

  /** Refuse a lakehouse folder that does not exist (commands that only read). */
  assertExists(): void {
    if (!existsSync(this.root) || !statSync(this.root).isDirectory()) {
      throw new InputError(`lakehouse folder not found: ${this.root}`, "run `dqctl ingest` first, or point --lakehouse (or DQCTL_LAKEHOUSE) at an existing lakehouse");
    }
  }

  /** Create the folder when absent (commands that write). */
  ensure(): void {
    mkdirSync(this.root, { recursive: true });
  }

  /** Take the single-writer lock, then sweep temp files a killed writer left (only the holder writes, so none is live). */
  async lock(command: string, waitMs: number, onWait?: (h: LockHolder) => void): Promise<Lock> {
    this.ensure();
    const lock = await acquireLock(this.root, command, waitMs, onWait);
    for (const dir of [this.root, this.quarantineDir]) {
      if (!existsSync(dir)) continue;
      const files = readdirSync(dir);
      for (const f of files) if (f.startsWith(".") && f.endsWith(".tmp")) rmSync(join(dir, f), { force: true });
      sweepLockDebris(dir, files);
    }
    return lock;
  }

  fileName(sym: SymbolId, interval: Interval): string {
    return `${fileStem(sym, interval)}.parquet`;
  }

  pathFor(sym: SymbolId, interval: Interval): string {
    return join(this.root, this.fileName(sym, interval));
  }

  has(sym: SymbolId, interval: Interval): boolean {
    return existsSync(this.pathFor(sym, interval));
  }

  /** Read one series, or undefined when the file does not exist. Corrupt files throw InputError. */
  async read(sym: SymbolId, interval: Interval): Promise<StoredSeries | undefined> {
    await initParquet();
    return this.readSync(sym, interval);
  }

  /** Synchronous read (after initParquet). */
  readSync(sym: SymbolId, interval: Interval): StoredSeries | undefined {
    const path = this.pathFor(sym, interval);
    if (!existsSync(path)) return undefined;
    const bytes = readFileSync(path);
    return { path, bars: decodeBars(bytes, `${sym.id} ${interval}: ${path}`), sha256: sha256(bytes), size: bytes.length };
  }

  /** Atomically write a series; returns its hash and size. Callers hold the lock. */
  async write(sym: SymbolId, interval: Interval, bars: Bars): Promise<{ path: string; sha256: string; size: number; rows: number }> {
    await initParquet();
    this.ensure();
    const bytes = encodeBars(bars);
    const path = this.pathFor(sym, interval);
    writeFileAtomic(path, bytes);
    return { path, sha256: sha256(bytes), size: bytes.length, rows: barCount(bars) };
  }

  /** Keep a toxic series as evidence in quarantine/ with its reasons; never read as golden. */
  async quarantine(sym: SymbolId, interval: Interval, bars: Bars, reason: Record<string, unknown>, stamp: string): Promise<string> {
    await initParquet();
    mkdirSync(this.quarantineDir, { recursive: true });
    const base = join(this.quarantineDir, `${fileStem(sym, interval)}.${stamp.replace(/[:.]/g, "")}`);
    writeFileAtomic(`${base}.parquet`, encodeBars(bars));
    writeJsonAtomic(`${base}.reason.json`, reason);
    return `${base}.parquet`;
  }

  loadCatalog(): Catalog {
    return Catalog.load(this.catalogPath);
  }

  loadHealth(): HealthRegistry {
    return HealthRegistry.load(this.healthPath);
  }
}

/** First and last timestamp of a sorted series as ISO strings (null when empty). */
export function seriesRange(bars: Bars): { start: string | null; end: string | null } {
  const n = barCount(bars);
  return n ? { start: iso(bars.timestamp[0]!), end: iso(bars.timestamp[n - 1]!) } : { start: null, end: null };
}
