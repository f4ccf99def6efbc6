// Spread independent per-series work over worker threads (web Workers: Bun and Deno both have them). Each worker is
// told the run once (`init`), then gets one job at a time (two in flight, so none waits on the main thread) and
// answers with plain data; answers are matched to their job by index, so the caller can put them back in job order
// and a parallel run reports exactly what a one-thread run does. Audit and ingest both run on it.
import { type Cache, type CacheReport, statsSince, zeroStats } from "../cache/types.ts";
import { workerUrl } from "../worker-url.ts";

/**
 * A worker's answer: the job's result, or why it could not (the caller then runs that job itself); with what the
 * worker's cache did for it, so the run's cache counts are the same whatever --jobs is.
 */
export type PoolReply<R> = ({ id: number; result: R } | { id: number; error: string }) & { cache?: CacheReport };

const IN_FLIGHT = 2;

/** What runInWorkers needs: the worker module (relative to src/), the run's init message, the jobs. */
export interface PoolSpec<J, R> {
  /** e.g. `./pipeline/audit-worker.ts`; also an entrypoint of build.ts, so the compiled binary embeds it. */
  worker: string;
  init: unknown;
  /** A compiled WASM module (the Parquet engine) each worker instantiates instead of compiling its own. */
  module?: WebAssembly.Module;
  jobs: readonly J[];
  workers: number;
  /** The run's cache: what each worker's cache did is added to its counts. */
  cache?: Cache;
  /** Hears of each result as it arrives (any order). */
  onResult(id: number, result: R): void;
  log(msg: string): void;
}

/**
 * Run `jobs` on `workers` threads. A job a worker could not finish (an error, a worker that died or could not start)
 * is left undefined in the answer for the caller to run on its own thread.
 */
export function runInWorkers<J, R>(spec: PoolSpec<J, R>): Promise<(R | undefined)[]> {
  const { jobs } = spec;
  const results: (R | undefined)[] = new Array(jobs.length).fill(undefined);
  if (!jobs.length) return Promise.resolve(results);
  return new Promise((resolve) => {
    const pool: Worker[] = [];
    let next = 0;
    let done = 0;
    let over = false;
    const finish = () => {
      if (over) return;
      over = true;
      for (const w of pool) w.terminate();
      resolve(results);
    };
    const feed = (w: Worker) => {
      if (next >= jobs.length) return;
      const id = next++;
      w.postMessage({ job: { id, job: jobs[id]! } });
    };
    try {
      const url = workerUrl(spec.worker);
      for (let i = 0; i < spec.workers; i++) pool.push(new Worker(url, { type: "module" }));
    } catch (err) {
      spec.log(`workers could not start (${(err as Error).message}); running on one thread`);
      finish();
      return;
    }
    for (const w of pool) {
      w.onmessage = (e: MessageEvent) => {
        const r = e.data as PoolReply<R>;
        if (r.cache) spec.cache?.absorb(r.cache);
        if ("result" in r) {
          results[r.id] = r.result;
          spec.onResult(r.id, r.result);
        } else spec.log(`worker: ${r.error}`);
        if (++done === jobs.length) finish();
        else feed(w);
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        // What it had in flight stays undefined and is run on the main thread.
        spec.log(`worker failed (${e.message}); the rest runs on one thread`);
        finish();
      };
      w.postMessage({ init: spec.init, module: spec.module });
      for (let k = 0; k < IN_FLIGHT; k++) feed(w);
    }
  });
}

interface WorkerScope {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(data: unknown): void;
}

/** A worker's job runner, and the cache its store reads through (its counts travel with each answer). */
export interface JobRunner<J, R> {
  run(job: J): R | Promise<R>;
  cache?: Cache;
}

/**
 * The worker side: `start(init)` once, then `run(job)` for each job, after `prepare(module)` (e.g. instantiating the
 * Parquet engine from the module the main thread sent) has settled. A job that throws is answered with its error;
 * the main thread runs it again so it surfaces there typed.
 */
export function serveJobs<I, J, R>(prepare: (module?: WebAssembly.Module) => Promise<unknown>, start: (init: I) => JobRunner<J, R>): void {
  const scope = globalThis as unknown as WorkerScope;
  let runner: JobRunner<J, R> | undefined;
  let ready: Promise<unknown> = Promise.resolve();
  const reported = zeroStats();
  let downReported = false;
  // What the cache did since the last answer (answers are sent one at a time, so each count travels once).
  const cacheReport = (): { cache?: CacheReport } => {
    const c = runner?.cache;
    if (!c) return {};
    const stats = statsSince(c.stats, reported);
    const down = c.down && !downReported ? c.down : undefined;
    if (down) downReported = true;
    return stats || down ? { cache: { stats: stats ?? zeroStats(), ...(down ? { down } : {}) } } : {};
  };
  scope.onmessage = (e: MessageEvent) => {
    const msg = e.data as { init: I; module?: WebAssembly.Module } | { job: { id: number; job: J } };
    if ("init" in msg) {
      ready = prepare(msg.module);
      runner = start(msg.init);
      return;
    }
    const { id, job } = msg.job;
    void ready
      .then(async () => ({ id, result: await runner!.run(job) }))
      .then(
        (reply) => scope.postMessage({ ...reply, ...cacheReport() } satisfies PoolReply<R>),
        (err) => scope.postMessage({ id, error: String((err as Error)?.message ?? err), ...cacheReport() } satisfies PoolReply<R>),
      );
  };
}
