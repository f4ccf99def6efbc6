// Shared command plumbing: resolve flags + config into a RunContext, and finish with the one summary.
import type { ConsolaInstance } from "consola/core";
import { withCacheSection } from "../src/cache/summary.ts";
import { loadConfig } from "../src/config/load.ts";
import type { Config } from "../src/config/schema.ts";
import { secretsInConfig, secretsInEnv } from "../src/config/secrets.ts";
import type { Logger, Progress, RunContext } from "../src/context.ts";
import { ConfigError } from "../src/errors.ts";
import type { RunRecord } from "../src/lakehouse/runs.ts";
import { metricsOf } from "../src/metrics/collect.ts";
import { parseDuration, parseInstant } from "../src/model/parse.ts";
import { parseRunId } from "../src/model/run-id.ts";
import { parsePriceBasis } from "../src/pipeline/price.ts";
import { loadReferenceData } from "../src/pipeline/reference.ts";
import { redactSecrets, registerSecrets } from "../src/redact.ts";
import { writeHtmlReport } from "../src/report/html/index.ts";
import { toRunRecord } from "../src/report/run-record.ts";
import { buildSummary, type FailOn, newRunId, type StepResult } from "../src/report/summary.ts";
import { openRunStore } from "../src/store/open.ts";
import type { PublisherOptions } from "../src/stream/publisher.ts";
import { checkEmitTarget } from "../src/stream/target.ts";
import { trace } from "../src/trace.ts";
import { createVendor } from "../src/vendors/registry.ts";
import type { Vendor } from "../src/vendors/types.ts";
import { VERSION } from "../src/version.ts";
import { colorFor, emitSummary, type OutputChoice, outputChoice, setCurrent } from "./_output.ts";
import { createLogger, createProgress, stderrUi } from "./_progress.ts";

/** Parsed global flags (citty gives strings and booleans). */
export interface GlobalFlags {
  lakehouse?: string;
  store?: string;
  cache?: string;
  config?: string;
  json?: boolean;
  format?: string;
  output?: string;
  color?: boolean;
  "fail-on-quality"?: string;
  now?: string;
  "wait-lock"?: string;
  emit?: string;
  quiet?: boolean;
  verbose?: boolean;
  /** ingest, repair, flow: the price basis (raw or adjusted). */
  price?: string;
}

/** A command invocation's resolved context. */
export interface Invocation {
  command: string;
  ctx: RunContext;
  config: Config;
  /** True when the result is printed as JSON (--json or --format json). */
  json: boolean;
  out: OutputChoice;
  failOn: FailOn;
  started: Date;
  consola: ConsolaInstance;
  /** Where the run's events go (--emit, config stream.url); absent: nowhere. */
  emit?: PublisherOptions;
}

/** What a command does to the lakehouse, so setup can refuse a read-only one before any work. */
export interface SetupOptions {
  /** The command writes into the lakehouse (catalog, registry, runs.jsonl, bars). */
  writes?: boolean;
  /** The flag that makes this command leave the lakehouse alone (advised when it is not writable). */
  readOnlyFlag?: string;
}

/** Resolve flags, environment and config into a RunContext (flags override config). */
export function setup(command: string, flags: GlobalFlags, runId?: string, opts: SetupOptions = {}): Invocation {
  // Secrets are registered before anything can fail or log, so every message below is redacted.
  registerSecrets(secretsInEnv(process.env));
  const out = outputChoice(flags);
  const ui = stderrUi(process.stderr, { color: colorFor(process.stderr, flags.color) });
  const consola = createLogger(ui, flags.quiet ? 0 : flags.verbose ? 4 : 3);
  // Reference instruments merge under config.instruments here, so every command sees one instrument table.
  const { reference, config } = loadReferenceData(loadConfig(flags.config).config);
  registerSecrets(secretsInConfig(config, process.argv));
  const started = new Date();
  const now = flags.now !== undefined ? new Date(parseInstant(flags.now, "--now")) : started;
  const failRaw = flags["fail-on-quality"];
  if (failRaw !== undefined && failRaw !== "error" && failRaw !== "warning") {
    throw new ConfigError(`--fail-on-quality: "${failRaw}" is not error or warning`, "use --fail-on-quality or --fail-on-quality=warning");
  }
  if (runId !== undefined) parseRunId(runId);
  const waitLockMs = flags["wait-lock"] !== undefined ? parseDuration(flags["wait-lock"], "--wait-lock") : 0;
  const log: Logger = { info: (m) => consola.info(m), warn: (m) => consola.warn(m), debug: (m) => consola.debug(m) };
  const emit = emitOptions(flags, config);
  const cacheLabel = flags.cache !== undefined ? "--cache" : process.env.DQCTL_CACHE ? "DQCTL_CACHE" : "config cache";
  const { raw, store, cache } = openRunStore(storeSpec(flags, config), cacheSpec(flags, config), log, cacheLabel);
  if (opts.writes) raw.assertWritable(command, opts.readOnlyFlag);
  const ctx: RunContext = {
    config,
    store,
    now,
    log,
    progress: flags.quiet ? silent : createProgress(ui, (line) => consola.info(line)),
    waitLockMs,
    runId: runId ?? newRunId(now),
    reference,
    price: flags.price !== undefined ? parsePriceBasis(flags.price) : (config.price ?? "raw"),
    ...(cache ? { cache } : {}),
  };
  setCurrent({ command, runId: ctx.runId, started, out, note: (line) => consola.info(line) });
  return { command, ctx, config, json: out.format === "json", out, failOn: failRaw as FailOn, started, consola, ...(emit ? { emit } : {}) };
}

/** --emit (else config stream.url) with the config's stream settings, checked now; undefined: no events. */
function emitOptions(flags: GlobalFlags, config: Config): PublisherOptions | undefined {
  const url = flags.emit ?? config.stream?.url;
  if (url === undefined) return undefined;
  checkEmitTarget(url);
  const s = config.stream ?? {};
  return { url, ...(s.name ? { name: s.name } : {}), ...(s.prefix ? { prefix: s.prefix } : {}), ...(s.timeoutMs ? { timeoutMs: s.timeoutMs } : {}) };
}

/** The store the run uses: --store, --lakehouse, DQCTL_STORE, DQCTL_LAKEHOUSE, config store, config lakehouse, data/lakehouse. */
function storeSpec(flags: GlobalFlags, config: Config): string {
  const env = process.env;
  return flags.store ?? flags.lakehouse ?? env.DQCTL_STORE ?? env.DQCTL_LAKEHOUSE ?? config.store ?? config.lakehouse ?? "data/lakehouse";
}

/** The cache the run uses, if any: --cache, DQCTL_CACHE, config cache (an empty value turns it off). */
function cacheSpec(flags: GlobalFlags, config: Config): string | undefined {
  const spec = flags.cache ?? process.env.DQCTL_CACHE ?? config.cache;
  return spec ? spec : undefined;
}

const silent: Progress = { start() {}, tick() {}, done() {} };

/** How a command finishes: append the run record to runs.jsonl, and the command's own document for the default output. */
export interface FinishOptions {
  record?: boolean;
  /** Printed instead of the summary table when no --format/--json was given (lineage: its Markdown document). */
  document?: string;
  /** Append the run's per-series metrics to the lakehouse's metrics store (audit, ingest, repair, flow). */
  metrics?: boolean;
  /** Also write the HTML report of the summary to this file (`--report`, `dqctl report --out`). */
  report?: string;
}

/** Build the summary, append the run record when asked, print it in the chosen format, and return the exit code. */
export async function finish(inv: Invocation, step: StepResult, opts: FinishOptions = {}): Promise<number> {
  const summary = withCacheSection(buildSummary(inv.command, inv.ctx.runId, inv.started, new Date(), step, inv.failOn), inv.ctx.cache);
  const record = opts.record ? toRunRecord(summary, step, inv.ctx.now) : undefined;
  if (record) await inv.ctx.store.appendRun(record);
  if (record && inv.emit) summary.stream = await publishRun(inv, record, inv.emit);
  trace("finish: run recorded");
  if (opts.metrics) await inv.ctx.store.appendMetrics(metricsOf(inv.ctx, summary));
  trace("finish: metrics appended");
  if (opts.report) {
    const bytes = await writeHtmlReport(inv.ctx, summary, opts.report);
    inv.consola.info(`report: ${opts.report} (${Math.ceil(bytes / 1024)} kB)`);
  }
  emitSummary(summary, inv.out, (line) => inv.consola.info(line), opts.document);
  trace("finish: summary printed");
  // Operational failures of single series: one line each on stderr, whatever the output mode.
  for (const e of summary.errors ?? []) process.stderr.write(`dqctl: ${redactSecrets(e.message)}\n`);
  return summary.exitCode;
}

/** Publish a recorded run's events (the stream module loads the NATS client: only a run that publishes pays for it). */
async function publishRun(inv: Invocation, record: RunRecord, o: PublisherOptions): Promise<unknown> {
  const [{ recordEvents }, { emitRun }, { enabledCheckCodes }, { OUTBOX_MAX_BYTES }] = await Promise.all([
    import("../src/stream/events.ts"),
    import("../src/stream/emit.ts"),
    import("../src/lineage/index.ts"),
    import("../src/stream/outbox.ts"),
  ]);
  const events = recordEvents(record, o.prefix ?? "dqctl", { lakehouse: inv.ctx.store.location, checkCodes: enabledCheckCodes(inv.ctx), version: VERSION });
  const outbox = inv.ctx.store.openOutbox(inv.config.stream?.outboxMaxBytes ?? OUTBOX_MAX_BYTES);
  const r = await emitRun(events, o, outbox, inv.ctx.log);
  inv.consola.info(
    `stream: ${r.published} event(s) to ${r.target}${r.flushed ? ` (${r.flushed} from the outbox)` : ""}${r.outboxed ? `, ${r.outboxed} to the outbox` : ""}`,
  );
  return r;
}

/** The vendor named by `--vendor` (with `--source` for the file vendor), configured from the invocation. */
export function vendorFor(inv: Invocation, args: { vendor: string; source?: string }): Vendor {
  return createVendor(args.vendor, { config: inv.config, log: inv.ctx.log, env: process.env, ...(args.source ? { source: args.source } : {}) });
}
