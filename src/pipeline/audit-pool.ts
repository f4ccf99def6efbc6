// Spread the per-series work of an audit over worker threads (web Workers: Bun and Deno both have them). Each worker
// gets one series at a time (two in flight, so none waits on the main thread) and answers with plain data; results
// are put back in target order, so a parallel audit reports exactly what a one-thread audit does.
import type { Config } from "../config/schema.ts";
import type { RunContext } from "../context.ts";
import { workerUrl } from "../worker-url.ts";
import type { SeriesCheck } from "./audit-series.ts";
import type { SeriesState } from "./audit-state.ts";
import type { Target } from "./targets.ts";

/** What every worker is told once: the run's context (its data), the window, the fingerprint, whether to force. */
export interface PoolInit {
  ctx: Pick<RunContext, "waitLockMs" | "runId" | "reference" | "price"> & { config: Config; nowMs: number; store: string };
  window: { fromMs?: number; toMs?: number };
  run: string;
  full: boolean;
}

/** One series to check. */
export interface PoolJob {
  id: number;
  target: Target;
  prior?: SeriesState;
}

/** A worker's answer: the check, or why it could not (the main thread then checks that series itself). */
export type PoolReply = { id: number; check: SeriesCheck } | { id: number; error: string };

const IN_FLIGHT = 2;

/** The data of a run context a worker can be sent (no logger, no progress). */
export function poolContext(ctx: RunContext): PoolInit["ctx"] {
  return {
    config: ctx.config,
    store: ctx.store.spec,
    nowMs: ctx.now.getTime(),
    waitLockMs: ctx.waitLockMs,
    runId: ctx.runId,
    ...(ctx.reference ? { reference: ctx.reference } : {}),
    ...(ctx.price ? { price: ctx.price } : {}),
  };
}

/**
 * Check `jobs` on `workers` threads; `onChecked` hears of each as it finishes. A series a worker could not check (an
 * error, a worker that died or could not start) is left undefined for the caller to check on its own thread.
 */
export function checkInWorkers(
  init: PoolInit,
  jobs: Omit<PoolJob, "id">[],
  workers: number,
  onChecked: (id: number, check: SeriesCheck) => void,
  log: (msg: string) => void,
): Promise<(SeriesCheck | undefined)[]> {
  const results: (SeriesCheck | undefined)[] = new Array(jobs.length).fill(undefined);
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
      w.postMessage({ job: { id, ...jobs[id]! } });
    };
    try {
      const url = workerUrl("./pipeline/audit-worker.ts");
      for (let i = 0; i < workers; i++) pool.push(new Worker(url, { type: "module" }));
    } catch (err) {
      log(`audit workers could not start (${(err as Error).message}); auditing on one thread`);
      finish();
      return;
    }
    for (const w of pool) {
      w.onmessage = (e: MessageEvent) => {
        const r = e.data as PoolReply;
        if ("check" in r) {
          results[r.id] = r.check;
          onChecked(r.id, r.check);
        } else log(`audit worker: ${r.error}`);
        if (++done === jobs.length) finish();
        else feed(w);
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        // What it had in flight stays undefined and is checked on the main thread.
        log(`audit worker failed (${e.message}); the rest is audited on one thread`);
        finish();
      };
      w.postMessage({ init });
      for (let k = 0; k < IN_FLIGHT; k++) feed(w);
    }
  });
}
