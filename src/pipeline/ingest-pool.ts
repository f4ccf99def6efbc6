// Ingest on worker threads (pool.ts), for a store that can stage off the writer's thread (Store.openStager): each
// worker opens the same store and makes the same local vendor, and for each job it is sent reads and verifies the
// stored series, fetches (reads and decodes the source), merges, checks, encodes and stages the commit in a Stager of
// its own (the lakehouse writes its temp files, not yet synced). It answers with plain data: the job's result, the
// staged changes and its log lines. The main thread's writer adopts answers in job order and commits them in groups,
// so what lands is what a one-thread ingest lands.
import type { RunContext } from "../context.ts";
import type { CatalogEntry } from "../lakehouse/catalog.ts";
import type { HealthEntry } from "../lakehouse/health.ts";
import { compileParquet } from "../lakehouse/parquet.ts";
import type { StagedChanges } from "../store/types.ts";
import { type PoolContext, poolContext } from "./audit-pool.ts";
import type { WriteSession } from "./commit.ts";
import type { IngestOptions } from "./ingest.ts";
import type { Done, Job } from "./ingest-job.ts";
import { runInWorkers } from "./pool.ts";

/** What every ingest worker is told once. */
export interface IngestInit {
  ctx: PoolContext;
  vendor: { name: string; source?: string };
}

/** One series for a worker: the job, and the catalog and registry entries its commit starts from. */
export interface IngestWork {
  job: Job;
  prev?: CatalogEntry;
  health?: HealthEntry;
}

export type LogLine = ["info" | "warn" | "debug", string];

/** A worker's answer for one series. */
export interface IngestAnswer {
  done: Done;
  changes: StagedChanges;
  logs: LogLine[];
}

/** Answers by job index, awaited in order; undefined for a job no worker finished (the caller runs it itself). */
export interface PooledRun {
  take(i: number): Promise<IngestAnswer | undefined>;
}

/** Start `jobs` on `workers` threads; the vendor must have a replica (see Vendor.replica), the store a Stager. */
export async function runPooled(ctx: RunContext, s: WriteSession, jobs: Job[], opts: IngestOptions, workers: number): Promise<PooledRun> {
  const init: IngestInit = { ctx: poolContext(ctx), vendor: opts.vendor.replica! };
  // The entries are those before the run: each series' commit touches only its own (health is per symbol, and a
  // run's targets are distinct symbols), so no answer depends on another's.
  const work: IngestWork[] = jobs.map((job) => {
    const prev = s.catalog.get(job.t.sym.id, job.t.interval);
    const health = s.health.get(job.t.sym.id);
    return { job, ...(prev ? { prev } : {}), ...(health ? { health } : {}) };
  });
  const arrived = new Map<number, IngestAnswer>();
  let over = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  void runInWorkers<IngestWork, IngestAnswer>({
    worker: "./pipeline/ingest-worker.ts",
    init,
    module: compileParquet(), // once, not once per worker
    jobs: work,
    workers,
    ...(ctx.cache ? { cache: ctx.cache } : {}),
    // The writer adopts answers in job order as they come: one job a message, so the first is not held up by a chunk.
    maxChunk: 1,
    onResult: (id, answer) => {
      arrived.set(id, answer);
      poke();
    },
    log: (m) => ctx.log.debug(`ingest ${m}`),
  }).then(() => {
    over = true;
    poke();
  });
  return {
    async take(i) {
      while (!arrived.has(i) && !over) await new Promise<void>((res) => (wake = res));
      const a = arrived.get(i);
      arrived.delete(i);
      return a;
    },
  };
}
