// Spread independent per-series work over worker threads (web Workers: Bun and Deno both have them). Each worker is
// told the run once (`init`); once it says it is ready (its code and engine loaded) it is sent chunks of consecutive
// jobs (two in flight, so it never waits on the main thread) and answers each chunk with one message of plain data
// (one JSON string, for a caller whose data is JSON). Chunks are claimed from one cursor, largest first
// and shrinking as the work runs out (guided self-scheduling): few messages while there is much to do, an even finish.
// A caller with an `inline` runner takes chunks on its own thread too, from the start — it checks while the workers
// load their modules, so a pool of N threads starts only N−1 workers. Answers are matched to their job by index, so
// the caller can put them back in job order and a parallel run reports exactly what a one-thread run does. Audit and
// ingest both run on it.
import { setImmediate } from "node:timers";
import { type Cache, type CacheReport, statsSince, zeroStats } from "../cache/types.ts";
import { trace, traceOrigin, traceThread, traceThreads, tracing } from "../trace.ts";
import { workerUrl } from "../worker-url.ts";

/** A worker's answer for one job: its result, or why it could not (the caller then runs that job itself). */
export type PoolReply<R> = { result: R } | { error: string };

/** What the main thread sends a worker: the run once, then chunks of jobs (`from` is the first job's index). */
type ToWorker<I, J> = { init: I; json: boolean; module?: WebAssembly.Module; trace?: { name: string; origin: number } } | { from: number; jobs: J[] | string };
/**
 * A worker's word: ready for jobs (its engine loaded), or its answer to one chunk, a reply per job in the chunk's
 * order, with what its cache did meanwhile (so the run's cache counts are the same whatever --jobs is).
 */
type FromWorker<R> = { ready: true } | { failed: string } | { from: number; replies: PoolReply<R>[] | string; cache?: CacheReport };

const IN_FLIGHT = 2;
/** The most jobs this thread runs between two looks at the workers' answers. */
const INLINE_CHUNK = 4;
/** Chunks per thread the remaining work is cut into (the chunk size shrinks as it runs out). */
const SLICES = 4;

/** What runInWorkers needs: the worker module (relative to src/), the run's init message, the jobs. */
export interface PoolSpec<J, R> {
  /** e.g. `./pipeline/audit-worker.ts`; also an entrypoint of build.ts, so the compiled binary embeds it. */
  worker: string;
  init: unknown;
  /** The compiled WASM module (the Parquet engine) each worker instantiates instead of compiling its own; workers start loading meanwhile. */
  module?: Promise<WebAssembly.Module>;
  jobs: readonly J[];
  /** Worker threads to start (besides this one). */
  workers: number;
  /** The run's cache: what each worker's cache did is added to its counts. */
  cache?: Cache;
  /** Runs one job on this thread: given, this thread takes chunks too (and runs everything when no worker starts). */
  inline?: (job: J, id: number) => Promise<R>;
  /**
   * Jobs and results are JSON data: each chunk crosses as one string (one copy) instead of a structured clone of its
   * object graph, which costs ~5× JSON.stringify + JSON.parse in Bun. Only for data JSON carries unchanged (no
   * NaN, Infinity, undefined members, typed arrays or Dates).
   */
  json?: boolean;
  /** The most jobs in one chunk (default 32; 1 for a caller that consumes answers in order as they come). */
  maxChunk?: number;
  /** Hears of each result as it arrives (any order). */
  onResult(id: number, result: R): void;
  log(msg: string): void;
}

/**
 * Hand the event loop one turn, so worker answers are taken in between this thread's own chunks. setImmediate, not
 * setTimeout(0): that one sleeps ~1.5 ms in Bun (3 ms in Deno), and on a busy machine a thread that sleeps waits
 * its turn again.
 */
const yieldTurn = () => new Promise<void>((res) => setImmediate(res));

/**
 * Run `jobs` on `workers` threads (and this one, with `inline`). A job no thread finished (an error, a worker that
 * died or could not start) is left undefined in the answer for the caller to run on its own thread.
 */
export function runInWorkers<J, R>(spec: PoolSpec<J, R>): Promise<(R | undefined)[]> {
  const { jobs } = spec;
  const results: (R | undefined)[] = new Array(jobs.length).fill(undefined);
  if (!jobs.length) return Promise.resolve(results);
  const threads = spec.workers + (spec.inline ? 1 : 0);
  const maxChunk = Math.max(1, spec.maxChunk ?? 32);
  let next = 0;
  /** Claim the next chunk [from, to) of at most `most` jobs, or undefined when every job is claimed. */
  const claim = (most = maxChunk): [number, number] | undefined => {
    if (next >= jobs.length) return undefined;
    const size = Math.min(most, Math.max(1, Math.ceil((jobs.length - next) / (threads * SLICES))));
    const from = next;
    next = Math.min(jobs.length, next + size);
    return [from, next];
  };
  return new Promise((resolve) => {
    const live = new Map<Worker, [number, number][]>(); // each worker's chunks in flight
    let answered = 0;
    let inlineRunning = false;
    let over = false;
    const settle = () => {
      // Done when every job is answered, or when no thread is left to answer (what is unanswered stays undefined).
      if (over || (answered < jobs.length && (inlineRunning || live.size))) return;
      over = true;
      trace(`pool: ${answered} of ${jobs.length} jobs answered`);
      traceThreads();
      for (const w of live.keys()) w.terminate();
      resolve(results);
    };
    const feed = (w: Worker) => {
      const c = claim();
      if (!c) return;
      live.get(w)!.push(c);
      const chunk = jobs.slice(c[0], c[1]);
      w.postMessage({ from: c[0], jobs: spec.json ? JSON.stringify(chunk) : chunk } satisfies ToWorker<unknown, J>);
    };
    const drop = (w: Worker, why: string) => {
      // What it had in flight stays undefined and is run by the caller; the rest goes to the others.
      spec.log(`worker failed (${why}); the others carry on`);
      trace(`pool: a worker failed (${why})`);
      for (const [from, to] of live.get(w) ?? []) answered += to - from;
      live.delete(w);
      w.terminate();
      settle();
    };
    try {
      const url = workerUrl(spec.worker);
      for (let i = 0; i < spec.workers; i++) live.set(new Worker(url, { type: "module" }), []);
      if (spec.workers) trace(`pool: ${spec.workers} workers started`);
    } catch (err) {
      spec.log(`workers could not start (${(err as Error).message}); running on one thread`);
      for (const w of live.keys()) w.terminate();
      live.clear();
    }
    let index = 0;
    for (const w of live.keys()) {
      const name = `worker ${index++}`;
      w.onmessage = (e: MessageEvent) => {
        const msg = e.data as FromWorker<R>;
        if ("ready" in msg) {
          trace(`pool: ${name} ready, ${jobs.length - next} jobs unclaimed`);
          for (let k = 0; k < IN_FLIGHT; k++) feed(w);
          return settle();
        }
        if ("failed" in msg) return drop(w, msg.failed);
        const from = msg.from;
        if (msg.cache) spec.cache?.absorb(msg.cache);
        const replies = typeof msg.replies === "string" ? (JSON.parse(msg.replies) as PoolReply<R>[]) : msg.replies;
        const chunks = live.get(w);
        if (!chunks) return;
        chunks.splice(
          chunks.findIndex((c) => c[0] === from),
          1,
        );
        for (const [k, r] of replies.entries()) {
          if ("result" in r) {
            results[from + k] = r.result;
            spec.onResult(from + k, r.result);
          } else spec.log(`worker: ${r.error}`);
        }
        answered += replies.length;
        feed(w);
        settle();
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        drop(w, e.message);
      };
      // Sent once the module is compiled (the worker loads its code meanwhile); it is fed chunks once it says it is ready.
      void (spec.module ?? Promise.resolve(undefined)).then(
        (module) => {
          const t = tracing() ? { name, origin: traceOrigin() } : undefined;
          w.postMessage({ init: spec.init, json: spec.json === true, ...(module ? { module } : {}), ...(t ? { trace: t } : {}) } satisfies ToWorker<
            unknown,
            J
          >);
        },
        (err) => drop(w, `no engine: ${(err as Error).message}`),
      );
    }
    if (spec.inline) void runInline(spec.inline);
    else settle();

    async function runInline(run: (job: J, id: number) => Promise<R>): Promise<void> {
      inlineRunning = true;
      let ran = 0;
      // Small chunks here: a worker's answer (and its next chunk) waits until this thread's chunk is done.
      for (let c = claim(INLINE_CHUNK); c && !over; c = claim(INLINE_CHUNK)) {
        for (let id = c[0]; id < c[1]; id++) {
          try {
            const r = await run(jobs[id]!, id);
            results[id] = r;
            spec.onResult(id, r);
          } catch (err) {
            spec.log(`this thread: ${(err as Error).message}`);
          }
        }
        answered += c[1] - c[0];
        ran += c[1] - c[0];
        if (live.size) await yieldTurn();
      }
      inlineRunning = false;
      trace(`pool: this thread ran ${ran} jobs`);
      settle();
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
 * The worker side: `start(init)` once and `prepare(module)` (e.g. instantiating the Parquet engine from the module the
 * main thread sent), then `run(job)` for each job of each chunk, one chunk at a time. A job that throws is answered
 * with its error; the main thread runs it again so it surfaces there typed.
 */
export function serveJobs<I, J, R>(prepare: (module?: WebAssembly.Module) => Promise<unknown>, start: (init: I) => JobRunner<J, R>): void {
  const scope = globalThis as unknown as WorkerScope;
  let runner: JobRunner<J, R> | undefined;
  const reported = zeroStats();
  let downReported = false;
  // What the cache did since the last answer (chunks are answered one at a time, so each count travels once).
  const cacheReport = (): { cache?: CacheReport } => {
    const c = runner?.cache;
    if (!c) return {};
    const stats = statsSince(c.stats, reported);
    const down = c.down && !downReported ? c.down : undefined;
    if (down) downReported = true;
    return stats || down ? { cache: { stats: stats ?? zeroStats(), ...(down ? { down } : {}) } } : {};
  };
  let queue: Promise<unknown> = Promise.resolve();
  let busy = 0;
  let served = 0;
  let json = false;
  const answer = async (from: number, sent: J[] | string) => {
    const jobs = typeof sent === "string" ? (JSON.parse(sent) as J[]) : sent;
    const t0 = performance.now();
    const replies: PoolReply<R>[] = [];
    for (const job of jobs) {
      try {
        replies.push({ result: await runner!.run(job) });
      } catch (err) {
        replies.push({ error: String((err as Error)?.message ?? err) });
      }
    }
    busy += performance.now() - t0;
    served += jobs.length;
    if (tracing() && served % 100 < jobs.length) trace(`${served} jobs, ${busy.toFixed(0)} ms busy`);
    scope.postMessage({ from, replies: json ? JSON.stringify(replies) : replies, ...cacheReport() } satisfies FromWorker<R>);
  };
  scope.onmessage = (e: MessageEvent) => {
    const msg = e.data as ToWorker<I, J>;
    if ("init" in msg) {
      if (msg.trace) traceThread(msg.trace.name, msg.trace.origin);
      json = msg.json;
      trace("init received");
      queue = prepare(msg.module).then(
        () => {
          runner = start(msg.init);
          trace("engine ready");
          scope.postMessage({ ready: true } satisfies FromWorker<R>);
        },
        // Not ready: the main thread gives it no jobs and runs them elsewhere.
        (err) => scope.postMessage({ failed: String((err as Error)?.message ?? err) } satisfies FromWorker<R>),
      );
      return;
    }
    // One chunk at a time, in the order sent.
    queue = queue.then(() => answer(msg.from, msg.jobs));
  };
}
