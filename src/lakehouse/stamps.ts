// The writer's memory of golden files it has hashed or landed: per file (relative to the root), its stamp (store.ts
// stampOf: device, inode, size, mtime, ctime) and the sha256 its bytes had. A file whose stamp is still the one noted
// holds those bytes (a rename over it is a new inode, a write in place moves the ctime), so the next ingest judges an
// unchanged series from its catalog entry without reading and hashing the file again. A cache, not a record: it is
// saved after each commit without a journal, a lost or stale one only costs a re-hash, and an entry is believed only
// for the version the catalog names (Lakehouse.readUnlessKnown).
import { type BigIntStats, lstatSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { SeenVersion } from "../store/types.ts";
import { writeTempFile } from "./atomic.ts";

export const STAMPS_FILE = ".dqctl.stamps.json";

/** Noted stamps of one lakehouse, loaded on first use. */
export class StampCache {
  private seen: Map<string, SeenVersion> | undefined;
  private dirty = false;

  constructor(private readonly root: string) {}

  private load(): Map<string, SeenVersion> {
    if (this.seen) return this.seen;
    this.seen = new Map();
    try {
      const doc = JSON.parse(readFileSync(join(this.root, STAMPS_FILE), "utf8")) as { files?: Record<string, unknown> };
      for (const [rel, v] of Object.entries(doc.files ?? {})) {
        const s = v as Partial<SeenVersion>;
        if (typeof s?.stamp === "string" && typeof s.version === "string") this.seen.set(rel, { stamp: s.stamp, version: s.version });
      }
    } catch {
      // absent, torn by a crash or not ours: nothing is known, every file is hashed once more
    }
    return this.seen;
  }

  /** What was noted of `rel`, if anything. */
  get(rel: string): SeenVersion | undefined {
    return this.load().get(rel);
  }

  /** Note that `rel`, with stamp `stamp`, holds bytes of sha256 `version`. */
  note(rel: string, stamp: string, version: string): void {
    const m = this.load();
    const had = m.get(rel);
    if (had?.stamp === stamp && had.version === version) return;
    m.set(rel, { stamp, version });
    this.dirty = true;
  }

  /** Note the file `rel` as it is now, just landed with bytes of sha256 `version` (gone or not a file: nothing noted). */
  noteFile(rel: string, version: string): void {
    try {
      const st = lstatSync(join(this.root, rel), { bigint: true });
      if (st.isFile()) this.note(rel, stampOf(st), version);
    } catch {
      // not there: the next read finds out
    }
  }

  /** Write the notes (by the lock holder only) when they changed: replaced by a rename, never fsynced (see above). */
  save(): void {
    if (!this.dirty || !this.seen) return;
    const path = join(this.root, STAMPS_FILE);
    const files = Object.fromEntries([...this.seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    try {
      renameSync(writeTempFile(path, `${JSON.stringify({ schema: "dqctl.stamps/v1", files })}\n`, false), path);
      this.dirty = false;
    } catch {
      // a cache that cannot be written (a full disk) fails nothing: the next run hashes those files again
    }
  }
}

/**
 * A file's stamp: device, inode, size, mtime and ctime in nanoseconds. dqctl replaces a file by renaming a new one
 * over it (a new inode), and any write in place moves the ctime, which no one can set back; so a file with the
 * stamp it had when it was hashed still has those bytes.
 */
export function stampOf(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}
