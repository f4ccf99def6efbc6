// The lakehouse's single-writer lock: a file whose mtime is a lease the holder keeps renewing. flock() is not
// reachable from both Bun and Deno without FFI, and would not cover a volume shared between hosts anyway.
import { randomBytes } from "node:crypto";
import { closeSync, fstatSync, futimesSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { clearInterval, setInterval } from "node:timers";
import { LockError } from "../errors.ts";
import { holderForSelf, holderLease, type LockHolder, leaseMs, parseHolder, pidGone, staleReason } from "./lock-holder.ts";

export type { LockHolder } from "./lock-holder.ts";

/** A held single-writer lock; release it when the write is done. */
export interface Lock {
  path: string;
  release(): void;
  /**
   * Renew the lease and check the lock is still ours; throws a LockError when another writer took it over (this
   * run stalled past its lease). Cheap: call it between series and right before each commit.
   */
  heartbeat(): void;
}

const LOCK_FILE = ".dqctl.lock";
/** Serialises takeovers (and releases) so a stale lock is replaced exactly once and the slot is never vacant. */
const MUTEX_FILE = ".dqctl.lock.takeover";
/** The mutex is held for a few syscalls; only a taker that crashed inside them leaves it, and then this long. */
const MUTEX_LEASE_MS = 5_000;
/** Temp files and aside links live for microseconds; any older than this were left by a crash. */
const DEBRIS_AGE_MS = 10_000;

const token = () => randomBytes(8).toString("hex");
// Not *.tmp (the data sweep must not see them); named by pid so a crash's debris is recognisable.
const tempName = (dir: string, kind: "new" | "stale") => join(dir, `${LOCK_FILE}.${process.pid}.${token()}.${kind}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const code = (err: unknown) => (err as NodeJS.ErrnoException).code;

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** A lock file's content and mtime read through one descriptor, so both describe the same file. */
interface Snapshot {
  raw: string;
  mtimeMs: number;
  ino: number;
  fd: number;
}

function snapshot(path: string): Snapshot | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    if (code(err) === "ENOENT") return undefined;
    throw err;
  }
  try {
    const st = fstatSync(fd);
    return { raw: readFileSync(fd, "utf8"), mtimeMs: st.mtimeMs, ino: st.ino, fd };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

function writeTemp(dir: string, content: string): { tmp: string; fd: number } {
  const tmp = tempName(dir, "new");
  const fd = openSync(tmp, "wx", 0o644);
  try {
    writeSync(fd, content);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  return { tmp, fd };
}

/**
 * Create a lock with its content in one step: write a temp file, then link it into place. link() fails with EEXIST
 * when the lock exists, and a reader never sees an empty lock file (an O_EXCL create followed by a write would let a
 * racing process read "" and judge the lock stale). Returns a descriptor of the new lock, used to renew its lease.
 */
function tryCreate(dir: string, path: string, content: string): number | undefined {
  for (;;) {
    const { tmp, fd } = writeTemp(dir, content);
    try {
      linkSync(tmp, path);
      return fd;
    } catch (err) {
      closeSync(fd);
      if (code(err) === "EEXIST") return undefined;
      if (code(err) !== "ENOENT") throw err; // ENOENT: our temp file was swept as debris meanwhile; write it again
    } finally {
      rmSync(tmp, { force: true });
    }
  }
}

/** Remove a file only if it still holds `expected`: move it aside atomically, and put back anything else. */
function removeIf(dir: string, path: string, expected: string): void {
  const aside = tempName(dir, "stale");
  try {
    renameSync(path, aside);
  } catch {
    return; // gone already
  }
  const moved = readOrUndefined(aside);
  if (moved !== undefined && moved !== expected) {
    try {
      linkSync(aside, path); // someone else's: restore it (fails only if yet another one already took the slot)
    } catch {
      /* the slot is held again */
    }
  }
  rmSync(aside, { force: true });
}

/** Run `fn` holding the takeover mutex; undefined when it stayed busy for `budgetMs`. Stale mutexes are removed. */
function underMutex<T>(dir: string, budgetMs: number, fn: () => T): { value: T } | undefined {
  const path = join(dir, MUTEX_FILE);
  const mine = JSON.stringify(holderForSelf("takeover", MUTEX_LEASE_MS, token()));
  const deadline = Date.now() + budgetMs;
  for (;;) {
    const fd = tryCreate(dir, path, mine);
    if (fd !== undefined) {
      closeSync(fd);
      try {
        return { value: fn() };
      } finally {
        removeIf(dir, path, mine);
      }
    }
    const s = snapshot(path);
    if (s) {
      closeSync(s.fd);
      if (staleReason(parseHolder(s.raw), s.mtimeMs, Date.now(), MUTEX_LEASE_MS)) removeIf(dir, path, s.raw);
    }
    if (Date.now() >= deadline) return undefined;
    sleepSync(1);
  }
}

/**
 * Replace the stale lock `judged` with ours; call it holding the mutex. The slot is never vacant (rename over it),
 * so no fresh creator can slip in. If its holder renewed the lease meanwhile it is alive: it gets its lock back.
 */
function takeOver(dir: string, path: string, judged: Pick<Snapshot, "raw" | "mtimeMs">, mine: string): number | undefined {
  const s = snapshot(path);
  if (!s) return undefined;
  const aside = tempName(dir, "stale");
  let mineTmp: { tmp: string; fd: number } | undefined;
  try {
    if (s.raw !== judged.raw || s.mtimeMs !== judged.mtimeMs) return undefined; // changed since judged: judge again
    mineTmp = writeTemp(dir, mine);
    linkSync(path, aside); // keep a name for the stale lock, to give it back
    if (statSync(aside).ino !== s.ino) return undefined;
    renameSync(mineTmp.tmp, path);
    // Renewed between our judgement and the rename: the holder is alive. Its own check (renew, then compare
    // content) either saw our lock and stopped, or will see its own again now.
    if (fstatSync(s.fd).mtimeMs !== s.mtimeMs) {
      renameSync(aside, path);
      return undefined;
    }
    const fd = mineTmp.fd;
    mineTmp = undefined;
    return fd;
  } catch (err) {
    if (code(err) === "ENOENT" || code(err) === "EEXIST") return undefined; // raced with a sweep or a release: retry
    throw err;
  } finally {
    closeSync(s.fd);
    if (mineTmp) {
      closeSync(mineTmp.fd);
      rmSync(mineTmp.tmp, { force: true });
    }
    rmSync(aside, { force: true });
  }
}

function secondsAgo(ms: number): string {
  return `${(Math.max(0, Date.now() - ms) / 1000).toFixed(1)} s ago`;
}

function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} (${h.command}, since ${h.since}, host ${h.host}`;
}

function lockedError(dir: string, h: LockHolder, mtimeMs: number, lease: number, waitMs: number): LockError {
  const expires = new Date(mtimeMs + holderLease(h, lease)).toISOString();
  return new LockError(
    `lakehouse ${dir} is locked by ${describeHolder(h)}, lease renewed ${secondsAgo(mtimeMs)})`,
    `${waitMs > 0 ? "it is still running; raise --wait-lock or try later" : "wait for it to finish, or pass --wait-lock 5m"} (if its lease is not renewed, the lock is taken over at ${expires})`,
  );
}

function lostError(path: string, now: string | undefined, renewed: number, lease: number): LockError {
  const h = now === undefined ? undefined : parseHolder(now);
  const by = now === undefined ? "the lock file was removed" : h ? `it was taken over by ${describeHolder(h)})` : "the lock file was replaced";
  return new LockError(
    `lost the lakehouse lock ${path}: ${by}; this run last renewed its lease ${secondsAgo(renewed)} (lease ${lease} ms)`,
    "this run stopped before committing; it stalled longer than its lease, so another writer took over — run it again",
  );
}

/** The lock we hold: a timer renews the lease; heartbeat() renews it from long synchronous loops too. */
function held(dir: string, path: string, fd: number, mine: string, lease: number): Lock {
  let renewed = Date.now();
  let lost: LockError | undefined;
  let released = false;
  // Renew first, then compare: a taker that replaced the lock before our renewal sees no renewal and keeps it, and
  // we see its content here; one that replaced it after sees the renewal and gives the lock back.
  const heartbeat = () => {
    if (lost) throw lost;
    if (released) throw new LockError(`the lakehouse lock ${path} was already released`, "take the lock again before writing");
    const now = Date.now();
    futimesSync(fd, now / 1000, now / 1000);
    const raw = readOrUndefined(path);
    if (raw !== mine) {
      lost = lostError(path, raw, renewed, lease);
      clearInterval(timer);
      throw lost;
    }
    renewed = now;
  };
  const timer = setInterval(
    () => {
      try {
        heartbeat();
      } catch {
        /* kept in `lost`; the next heartbeat() call throws it */
      }
    },
    Math.max(10, Math.floor(lease / 10)),
  );
  timer.unref(); // never keeps the process alive
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(timer);
    // Under the mutex, so a taker that judged us stale cannot be halfway through replacing the file we remove.
    // Content alone decides: a lock given back after a heartbeat saw it replaced is ours again, and removed.
    const remove = () => {
      if (readOrUndefined(path) === mine) {
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      }
    };
    try {
      if (!underMutex(dir, 1000, remove)) remove();
    } catch {
      remove(); // the mutex could not be written (folder gone or read-only): still remove our own lock
    } finally {
      closeSync(fd);
    }
  };
  return { path, release, heartbeat };
}

/**
 * Take the lakehouse's single-writer lock. A stale lock (lease expired on any host; on this host also a dead,
 * recycled or pre-reboot pid; or unreadable content) is taken over; a live one is waited for up to `waitMs`, then
 * a LockError names the holder and when it would be taken over.
 */
export async function acquireLock(dir: string, command: string, waitMs = 0, onWait?: (h: LockHolder) => void): Promise<Lock> {
  const path = join(dir, LOCK_FILE);
  const lease = leaseMs();
  const mine = JSON.stringify(holderForSelf(command, lease, token()));
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    let fd = tryCreate(dir, path, mine);
    if (fd !== undefined) return held(dir, path, fd, mine, lease);
    const s = snapshot(path);
    if (!s) continue; // released between our attempt and the read: try again
    closeSync(s.fd);
    const holder = parseHolder(s.raw);
    if (staleReason(holder, s.mtimeMs, Date.now(), lease)) {
      const got = underMutex(dir, 20, () => takeOver(dir, path, s, mine));
      fd = got?.value;
      if (fd !== undefined) return held(dir, path, fd, mine, lease);
      if (!got) await sleep(5); // another process is taking over: look again shortly
      continue;
    }
    if (Date.now() >= deadline) throw lockedError(dir, holder!, s.mtimeMs, lease, waitMs);
    if (!announced) {
      onWait?.(holder!);
      announced = true;
    }
    await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
  }
}

/** Remove lock temp files (`.dqctl.lock.<pid>.*.new|.stale`) and a takeover mutex left by crashed processes. */
export function sweepLockDebris(dir: string, files: readonly string[]): void {
  for (const f of files) {
    const p = join(dir, f);
    if (f === MUTEX_FILE) {
      const s = snapshot(p);
      if (!s) continue;
      closeSync(s.fd);
      if (staleReason(parseHolder(s.raw), s.mtimeMs, Date.now(), MUTEX_LEASE_MS)) removeIf(dir, p, s.raw);
      continue;
    }
    if (!/^\.dqctl\.lock\.\d+\.[0-9a-f]+\.(new|stale)$/.test(f)) continue;
    // A `.new` holds its creator: one that died on this host left it, so it goes now (the next run leaves no debris).
    const creator = f.endsWith(".new") ? parseHolder(readOrUndefined(p) ?? "") : undefined;
    // One killed between its create and its write is empty: the pid in its name is the creator's. Sweeping a live
    // writer's temp by mistake is harmless (tryCreate writes it again on ENOENT).
    const emptyNew = f.endsWith(".new") && creator === undefined;
    const deadHere = creator !== undefined ? creator.host === hostname() && pidGone(creator.pid) : emptyNew && pidGone(Number(f.split(".")[3]));
    // Otherwise by age, not pid: another host's pids mean nothing here. ctime, because an aside link keeps an old mtime.
    try {
      if (deadHere || Date.now() - statSync(p).ctimeMs > DEBRIS_AGE_MS) rmSync(p, { force: true });
    } catch {
      /* gone */
    }
  }
}

/** Who holds the lakehouse's lock now (none, or one), with why it is stale when it is; read only, never taken over. */
export function lockHolders(root: string): (LockHolder & { stale?: string })[] {
  const snap = snapshot(join(root, LOCK_FILE));
  if (!snap) return [];
  closeSync(snap.fd);
  const h = parseHolder(snap.raw);
  const stale = staleReason(h, snap.mtimeMs, Date.now(), leaseMs());
  return [{ ...(h ?? { pid: 0, host: "?", command: "?", since: new Date(snap.mtimeMs).toISOString() }), ...(stale ? { stale } : {}) }];
}
