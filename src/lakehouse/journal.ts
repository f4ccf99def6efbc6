// The commit protocol. A writer stages every file of a batch as a durable temp file, then records its intent in
// `.dqctl.journal.json` (the commit point), then renames the files into place, saves the catalog and the registry,
// and removes the journal. Recovery rolls a journal forward, so after a crash at any instant the next lock holder
// finds either the previous state or the whole batch — and any other mismatch between a file and its catalog entry
// is corruption, never a crashed writer.
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readFileSync, renameSync, unlinkSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import * as v from "valibot";
import { InputError } from "../errors.ts";
import { syncDir, syncFile, syncFiles, writeJsonAtomic, writeTempFile } from "./atomic.ts";
import { type Catalog, type CatalogEntry, CatalogEntrySchema, seriesKey, validate } from "./catalog.ts";
import { type HealthEntry, HealthEntrySchema, type HealthRegistry } from "./health.ts";
import { killPoint } from "./killpoint.ts";

export const JOURNAL_FILE = ".dqctl.journal.json";

const FileIntentSchema = v.object({ symbol: v.string(), path: v.string(), tmp: v.string(), sha256: v.string() });
const JournalSchema = v.object({
  schema: v.literal("dqctl.journal/v1"),
  pid: v.number(),
  host: v.string(),
  writtenAt: v.string(),
  files: v.array(FileIntentSchema),
  catalog: v.record(v.string(), v.nullable(CatalogEntrySchema)),
  health: v.record(v.string(), HealthEntrySchema),
});

/** A file of a batch: its temp file (relative to the lakehouse root) and its final name. */
export type FileIntent = v.InferOutput<typeof FileIntentSchema>;
type JournalDoc = v.InferOutput<typeof JournalSchema>;

/** sha256 hex of bytes. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** sha256 of a file, or undefined when it is absent or not a regular file. */
function fileHash(path: string): string | undefined {
  try {
    if (!lstatSync(path).isFile()) return undefined;
    return sha256(readFileSync(path));
  } catch {
    return undefined;
  }
}

/** True while a writer is between its commit point and the end of its batch (or was killed there). */
export function journalPending(root: string): boolean {
  return existsSync(join(root, JOURNAL_FILE));
}

/** What changed in the catalog and the registry since the last commit, with the files that go with it. */
export class Batch {
  private files: FileIntent[] = [];
  /** Temp paths (relative to the root) written but not yet fsynced: all are synced before the journal is written. */
  private readonly unsynced = new Set<string>();
  private readonly catalogKeys = new Set<string>();
  private readonly healthSymbols = new Set<string>();

  constructor(
    readonly root: string,
    readonly catalog: Catalog,
    readonly health: HealthRegistry,
  ) {}

  /**
   * Write `bytes` to a temp file for `rel` (a path relative to the root); it lands at the next commit. The temp is
   * not fsynced here: every temp of the batch is made durable together before the journal names it (`flush`, or the
   * start of `commit`), one fsync batch per commit group instead of one stall per file.
   */
  stage(symbol: string, rel: string, bytes: Uint8Array | string): { sha256: string; size: number } {
    const intent = stageFile(this.root, symbol, rel, bytes);
    this.adopt(intent);
    return { sha256: intent.sha256, size: intent.size };
  }

  /** Take over a temp file staged elsewhere (by stageFile, e.g. on a worker thread) as if `stage` had written it. */
  adopt(intent: FileIntent): void {
    const file: FileIntent = { symbol: intent.symbol, path: intent.path, tmp: intent.tmp, sha256: intent.sha256 };
    const replaced = this.files.find((f) => f.path === file.path);
    this.files = this.files.filter((f) => f.path !== file.path);
    if (replaced) this.unsynced.delete(replaced.tmp);
    this.files.push(file);
    this.unsynced.add(file.tmp);
    this.healthSymbols.add(file.symbol);
  }

  /**
   * Hand over what was changed since the last take or commit, and forget it: the files staged (not yet synced)
   * and the catalog and registry entries touched (null for a deleted catalog entry). A worker thread's session
   * takes its series' changes this way; the committing thread `apply`s them to its own batch.
   */
  take(): BatchDelta {
    const delta: BatchDelta = {
      files: this.files,
      catalog: [...this.catalogKeys].map((k) => [k, this.catalog.byKey(k) ?? null]),
      health: [...this.healthSymbols].flatMap((s) => (this.health.get(s) ? [[s, this.health.get(s)!] as [string, HealthEntry]] : [])),
    };
    this.files = [];
    this.unsynced.clear();
    this.catalogKeys.clear();
    this.healthSymbols.clear();
    return delta;
  }

  /** Apply changes another batch took: its entries set in this catalog and registry, its files staged here. */
  apply(d: BatchDelta): void {
    for (const [key, entry] of d.catalog) {
      if (entry) this.catalog.set(entry);
      else this.catalog.delete(...splitKey(key));
      this.catalogKeys.add(key);
    }
    for (const [symbol, entry] of d.health) {
      this.health.set(symbol, entry);
      this.healthSymbols.add(symbol);
    }
    for (const f of d.files) this.adopt(f);
  }

  /** Temp files staged and not yet durable. */
  get pending(): number {
    return this.unsynced.size;
  }

  /** Make every staged temp durable, concurrently, so `commit` finds nothing left to sync. */
  async flush(): Promise<void> {
    const tmps = [...this.unsynced];
    await syncFiles(tmps.map((t) => join(this.root, t)));
    for (const t of tmps) this.unsynced.delete(t);
  }

  /** Mark a catalog entry as changed (set or deleted in the catalog object). */
  touchCatalog(symbol: string, interval: string): void {
    this.catalogKeys.add(seriesKey(symbol, interval));
  }

  /** Mark a registry entry as changed. */
  touchHealth(symbol: string): void {
    this.healthSymbols.add(symbol);
  }

  /**
   * Forget registry entries touched but left as they were, with no file of theirs staged: an idempotent rerun that
   * re-judged a series to the same verdict then commits nothing (no journal, no catalog or registry rewrite).
   */
  private pruneHealth(): void {
    for (const s of this.healthSymbols) if (this.health.isSaved(s) && !this.files.some((f) => f.symbol === s)) this.healthSymbols.delete(s);
  }

  /** Remove the temps staged since the last take or commit and forget every change (a job abandoned). */
  discard(): void {
    for (const f of this.take().files) {
      try {
        unlinkSync(join(this.root, f.tmp));
      } catch {
        // already gone
      }
    }
  }

  get empty(): boolean {
    if (this.files.length || this.catalogKeys.size) return false;
    this.pruneHealth();
    return !this.healthSymbols.size;
  }

  /**
   * Commit: journal (the commit point), renames, catalog, registry, journal removed. Call with the lock held.
   * `failpoint` stops the commit right after that step, as a crash there would (tests of recovery only). Returns the
   * files it landed.
   */
  commit(failpoint?: "journal" | "rename" | "catalog"): FileIntent[] {
    if (this.empty) return [];
    const stop = (at: typeof failpoint) => {
      killPoint(`commit-${at}`);
      if (failpoint === at) throw new Error(`failpoint ${at}`);
    };
    // The commit point names only durable temps: one not yet synced is synced now (a flush() before did them all).
    for (const t of this.unsynced) syncFile(join(this.root, t));
    this.unsynced.clear();
    killPoint("commit-synced");
    const doc: JournalDoc = {
      schema: "dqctl.journal/v1",
      pid: process.pid,
      host: hostname(),
      writtenAt: new Date().toISOString(),
      files: this.files,
      catalog: Object.fromEntries([...this.catalogKeys].map((k) => [k, this.catalog.byKey(k) ?? null])),
      health: Object.fromEntries([...this.healthSymbols].flatMap((s) => (this.health.get(s) ? [[s, this.health.get(s)!]] : []))),
    };
    const journal = join(this.root, JOURNAL_FILE);
    writeJsonAtomic(journal, doc);
    stop("journal");
    const dirs = new Set<string>();
    for (const f of this.files) {
      renameSync(join(this.root, f.tmp), join(this.root, f.path));
      dirs.add(dirname(join(this.root, f.path)));
      stop("rename");
    }
    for (const d of dirs) syncDir(d);
    killPoint("commit-dirs-synced");
    this.catalog.save();
    stop("catalog");
    this.health.save();
    unlinkSync(journal);
    syncDir(this.root);
    const landed = this.files;
    this.files = [];
    this.catalogKeys.clear();
    this.healthSymbols.clear();
    return landed;
  }
}

/** Changes of one batch handed to another (see Batch.take): plain data, so it crosses a worker boundary. */
export interface BatchDelta {
  files: FileIntent[];
  catalog: [key: string, entry: CatalogEntry | null][];
  health: [symbol: string, entry: HealthEntry][];
}

/** A temp file written for a batch (not yet durable), with its size. */
export type StagedFile = FileIntent & { size: number };

/**
 * Write the temp file for `rel` and describe it for Batch.adopt. Touches no batch state, so worker threads stage
 * their series' files in parallel and hand the intents to the thread that commits.
 */
export function stageFile(root: string, symbol: string, rel: string, bytes: Uint8Array | string): StagedFile {
  const target = join(root, rel);
  // Refuse now what would make the rename fail after the commit point (a folder or a link where the file goes).
  if (existsSync(target) && !lstatSync(target).isFile()) {
    throw new InputError(`${target} is not a regular file`, "dqctl replaces only files it wrote; move that entry out of the lakehouse");
  }
  const tmp = writeTempFile(target, bytes, false);
  const size = typeof bytes === "string" ? new TextEncoder().encode(bytes).length : bytes.length;
  return { symbol, path: rel, tmp: join(dirname(rel), basename(tmp)), sha256: sha256(bytes), size };
}

/** What recovery did, for the log. */
export interface RecoveryReport {
  /** Files renamed into place from a committed journal. */
  rolledForward: string[];
  /** Intents whose data never landed (their temp file was gone): dropped with their catalog and registry entries. */
  dropped: string[];
}

/**
 * Roll a committed journal forward (the lock holder calls this before anything else): every file either already
 * carries its intended hash or its temp file is renamed into place; the catalog and registry entries of the batch
 * are then applied. An intent whose temp file is gone is dropped with the entries that describe it.
 */
export function recoverJournal(root: string, catalog: Catalog, health: HealthRegistry): RecoveryReport | undefined {
  const path = join(root, JOURNAL_FILE);
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    // Written atomically, so never torn: unparseable content did not come from dqctl.
    throw new InputError(
      `${path}: commit journal is not valid JSON (${(err as Error).message})`,
      "it was not written by dqctl; move it away and run `dqctl audit` to check the lakehouse",
      { cause: err },
    );
  }
  const doc = validate(JournalSchema, raw, path, "it was not written by dqctl; move it away and run `dqctl audit` to check the lakehouse", InputError);
  const report: RecoveryReport = { rolledForward: [], dropped: [] };
  const failedPaths = new Set<string>();
  const failedSymbols = new Set<string>();
  for (const f of doc.files) {
    const target = join(root, f.path);
    if (fileHash(target) === f.sha256) continue;
    const tmp = join(root, f.tmp);
    if (fileHash(tmp) === f.sha256 && renamed(tmp, target)) {
      syncDir(dirname(target));
      report.rolledForward.push(f.path);
    } else {
      failedPaths.add(f.path);
      failedSymbols.add(f.symbol);
      report.dropped.push(f.path);
    }
  }
  for (const [key, entry] of Object.entries(doc.catalog)) {
    if (entry === null) {
      const [symbol, interval] = splitKey(key);
      catalog.delete(symbol, interval);
    } else if (!failedPaths.has(entry.path)) catalog.set(entry as CatalogEntry);
  }
  for (const [symbol, entry] of Object.entries(doc.health)) if (!failedSymbols.has(symbol)) health.set(symbol, entry as HealthEntry);
  catalog.save();
  health.save();
  unlinkSync(path);
  syncDir(root);
  return report;
}

function renamed(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch {
    return false; // something not written by dqctl is in the way: the intent is dropped, never half-applied
  }
}

function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf("@");
  return [key.slice(0, at), key.slice(at + 1)];
}
