// Shared command plumbing: resolve flags + config into a RunContext, and finish with the one summary.
import type { ConsolaInstance } from "consola";
import { loadConfig } from "../src/config/load.ts";
import { secretsInConfig, secretsInEnv } from "../src/config/secrets.ts";
import type { Config } from "../src/config/schema.ts";
import type { Logger, Progress, RunContext } from "../src/context.ts";
import { ConfigError } from "../src/errors.ts";
import { parseRunId } from "../src/model/run-id.ts";
import { redactSecrets, registerSecrets } from "../src/redact.ts";
import { loadReferenceData } from "../src/pipeline/reference.ts";
import { parseDuration } from "../src/lakehouse/lock.ts";
import { appendRunRecord } from "../src/lakehouse/runs.ts";
import { toRunRecord } from "../src/report/run-record.ts";
import { createVendor } from "../src/vendors/registry.ts";
import type { Vendor } from "../src/vendors/types.ts";
import { buildSummary, type FailOn, newRunId, type StepResult } from "../src/report/summary.ts";
import { colorFor, emitSummary, type OutputChoice, outputChoice, setCurrent } from "./_output.ts";
import { createLogger, createProgress, stderrUi } from "./_progress.ts";

/** Parsed global flags (citty gives strings and booleans). */
export interface GlobalFlags {
  lakehouse?: string;
  config?: string;
  json?: boolean;
  format?: string;
  output?: string;
  color?: boolean;
  "fail-on-quality"?: string;
  now?: string;
  "wait-lock"?: string;
  quiet?: boolean;
  verbose?: boolean;
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
}

/** Resolve flags, environment and config into a RunContext (flags override config). */
export function setup(command: string, flags: GlobalFlags, runId?: string): Invocation {
  // Secrets are registered before anything can fail or log, so every message below is redacted.
  registerSecrets(secretsInEnv(process.env));
  const out = outputChoice(flags);
  const ui = stderrUi(process.stderr, { color: colorFor(process.stderr, flags.color) });
  const consola = createLogger(ui, flags.quiet ? 0 : flags.verbose ? 4 : 3);
  // Reference instruments merge under config.instruments here, so every command sees one instrument table.
  const { reference, config } = loadReferenceData(loadConfig(flags.config).config);
  registerSecrets(secretsInConfig(config, process.argv));
  const started = new Date();
  let now = started;
  if (flags.now !== undefined) {
    now = new Date(flags.now);
    if (Number.isNaN(now.getTime())) throw new ConfigError(`--now: "${flags.now}" is not an ISO-8601 time`, "write e.g. --now 2026-11-22T10:15:00Z");
  }
  const failRaw = flags["fail-on-quality"];
  if (failRaw !== undefined && failRaw !== "error" && failRaw !== "warning") {
    throw new ConfigError(`--fail-on-quality: "${failRaw}" is not error or warning`, "use --fail-on-quality or --fail-on-quality=warning");
  }
  if (runId !== undefined) parseRunId(runId);
  let waitLockMs = 0;
  if (flags["wait-lock"] !== undefined) {
    const ms = parseDuration(flags["wait-lock"]);
    if (ms === undefined) throw new ConfigError(`--wait-lock: "${flags["wait-lock"]}" is not a duration`, "write e.g. --wait-lock 30s or 5m");
    waitLockMs = ms;
  }
  const log: Logger = { info: (m) => consola.info(m), warn: (m) => consola.warn(m), debug: (m) => consola.debug(m) };
  const ctx: RunContext = {
    config,
    lakehouse: flags.lakehouse ?? process.env.DQCTL_LAKEHOUSE ?? config.lakehouse ?? "data/lakehouse",
    now,
    log,
    progress: flags.quiet ? silent : createProgress(ui, (line) => consola.info(line)),
    waitLockMs,
    runId: runId ?? newRunId(now),
    reference,
  };
  setCurrent({ command, runId: ctx.runId, started, out, note: (line) => consola.info(line) });
  return { command, ctx, config, json: out.format === "json", out, failOn: failRaw as FailOn, started, consola };
}

/** Route every consola line (the Logger, direct inv.consola calls, logged Errors) through the redaction. */

const silent: Progress = { start() {}, tick() {}, done() {} };

/** How a command finishes: append the run record to runs.jsonl, and the command's own document for the default output. */
export interface FinishOptions {
  record?: boolean;
  /** Printed instead of the summary table when no --format/--json was given (lineage: its Markdown document). */
  document?: string;
}

/** Build the summary, append the run record when asked, print it in the chosen format, and return the exit code. */
export function finish(inv: Invocation, step: StepResult, opts: FinishOptions = {}): number {
  const summary = buildSummary(inv.command, inv.ctx.runId, inv.started, new Date(), step, inv.failOn);
  if (opts.record) appendRunRecord(inv.ctx.lakehouse, toRunRecord(summary, step, inv.ctx.now));
  emitSummary(summary, inv.out, (line) => inv.consola.info(line), opts.document);
  // Operational failures of single series: one line each on stderr, whatever the output mode.
  for (const e of summary.errors ?? []) process.stderr.write(`dqctl: ${redactSecrets(e.message)}\n`);
  return summary.exitCode;
}

/** Parse a positive integer flag, or a ConfigError naming it. */
export function positiveInt(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`--${flag}: "${raw}" is not a whole number`, `pass e.g. --${flag} 365`);
  return n;
}

/** The vendor named by `--vendor` (with `--source` for the file vendor), configured from the invocation. */
export function vendorFor(inv: Invocation, args: { vendor: string; source?: string }): Vendor {
  return createVendor(args.vendor, { config: inv.config, log: inv.ctx.log, env: process.env, ...(args.source ? { source: args.source } : {}) });
}
