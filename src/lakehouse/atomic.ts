import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** dqctl's temp names: `.<target>.<pid>.<hex>.tmp`, so a sweep can tell its own debris (and its writer) from a user's file. */
export const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** The temp name for `path` in the same folder (same filesystem, so the rename is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Write bytes durably to a new temp file beside `path` (created exclusively, fsynced) and return the temp path; the caller renames it. */
export function writeTempFile(path: string, data: Uint8Array | string): string {
  const tmp = tempPathFor(path);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  let fd = -1;
  try {
    fd = openSync(tmp, "wx", 0o644);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
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

/** Write JSON atomically with a trailing newline. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
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
