import type { Cache } from "./cache/types.ts";
import type { ReferenceOverrides } from "./calendar/reference.ts";
import type { ReleaseSchedule } from "./checks/releases.ts";
import type { Config } from "./config/schema.ts";
import type { Store } from "./store/types.ts";

/** Where the core sends human-readable progress; commands back it with consola on stderr. */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
}

/** Progress reporting for long loops (a bar on a TTY, plain lines otherwise, nothing when quiet). */
export interface Progress {
  start(label: string, total: number): void;
  /** `n` units done (default 1); `outcome` (written, quarantined, failed, a status, …) is tallied on the line. */
  tick(n?: number, outcome?: string): void;
  done(): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };
export const silentProgress: Progress = { start() {}, tick() {}, done() {} };

/** Everything a pipeline step needs from the outside world, resolved once by the command layer. */
export interface RunContext {
  config: Config;
  /** Where bars, catalog, registry and run records live (the lakehouse folder, or PostgreSQL). */
  store: Store;
  now: Date;
  log: Logger;
  progress: Progress;
  waitLockMs: number;
  runId: string;
  /** Holidays and session overrides from config/reference (absent: the built-in rules). */
  reference?: ReferenceOverrides;
  /** Which price ingest and repair store (--price, config `price`): the vendor's close or adjusted close; absent: raw. */
  price?: "raw" | "adjusted";
  /** Release calendars by series id (FRED series), read from the store's cached macro calendar (src/macro/cache.ts). */
  releases?: Record<string, ReleaseSchedule>;
  /** The cache (--cache, env DQCTL_CACHE, config `cache`); ctx.store already reads through it. Absent: no cache. */
  cache?: Cache;
}
