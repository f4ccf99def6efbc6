import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** dqctl's temp names: `.<target>.<pid>.<hex>.tmp`, so a sweep can tell its own debris (and its writer) from a user's file. */
export const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** The temp name for `path` in the same folder (same filesystem, so the rename is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/**
 * Write bytes to a new temp file beside `path` (created exclusively) and return the temp path; the caller renames
 * it. Fsynced unless `sync` is false: then the caller makes it durable before anything names it (see Batch).
 */
export function writeTempFile(path: string, data: Uint8Array | string, sync = true): string {
  const tmp = tempPathFor(path);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  let fd = -1;
  try {
    fd = openSync(tmp, "wx", 0o644);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    if (sync) fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    return tmp;
  } catch (err) {
    if (fd >= 0) closeSync(fd);
    removeQuietly(tmp);
    throw err;
  }
}

/** Write a file atomically: temp file in the same folder, fsync, rename, fsync the folder. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = writeTempFile(path, data);
  try {
    renameSync(tmp, path);
  } catch (err) {
    removeQuietly(tmp);
    throw err;
  }
  syncDir(dirname(path));
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* the temp file may not exist */
  }
}

/** Write a file someone asked for by name (--output, --out, --report) atomically, creating its folder first. */
export function writeOutputFile(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, data);
}

/** Write JSON atomically with a trailing newline. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** fsync a file already written and closed (an fsync through any descriptor flushes the file's data). */
export function syncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync files concurrently (the runtime's I/O threads overlap them: one disk flush serves several). */
export async function syncFiles(paths: readonly string[]): Promise<void> {
  await Promise.all(
    paths.map(async (p) => {
      const h = await open(p, "r");
      try {
        await h.sync();
      } finally {
        await h.close();
      }
    }),
  );
}

/** fsync a folder so a rename in it is durable (a no-op where folders cannot be fsynced). */
export function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* some platforms cannot fsync a directory; the rename is still atomic */
  }
}
