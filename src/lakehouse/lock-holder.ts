// Who holds a lock file, and whether that holder can still be alive. No I/O on the lock itself: callers hand in
// what they read (the content and the file's mtime, which is the lease's last renewal).
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";
import { ConfigError } from "../errors.ts";

/** What a lock file records about its holder (`start`, `boot`, `pidns`, `lease`, `token` are absent in older locks). */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** Linux: the process start time (field 22 of /proc/<pid>/stat, clock ticks since boot), to tell a recycled pid. */
  start?: string;
  /** Linux: /proc/sys/kernel/random/boot_id when the lock was taken; another one means the holder's boot is over. */
  boot?: string;
  /** Linux: the pid namespace (`pid:[4026531836]`); pids are only comparable inside the same one (containers). */
  pidns?: string;
  /** The lease the holder renews, in ms: the lock is stale once its mtime is older than this. */
  lease?: number;
  /** Random, so two locks never have the same content and "is this still mine?" is a string comparison. */
  token?: string;
}

export const DEFAULT_LEASE_MS = 60_000;

/** The lease this process renews its locks under: DQCTL_LOCK_LEASE_MS (for tests), else 60 s. */
export function leaseMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.DQCTL_LOCK_LEASE_MS;
  if (raw === undefined || raw === "") return DEFAULT_LEASE_MS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 20) {
    throw new ConfigError(
      `DQCTL_LOCK_LEASE_MS: "${raw}" is not a whole number of milliseconds ≥ 20`,
      "unset it (default 60000) or set e.g. DQCTL_LOCK_LEASE_MS=60000",
    );
  }
  return n;
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined; // no /proc (macOS, Windows), or hidden (hidepid): the lease alone decides
  }
}

let self: { boot?: string; pidns?: string; start?: string } | undefined;

/** This machine's boot id, this process's pid namespace and start time (cached; absent without /proc). */
function machine(): { boot?: string; pidns?: string; start?: string } {
  if (!self) {
    let pidns: string | undefined;
    try {
      pidns = readlinkSync("/proc/self/ns/pid");
    } catch {
      pidns = undefined;
    }
    self = { boot: readProc("/proc/sys/kernel/random/boot_id")?.trim() || undefined, pidns, start: procStat(process.pid)?.start };
  }
  return self;
}

/** State and start time of a pid from /proc/<pid>/stat, or undefined where that cannot be read. */
export function procStat(pid: number): { state: string; start: string } | undefined {
  const raw = readProc(`/proc/${pid}/stat`);
  if (!raw) return undefined;
  // The command name (field 2) is in parentheses and may contain spaces or ")"; fields after the last ")" are plain.
  const rest = raw
    .slice(raw.lastIndexOf(")") + 1)
    .trim()
    .split(/\s+/);
  const state = rest[0];
  const start = rest[19]; // field 22: rest[0] is field 3
  return state && start ? { state, start } : undefined;
}

/** The holder record for a lock this process takes now. */
export function holderForSelf(command: string, lease: number, token: string): LockHolder {
  const { boot, pidns, start } = machine();
  const h: LockHolder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString(), lease, token };
  if (start) h.start = start;
  if (boot) h.boot = boot;
  if (pidns) h.pidns = pidns;
  return h;
}

/** Parse lock file content; undefined when it is not a lock at all. */
export function parseHolder(raw: string): LockHolder | undefined {
  try {
    const h = JSON.parse(raw) as LockHolder;
    return typeof h?.pid === "number" && typeof h.host === "string" ? h : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a pid on this host is gone (not existing, or a zombie). */
export function pidGone(pid: number): boolean {
  return !alive(pid) || procStat(pid)?.state === "Z";
}

/** The lease a holder declared, or ours for locks that do not say. */
export function holderLease(h: LockHolder | undefined, fallback: number): number {
  return typeof h?.lease === "number" && Number.isFinite(h.lease) && h.lease > 0 ? h.lease : fallback;
}

/**
 * Why a lock is stale, or undefined while its holder may be alive. Any host: the lease (mtime) is older than the
 * holder's lease. This host: its boot is over, its pid is gone, or the pid now belongs to a process started at
 * another time (recycled). Pids from another pid namespace, or a machine without /proc, leave it to the lease.
 */
export function staleReason(h: LockHolder | undefined, mtimeMs: number, now: number, fallbackLease: number): string | undefined {
  if (!h) return "its content is not a lock";
  const age = now - mtimeMs;
  const lease = holderLease(h, fallbackLease);
  if (age > lease) return `its lease expired (last renewed ${Math.round(age / 1000)} s ago, lease ${lease} ms)`;
  if (h.host !== hostname()) return undefined;
  const me = machine();
  if (h.boot && me.boot && h.boot !== me.boot) return "this host rebooted since it was taken";
  if (h.pidns && h.pidns !== me.pidns) return undefined;
  if (pidGone(h.pid)) return `pid ${h.pid} is not running`;
  const started = procStat(h.pid)?.start;
  if (h.start && started && started !== h.start) return `pid ${h.pid} is now another process (started at tick ${started}, the holder at ${h.start})`;
  return undefined;
}
