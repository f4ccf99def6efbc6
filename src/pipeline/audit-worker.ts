// An audit worker thread: reads, verifies and checks the series it is sent (checkSeries), one message each.
// Loaded only by audit-pool.ts through `new Worker`, never imported, so `dqctl --version` never pays for it.
import { collectGarbage } from "#runtime/gc.ts";
import { resolveCheckOptions } from "../checks/index.ts";
import { silentLogger, silentProgress } from "../context.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import { openStore } from "../store/open.ts";
import type { PoolInit, PoolJob, PoolReply } from "./audit-pool.ts";
import { checkSeries, type SeriesCheckOptions } from "./audit-series.ts";

interface WorkerScope {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(data: unknown): void;
}
const scope = globalThis as unknown as WorkerScope;
const LARGE_SERIES = 100_000;

let setup: { run: (job: PoolJob) => Promise<PoolReply> } | undefined;

function start(init: PoolInit): void {
  const { store: spec, ...rest } = init.ctx;
  const ctx = { ...rest, store: openStore(spec), now: new Date(init.ctx.nowMs), log: silentLogger, progress: silentProgress };
  const base: SeriesCheckOptions = { options: resolveCheckOptions(ctx.config), window: init.window, run: init.run, full: init.full };
  setup = {
    async run(job) {
      try {
        const check = await checkSeries(ctx, job.target, job.prior ? { ...base, prior: job.prior } : base);
        // A large series leaves tens of MB of decode garbage; collect it before the next file so memory stays flat.
        if (check.kind === "checked" && !check.reused && check.rows >= LARGE_SERIES) collectGarbage();
        return { id: job.id, check };
      } catch (err) {
        // The main thread audits this series again itself, so the error surfaces there as the typed error it is.
        return { id: job.id, error: String((err as Error)?.message ?? err) };
      }
    },
  };
}

const ready = initParquet();
scope.onmessage = (e: MessageEvent) => {
  const msg = e.data as { init: PoolInit } | { job: PoolJob };
  if ("init" in msg) {
    start(msg.init);
    return;
  }
  void ready.then(
    () => setup!.run(msg.job).then((reply) => scope.postMessage(reply)),
    (err) => scope.postMessage({ id: msg.job.id, error: String(err) }),
  );
};
