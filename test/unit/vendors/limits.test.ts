import { expect, test } from "bun:test";
import fc from "fast-check";
import { chunks, mapLimit, mapLimitSettled, RateLimiter, Semaphore } from "../../../src/vendors/limits.ts";

test("mapLimit keeps order and never exceeds the limit (property)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.nat(5), { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), async (delays, limit) => {
      let active = 0;
      let peak = 0;
      const out = await mapLimit(delays, limit, async (d, i) => {
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, d));
        active--;
        return i * 2;
      });
      expect(out).toEqual(delays.map((_, i) => i * 2));
      expect(peak).toBeLessThanOrEqual(limit);
    }),
    { seed: 42, numRuns: 40 },
  );
});

test("mapLimit rejects on the first failure and starts nothing after it", async () => {
  const started: number[] = [];
  const p = mapLimit([0, 1, 2, 3, 4, 5], 1, async (x) => {
    started.push(x);
    if (x === 2) throw new Error("boom");
    return x;
  });
  await expect(p).rejects.toThrow("boom");
  expect(started).toEqual([0, 1, 2]);
});

test("mapLimitSettled: one failure leaves the others unaffected", async () => {
  const out = await mapLimitSettled([1, 2, 3], 2, async (x) => {
    if (x === 2) throw new Error("bad");
    return x;
  });
  expect(out.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
});

test("chunks", () => {
  expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  expect(chunks([], 3)).toEqual([]);
});

test("Semaphore: waiters served in order, abort leaves the queue", async () => {
  const s = new Semaphore(1);
  const r1 = await s.acquire();
  const order: string[] = [];
  const ac = new AbortController();
  const a = s.acquire(ac.signal).then(
    () => order.push("aborted-got"),
    () => order.push("aborted"),
  );
  const b = s.acquire().then((rel) => (order.push("b"), rel));
  ac.abort();
  r1();
  await a;
  (await b)();
  expect(order).toEqual(["aborted", "b"]);
  expect(s.peak).toBe(1);
  expect(s.inFlight).toBe(0);
});

test("RateLimiter: a burst, then one token per 1/rate", async () => {
  const rl = new RateLimiter(600, 2); // one per 100 ms, burst 2
  const t0 = performance.now();
  await rl.take();
  await rl.take();
  expect(performance.now() - t0).toBeLessThan(20);
  let third = false;
  const p = rl.take().then(() => (third = true));
  await new Promise((r) => setTimeout(r, 30));
  expect(third).toBe(false);
  await p;
  expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
});

test("RateLimiter: unlimited when perMinute is 0", async () => {
  const rl = new RateLimiter(0);
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) await rl.take();
  expect(performance.now() - t0).toBeLessThan(100);
});
