// The worker pool (src/pipeline/pool.ts) on its own: every job answered once and put back by its index, whichever
// thread ran it; a job that throws, or that a dying worker held, is left undefined for the caller to run itself;
// a pool whose workers cannot start runs everything on this thread.
import { describe, expect, test } from "bun:test";
import { type PoolSpec, runInWorkers } from "../../../src/pipeline/pool.ts";

type Square = { n: number; square: number };
const JOBS = Array.from({ length: 240 }, (_, i) => i);
const FAIL = [7, 100, 233];

function pool(over: Partial<PoolSpec<number, Square>> & { init?: { fail: number[]; dieAt?: number } }, hear?: (id: number) => void) {
  const heard: number[] = [];
  const logs: string[] = [];
  const done = runInWorkers<number, Square>({
    worker: "../test/helpers/pool-worker.ts",
    init: { fail: FAIL },
    jobs: JOBS,
    workers: 2,
    onResult: (id, r) => {
      expect(r.n).toBe(JOBS[id]!);
      heard.push(id);
      hear?.(id);
    },
    log: (m) => logs.push(m),
    ...over,
  });
  return { done, heard, logs };
}

/** Every job answered with its own square, except those listed (undefined); each result heard of exactly once. */
function expectAnswers(results: (Square | undefined)[], heard: number[], missing: Set<number>) {
  expect(results.length).toBe(JOBS.length);
  for (const [i, r] of results.entries()) {
    if (missing.has(i)) expect(r).toBeUndefined();
    else expect(r).toEqual({ n: i, square: i * i });
  }
  expect([...heard].sort((a, b) => a - b)).toEqual(JOBS.filter((i) => !missing.has(i)));
}

describe("runInWorkers", () => {
  for (const json of [false, true])
    test(`workers and this thread share the jobs; answers land by index (${json ? "JSON" : "structured clone"})`, async () => {
      const ran: number[] = [];
      // This thread's first job waits for a worker's first answer, so both surely take part.
      let workerAnswered = () => {};
      const fromWorker = new Promise<void>((res) => (workerAnswered = res));
      const inline = async (n: number) => {
        ran.push(n);
        if (ran.length === 1) await fromWorker;
        if (FAIL.includes(n)) throw new Error(`no square for ${n}`);
        return { n, square: n * n };
      };
      const { done, heard } = pool({ json, inline }, (id) => ran.includes(id) || workerAnswered());
      expectAnswers(await done, heard, new Set(FAIL));
      expect(ran.length).toBeGreaterThan(0);
      expect(ran.length).toBeLessThan(JOBS.length);
    });

  test("workers only: every job crosses a thread, in chunks of at most maxChunk", async () => {
    const { done, heard } = pool({ maxChunk: 5 });
    expectAnswers(await done, heard, new Set(FAIL));
  });

  test("a worker that dies leaves what it held undefined; the other finishes the rest", async () => {
    const { done, heard, logs } = pool({ init: { fail: FAIL, dieAt: 150 }, workers: 2, maxChunk: 8 });
    const results = await done;
    expect(logs.some((m) => m.startsWith("worker failed"))).toBe(true);
    const missing = new Set(results.flatMap((r, i) => (r ? [] : [i])));
    expect(missing.has(150)).toBe(true);
    // Besides the failing jobs, only what the dead worker held: job 150's chunk and the one queued behind it.
    expect([...missing].filter((i) => !FAIL.includes(i)).length).toBeLessThanOrEqual(16);
    expectAnswers(results, heard, missing);
  });

  test("workers that cannot load: this thread runs every job, or, without it, every job is left to the caller", async () => {
    const inline = async (n: number) => ({ n, square: n * n });
    const a = pool({ worker: "./no/such-worker.ts", inline });
    expectAnswers(await a.done, a.heard, new Set());
    const b = pool({ worker: "./no/such-worker.ts" });
    expectAnswers(await b.done, b.heard, new Set(JOBS));
  });
});
