import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hostname } from "node:os";
import { LockError } from "../errors.ts";

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

/** A held single-writer lock; release it when the write is done. */
export interface Lock {
  path: string;
  release(): void;
}

const LOCK_FILE = ".dqctl.lock";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const h = JSON.parse(raw) as LockHolder;
    return typeof h?.pid === "number" ? h : undefined;
  } catch {
    return undefined;
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return parseHolder(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Create the lock with its content in one step: write the holder to a temp file, then link it into place.
 * link() fails with EEXIST when the lock exists, and a reader never sees an empty lock file (an O_EXCL create
 * followed by a write would let a racing process read "" and wrongly judge the lock stale).
 */
function tryCreate(path: string, holder: LockHolder): boolean {
  const tmp = `${path}.${holder.pid}.${randomBytes(4).toString("hex")}.new`; // not *.tmp: the data sweep must not see it
  writeFileSync(tmp, JSON.stringify(holder), { flag: "wx", mode: 0o644 });
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Remove a stale lock without ever removing a live one: move it aside atomically, then check that what was moved
 * is the stale holder we judged. If another process replaced it in between, put that lock back.
 */
function takeOver(path: string, stale: string): void {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return; // already taken over by someone else
  }
  let moved = "";
  try {
    moved = readFileSync(aside, "utf8");
  } catch {
    /* unreadable: treat as the stale one */
  }
  if (moved && moved !== stale) {
    try {
      linkSync(aside, path); // a live lock: restore it (fails only if yet another holder already took the slot)
    } catch {
      /* the slot is held again; that holder is live */
    }
  }
  rmSync(aside, { force: true });
}

/**
 * Take the lakehouse's single-writer lock. A stale lock (dead pid on this host, or unreadable) is
 * taken over; a live one is waited for up to `waitMs`, then a LockError names the holder.
 */
export async function acquireLock(dir: string, command: string, waitMs = 0, onWait?: (h: LockHolder) => void): Promise<Lock> {
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    if (tryCreate(path, me)) break;
    let raw: string;
    try {
      raw = readFileSync(path, "utf8");
    } catch {
      continue; // released between our attempt and the read: try again
    }
    const holder = parseHolder(raw);
    // Stale: a dead pid on this host, or content that is not a lock at all (locks are never written partially).
    const stale = !holder || (holder.host === me.host && !alive(holder.pid));
    if (stale) {
      takeOver(path, raw);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LockError(
        `lakehouse ${dir} is locked by pid ${holder.pid} (${holder.command}, since ${holder.since}, host ${holder.host})`,
        waitMs > 0 ? "it is still running; raise --wait-lock or try later" : "wait for it to finish, or pass --wait-lock 5m to wait",
      );
    }
    if (!announced) {
      onWait?.(holder);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, Math.min(100, Math.max(1, deadline - Date.now()))));
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    const h = readHolder(path);
    if (h && h.pid === me.pid && h.since === me.since) {
      try {
        unlinkSync(path);
      } catch {
        /* already gone */
      }
    }
  };
  return { path, release };
}

/** Remove lock temp files (`.dqctl.lock.<pid>.*.new|.stale`) left by processes that are gone. */
export function sweepLockDebris(dir: string, files: readonly string[]): void {
  for (const f of files) {
    const m = /^\.dqctl\.lock\.(\d+)\.[0-9a-f]+\.(new|stale)$/.exec(f);
    if (m && !alive(Number(m[1]))) rmSync(join(dir, f), { force: true });
  }
}
