// The `cache` section of a run's summary: where the cache is and what this run did with it. Bootstrap's own cache
// fields (dir, key, hit, …) stay beside these.
import type { Summary } from "../report/summary.ts";
import type { Cache, CacheStats } from "./types.ts";

/** What `cache` says about the cache (beside bootstrap's fields). */
export interface CacheSection extends CacheStats {
  location: string;
  /** The first failure, after which the run read straight from the store. */
  down?: string;
}

/** The summary with its `cache` section filled from `cache` (unchanged without one). */
export function withCacheSection(summary: Summary, cache: Cache | undefined): Summary {
  if (!cache) return summary;
  const prior = summary.cache && typeof summary.cache === "object" ? (summary.cache as Record<string, unknown>) : {};
  const section: CacheSection = { location: cache.location, ...cache.stats, ...(cache.down ? { down: cache.down } : {}) };
  summary.cache = { ...prior, ...section };
  return summary;
}

/** The metric names of the cache counts in the metric history (vendor `cache`, no symbol). */
export const CACHE_METRICS = { hits: "cacheHits", misses: "cacheMisses", evictions: "cacheEvictions" } as const;
