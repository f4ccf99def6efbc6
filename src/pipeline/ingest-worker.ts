// An ingest worker thread (see ingest-pool.ts): runs whole jobs (runJob) in a session of its own and answers with
// their result, the staged changes and the log lines. Loaded only through `new Worker`, never imported.
import { unlinkSync } from "node:fs";
import { join } from "node:path";
import { collectGarbage } from "#runtime/gc.ts";
import { resolveCheckOptions } from "../checks/index.ts";
import { type Logger, type RunContext, silentProgress } from "../context.ts";
import { Catalog } from "../lakehouse/catalog.ts";
import { HealthRegistry } from "../lakehouse/health.ts";
import { Batch } from "../lakehouse/journal.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import { Lakehouse } from "../lakehouse/store.ts";
import { createVendor } from "../vendors/registry.ts";
import type { SeriesSession } from "./commit.ts";
import { runJob } from "./ingest-job.ts";
import type { IngestAnswer, IngestInit, IngestWork, LogLine } from "./ingest-pool.ts";
import { serveJobs } from "./pool.ts";

const LARGE_SERIES = 100_000;

serveJobs<IngestInit, IngestWork, IngestAnswer>(initParquet(), (init) => {
  let logs: LogLine[] = [];
  const log: Logger = { info: (m) => logs.push(["info", m]), warn: (m) => logs.push(["warn", m]), debug: (m) => logs.push(["debug", m]) };
  const ctx: RunContext = { ...init.ctx, now: new Date(init.ctx.nowMs), log, progress: silentProgress };
  const lh = new Lakehouse(ctx.lakehouse);
  const options = resolveCheckOptions(ctx.config);
  const vendor = createVendor(init.vendor.name, { config: ctx.config, log, env: {}, ...(init.vendor.source ? { source: init.vendor.source } : {}) });
  return async (w) => {
    logs = [];
    const catalog = new Catalog(lh.catalogPath);
    if (w.prev) catalog.set(w.prev);
    const health = HealthRegistry.of(lh.healthPath, w.health ? { [w.job.t.sym.id]: w.health } : {});
    const s: SeriesSession = { lh, catalog, health, batch: new Batch(lh.root, catalog, health), options };
    try {
      const done = await runJob(ctx, s, w.job, (req) => vendor.fetch(req), vendor.name);
      if ("result" in done && (done.result.report?.rows ?? 0) >= LARGE_SERIES) collectGarbage();
      return { done, delta: s.batch.take(), logs };
    } catch (err) {
      // The main thread runs this job again; the temps staged for it here are removed.
      for (const f of s.batch.take().files) unlinkQuietly(join(lh.root, f.tmp));
      throw err;
    }
  };
});

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}
