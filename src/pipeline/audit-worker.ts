// An audit worker thread: reads, verifies and checks the series it is sent (checkSeries), one message each.
// Loaded only by audit-pool.ts through `new Worker` (pool.ts), never imported, so `dqctl --version` never pays for it.
import { collectGarbage } from "#runtime/gc.ts";
import { resolveCheckOptions } from "../checks/index.ts";
import { silentLogger, silentProgress } from "../context.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import { openRunStore } from "../store/open.ts";
import type { PoolInit, PoolJob } from "./audit-pool.ts";
import { checkSeries, type SeriesCheck, type SeriesCheckOptions } from "./audit-series.ts";
import { serveJobs } from "./pool.ts";

const LARGE_SERIES = 100_000;

serveJobs<PoolInit, PoolJob, SeriesCheck>(
  (module) => initParquet(module),
  (init) => {
    const { store: spec, cache: cacheSpec, ...rest } = init.ctx;
    const { store, cache } = openRunStore(spec, cacheSpec, silentLogger);
    const ctx = { ...rest, store, ...(cache ? { cache } : {}), now: new Date(init.ctx.nowMs), log: silentLogger, progress: silentProgress };
    const base: SeriesCheckOptions = { options: resolveCheckOptions(ctx.config), window: init.window, run: init.run, full: init.full };
    // A job that throws is answered with its error; the main thread audits that series again, so it surfaces typed.
    const run = async (job: PoolJob) => {
      const check = await checkSeries(ctx, job.target, { ...base, ...(job.prior ? { prior: job.prior } : {}), ...(job.pushed ? { pushed: job.pushed } : {}) });
      // A large series leaves tens of MB of decode garbage; collect it before the next file so memory stays flat.
      if (check.kind === "checked" && !check.reused && check.rows >= LARGE_SERIES) collectGarbage();
      return check;
    };
    return { run, ...(cache ? { cache } : {}) };
  },
);
