// The audit's use of the worker pool (pool.ts): each worker reads, verifies and checks the series it is sent
// (audit-worker.ts); results are put back in target order, so a parallel audit reports exactly what a one-thread
// audit does.

import type { Cache } from "../cache/types.ts";
import type { PushedEvidence } from "../checks/pushdown.ts";
import type { Config } from "../config/schema.ts";
import type { RunContext } from "../context.ts";
import { compileParquet } from "../lakehouse/parquet.ts";
import type { SeriesCheck } from "./audit-series.ts";
import type { SeriesState } from "./audit-state.ts";
import { runInWorkers } from "./pool.ts";
import type { Target } from "./targets.ts";

/** A run context as data a worker can be sent: the store's spec, and the cache's when the run reads through one. */
export type PoolContext = Pick<RunContext, "waitLockMs" | "runId" | "reference" | "price" | "releases"> & {
  config: Config;
  nowMs: number;
  store: string;
  cache?: string;
};

/** What every worker is told once: the run's context (its data), the window, the fingerprint, whether to force. */
export interface PoolInit {
  ctx: PoolContext;
  window: { fromMs?: number; toMs?: number };
  run: string;
  full: boolean;
}

/** One series to check. */
export interface PoolJob {
  target: Target;
  prior?: SeriesState;
  /** The store's own evidence for the series (Store.pushdown), computed by the main thread for the whole audit. */
  pushed?: PushedEvidence;
}

/** The data of a run context a worker can be sent (no logger, no progress). */
export function poolContext(ctx: RunContext): PoolContext {
  return {
    config: ctx.config,
    store: ctx.store.spec,
    ...(ctx.cache ? { cache: ctx.cache.spec } : {}),
    nowMs: ctx.now.getTime(),
    waitLockMs: ctx.waitLockMs,
    runId: ctx.runId,
    ...(ctx.reference ? { reference: ctx.reference } : {}),
    ...(ctx.price ? { price: ctx.price } : {}),
    ...(ctx.releases ? { releases: ctx.releases } : {}),
  };
}

/**
 * Check `jobs` on `workers` worker threads and, with `inline`, on this one too (it takes chunks of series while the
 * workers start); `onChecked` hears of each as it finishes. A series no thread could check (an error, a worker that
 * died or could not start) is left undefined for the caller to check on its own thread. What the workers' caches did
 * is added to `cache`'s counts.
 */
export function checkInWorkers(
  cache: Cache | undefined,
  init: PoolInit,
  jobs: PoolJob[],
  workers: number,
  inline: ((job: PoolJob) => Promise<SeriesCheck>) | undefined,
  onChecked: (id: number, check: SeriesCheck) => void,
  log: (msg: string) => void,
): Promise<(SeriesCheck | undefined)[]> {
  return runInWorkers<PoolJob, SeriesCheck>({
    worker: "./pipeline/audit-worker.ts",
    init,
    // Compiled once here (on a background thread, likely under way since the audit began) rather than once per worker.
    module: compileParquet(),
    jobs,
    workers,
    ...(cache ? { cache } : {}),
    // Targets, states and findings are JSON by design (the catalog, the audit state and the registry are JSON files).
    json: true,
    ...(inline ? { inline } : {}),
    onResult: onChecked,
    log: (m) => log(`audit ${m}`),
  });
}
