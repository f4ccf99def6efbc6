// An ingest worker thread (see ingest-pool.ts): runs whole jobs (runJob) in a Stager of its own (Store.openStager)
// and answers with their result, the staged changes and the log lines. Loaded only through `new Worker`, never imported.
import { collectGarbage } from "#runtime/gc.ts";
import { resolveCheckOptions } from "../checks/index.ts";
import { type Logger, type RunContext, silentLogger, silentProgress } from "../context.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import { openRunStore } from "../store/open.ts";
import { createVendor } from "../vendors/registry.ts";
import type { SeriesSession } from "./commit.ts";
import { runJob } from "./ingest-job.ts";
import type { IngestAnswer, IngestInit, IngestWork, LogLine } from "./ingest-pool.ts";
import { serveJobs } from "./pool.ts";

const LARGE_SERIES = 100_000;

serveJobs<IngestInit, IngestWork, IngestAnswer>(
  (module) => initParquet(module),
  (init) => {
    let logs: LogLine[] = [];
    const log: Logger = { info: (m) => logs.push(["info", m]), warn: (m) => logs.push(["warn", m]), debug: (m) => logs.push(["debug", m]) };
    const { store: spec, cache: cacheSpec, ...rest } = init.ctx;
    // The cache's one warning reaches the run through the main thread's cache (PoolReply.cache), not these logs.
    const { store, cache } = openRunStore(spec, cacheSpec, silentLogger);
    const ctx: RunContext = { ...rest, store, ...(cache ? { cache } : {}), now: new Date(init.ctx.nowMs), log, progress: silentProgress };
    const options = resolveCheckOptions(ctx.config);
    const vendor = createVendor(init.vendor.name, { config: ctx.config, log, env: {}, ...(init.vendor.source ? { source: init.vendor.source } : {}) });
    const run = async (w: IngestWork): Promise<IngestAnswer> => {
      logs = [];
      const sym = w.job.t.sym.id;
      if (!store.openStager) throw new Error(`${store.location}: this store is written on one thread`);
      const stager = store.openStager(sym, w.prev, w.health);
      const s: SeriesSession = { writer: stager, catalog: stager.catalog, health: stager.health, options };
      try {
        const done = await runJob(ctx, s, w.job, (req) => vendor.fetch(req), vendor.name);
        if ("result" in done && (done.result.report?.rows ?? 0) >= LARGE_SERIES) collectGarbage();
        return { done, changes: stager.take(), logs };
      } catch (err) {
        // The main thread runs this job again; what was staged for it here is removed.
        stager.discard();
        throw err;
      }
    };
    return { run, ...(cache ? { cache } : {}) };
  },
);
