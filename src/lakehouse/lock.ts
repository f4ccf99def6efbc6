import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
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

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockHolder;
  } catch {
    return undefined;
  }
}

function tryCreate(path: string, holder: LockHolder): boolean {
  try {
    const fd = openSync(path, "wx", 0o644);
    try {
      writeSync(fd, JSON.stringify(holder));
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
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
    const holder = readHolder(path);
    const stale = !holder || (holder.host === me.host && !alive(holder.pid));
    if (stale) {
      // Take over: remove only if it is still the same stale file, then race fairly via O_EXCL.
      const again = readHolder(path);
      if (JSON.stringify(again) === JSON.stringify(holder)) {
        try {
          unlinkSync(path);
        } catch {
          /* another process took it over first */
        }
      }
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

/** Parse a duration like `500ms`, `30s`, `5m`, `1h` (bare numbers are seconds). */
export function parseDuration(raw: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}
