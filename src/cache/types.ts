// The cache seam: a byte cache beside the store (Redis today), handed in through the run context. What it holds is
// always re-derivable from the store, so a cache that is down, slow or wrong costs time, never an answer: every
// implementation turns its failures into misses (one warning), and every user keys or checks entries by a content
// version so a stale entry is never served.

/** What a run did with the cache; `cache` in the summary, and rows of the metric history. */
export interface CacheStats {
  /** Lookups answered from the cache. */
  hits: number;
  /** Lookups the cache could not answer (absent, expired, another version, or the cache down). */
  misses: number;
  /** Entries this run removed: a series' older version replaced, bootstrap entries past max entries. */
  evictions: number;
  /** Entries written. */
  writes: number;
  /** Operations that failed on the cache (each after the first is skipped: the cache is then down for the run). */
  errors: number;
}

/** What a worker thread's cache did since its last report (carried with each answer, summed on the main thread). */
export interface CacheReport {
  stats: CacheStats;
  /** The worker's cache went down, and why. */
  down?: string;
}

/** A key → bytes cache with expiry; never throws from get/set/delete (a failure is a miss, reported once). */
export interface Cache {
  /** What to reopen the same cache from (a worker thread): the URL. May carry a password: never print it. */
  readonly spec: string;
  /** Where it is, for messages and the summary: the URL without its password. */
  readonly location: string;
  /** This run's counts; users add hits, misses and evictions as they judge them. */
  readonly stats: CacheStats;
  /** Why the cache went down in this run (its first failure), or undefined while it answers. */
  readonly down: string | undefined;
  /** The bytes under `key`, or undefined (absent, or the cache is down). */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Store `value` under `key`, expiring after `ttlMs` when given. */
  set(key: string, value: Uint8Array, ttlMs?: number): Promise<void>;
  /** Remove keys; returns how many existed. */
  delete(keys: readonly string[]): Promise<number>;
  /** Probe it (doctor): one PING and one write–read–delete round trip; throws naming what failed. */
  probe(): Promise<{ pingMs: number; roundTripMs: number; server: string }>;
  /**
   * Add what a worker's cache did to this run's counts; a worker's cache that went down takes this one down too
   * (one warning for the run, straight reads from then on).
   */
  absorb(report: CacheReport): void;
  /** Let go of the connection. */
  close(): Promise<void>;
}

/** Fresh zero counts. */
export function zeroStats(): CacheStats {
  return { hits: 0, misses: 0, evictions: 0, writes: 0, errors: 0 };
}

/** What `stats` counted since `last` (then `last` is brought up to `stats`); undefined when nothing changed. */
export function statsSince(stats: CacheStats, last: CacheStats): CacheStats | undefined {
  const delta = zeroStats();
  let any = false;
  for (const k of Object.keys(delta) as (keyof CacheStats)[]) {
    delta[k] = stats[k] - last[k];
    last[k] = stats[k];
    any ||= delta[k] !== 0;
  }
  return any ? delta : undefined;
}
