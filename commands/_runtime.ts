// Shared command plumbing: resolve flags + config into a RunContext, and render results.
import Table from "cli-table3";
import { type ConsolaInstance, createConsola } from "consola";
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
import { buildSummary, type FailOn, newRunId, type StepResult, type Summary, toJson } from "../src/report/summary.ts";

/** Parsed global flags (citty gives strings and booleans). */
export interface GlobalFlags {
  lakehouse?: string;
  config?: string;
  json?: boolean;
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
  json: boolean;
  failOn: FailOn;
  started: Date;
  consola: ConsolaInstance;
}

/** Resolve flags, environment and config into a RunContext (flags override config). */
export function setup(command: string, flags: GlobalFlags, runId?: string): Invocation {
  // Secrets are registered before anything can fail or log, so every message below is redacted.
  registerSecrets(secretsInEnv(process.env));
  const consola = redacting(createConsola({ stdout: process.stderr, stderr: process.stderr, level: flags.quiet ? 0 : flags.verbose ? 4 : 3 }));
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
    progress: flags.quiet ? silent : makeProgress(consola),
    waitLockMs,
    runId: runId ?? newRunId(now),
    reference,
  };
  return { command, ctx, config, json: flags.json === true, failOn: failRaw as FailOn, started, consola };
}

/** Route every consola line (the Logger, direct inv.consola calls, logged Errors) through the redaction. */
function redacting(consola: ConsolaInstance): ConsolaInstance {
  const clean = (a: unknown): unknown => {
    if (typeof a === "string") return redactSecrets(a);
    if (a instanceof Error) {
      const e = new Error(redactSecrets(a.message));
      e.stack = redactSecrets(a.stack ?? "");
      return e;
    }
    return a;
  };
  return consola.setReporters(consola.options.reporters.map((r) => ({ log: (obj, ctx) => r.log({ ...obj, args: obj.args.map(clean), ...(obj.message ? { message: redactSecrets(obj.message) } : {}) }, ctx) })));
}

const silent: Progress = { start() {}, tick() {}, done() {} };

function makeProgress(consola: ConsolaInstance): Progress {
  const tty = process.stderr.isTTY === true;
  let label = "";
  let total = 0;
  let n = 0;
  let lastPct = -1;
  return {
    start(l, t) {
      label = l;
      total = t;
      n = 0;
      lastPct = -1;
      if (!tty && t > 0) consola.info(`${label}: ${t} series`);
    },
    tick(k = 1) {
      n += k;
      if (!total) return;
      const pct = Math.floor((n / total) * 100);
      if (pct === lastPct) return;
      lastPct = pct;
      if (tty) {
        const width = 30;
        const fill = Math.round((n / total) * width);
        process.stderr.write(`\r${label} [${"#".repeat(fill)}${"-".repeat(width - fill)}] ${n}/${total}`);
      }
    },
    done() {
      if (tty && total) process.stderr.write("\n");
    },
  };
}

/** Render a step's result on stdout (JSON or tables), append the run record when asked, and return the exit code. */
export function finish(inv: Invocation, step: StepResult, render?: (s: Summary) => string, record = false): number {
  const summary = buildSummary(inv.command, inv.ctx.runId, inv.started, new Date(), step, inv.failOn);
  if (record) appendRunRecord(inv.ctx.lakehouse, toRunRecord(summary, step, inv.ctx.now));
  if (inv.json) process.stdout.write(`${toJson(summary)}\n`);
  else process.stdout.write(redactSecrets(render ? render(summary) : renderSummary(summary)));
  // Operational failures of single series: one line each on stderr, whatever the output mode.
  for (const e of summary.errors ?? []) process.stderr.write(`dqctl: ${redactSecrets(e.message)}\n`);
  return summary.exitCode;
}

/** The default human rendering: a table of series and one of findings. */
export function renderSummary(s: Summary): string {
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const style = color ? {} : { head: [], border: [] };
  let out = "";
  if (s.symbols.length) {
    const t = new Table({ head: ["symbol", "interval", "profile", "status", "rows", "start", "end", "quality"], style });
    for (const r of s.symbols) t.push([r.symbol, r.interval, r.profile, r.status, r.rows, r.start?.slice(0, 16) ?? "-", r.end?.slice(0, 16) ?? "-", r.qualityScore ?? "-"]);
    out += `${t.toString()}\n`;
  }
  if (s.findings.length) {
    const t = new Table({ head: ["severity", "code", "symbol", "interval", "message"], style, wordWrap: true, colWidths: [10, 20, 22, 10, 60] });
    for (const f of s.findings) t.push([f.severity, f.code, f.symbol ?? "", f.interval ?? "", f.message]);
    out += `${t.toString()}\n`;
  }
  const counts = Object.entries(s.counts).map(([k, v]) => `${k} ${v}`).join(", ");
  out += `${s.command}: ${s.status} (${counts}) in ${s.durationMs} ms, exit ${s.exitCode}\n`;
  return out;
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
