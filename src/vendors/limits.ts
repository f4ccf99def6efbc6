/** Cancellable sleep: resolves after `ms`, rejects with the signal's reason when aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A counting semaphore: at most `limit` holders at once, waiters served first come first served. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  /** Highest number of simultaneous holders seen (for tests and stats). */
  peak = 0;
  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`semaphore limit must be >= 1, got ${limit}`);
  }

  /** Wait for a slot; the returned function releases it (idempotent). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.waiters.indexOf(wake);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal!.reason);
        };
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener("abort", onAbort, { once: true });
        this.waiters.push(wake);
      });
    } else {
      this.active++;
    }
    this.peak = Math.max(this.peak, this.active);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // Hand the slot straight to the next waiter so `active` never dips and lets a newcomer jump the queue.
      if (next) next();
      else this.active--;
    };
  }

  /** Number of current holders. */
  get inFlight(): number {
    return this.active;
  }
}

/** Token bucket: `perMinute` tokens a minute, bursts up to `burst`; `perMinute <= 0` means unlimited. */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly ratePerMs: number;
  private readonly burst: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly perMinute: number,
    burst?: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.ratePerMs = perMinute > 0 ? perMinute / 60_000 : Number.POSITIVE_INFINITY;
    // Default burst: one second's worth of tokens (at least 1), so a cold start cannot fire a whole minute at once.
    this.burst = Math.max(1, burst ?? Math.ceil(perMinute / 60));
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Wait until a token is available and take it. Callers are served in order. */
  take(signal?: AbortSignal): Promise<void> {
    if (!Number.isFinite(this.ratePerMs)) return Promise.resolve();
    const turn = this.queue.then(() => this.waitForToken(signal));
    // A caller that aborts must not block the queue behind it.
    this.queue = turn.catch(() => {});
    return turn;
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const t = this.now();
      this.tokens = Math.min(this.burst, this.tokens + (t - this.last) * this.ratePerMs);
      this.last = t;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil((1 - this.tokens) / this.ratePerMs), signal);
    }
  }
}

/** Map `items` through `fn` with at most `concurrency` calls in flight; results keep input order; the first rejection rejects (no new calls start after it). */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const n = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}

/** Like mapLimit but never rejects: each item settles on its own (one symbol failing leaves the others unaffected). */
export function mapLimitSettled<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  return mapLimit(items, concurrency, async (item, i): Promise<PromiseSettledResult<R>> => {
    try {
      return { status: "fulfilled", value: await fn(item, i) };
    } catch (reason) {
      return { status: "rejected", reason };
    }
  });
}

/** Split `items` into consecutive batches of `size` (seed BATCH: backfills go batch by batch). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}
