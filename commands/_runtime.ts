// Shared command plumbing: resolve flags + config into a RunContext, and render results.
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Table from "cli-table3";
import { type ConsolaInstance, createConsola } from "consola";
import { loadConfig } from "../src/config/load.ts";
import type { Config } from "../src/config/schema.ts";
import type { Logger, Progress, RunContext } from "../src/context.ts";
import { ConfigError } from "../src/errors.ts";
import { loadReferenceData } from "../src/pipeline/reference.ts";
import { appendRunRecord } from "../src/lakehouse/runs.ts";
import { parseDuration, parseInstant } from "../src/model/parse.ts";
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

/** What a command does to the lakehouse, so setup can refuse a read-only one before any work. */
export interface SetupOptions {
  /** The command writes into the lakehouse (catalog, registry, runs.jsonl, bars). */
  writes?: boolean;
  /** The flag that makes this command leave the lakehouse alone (advised when it is not writable). */
  readOnlyFlag?: string;
}

/**
 * Refuse a lakehouse this process cannot write (permissions, read-only mount) before any work starts, instead
 * of failing afterwards on an internal file. A lakehouse that does not exist yet is judged by the folder it
 * would be created in.
 */
function assertWritable(command: string, lakehouse: string, readOnlyFlag?: string): void {
  let dir = resolve(lakehouse);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) return; // not a folder: the lakehouse reports that itself
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "EACCES";
    const what = dir === resolve(lakehouse) ? `lakehouse ${lakehouse} is not writable` : `lakehouse ${lakehouse} cannot be created: ${dir} is not writable`;
    const advice = readOnlyFlag ? `pass ${readOnlyFlag} to ${command} without writing, or fix the folder's permissions` : "fix the folder's permissions, or choose a writable --lakehouse";
    throw new ConfigError(`${what} (${code})`, advice, { cause: err });
  }
}

/** Resolve flags, environment and config into a RunContext (flags override config). */
export function setup(command: string, flags: GlobalFlags, runId?: string, opts: SetupOptions = {}): Invocation {
  const consola = createConsola({ stdout: process.stderr, stderr: process.stderr, level: flags.quiet ? 0 : flags.verbose ? 4 : 3 });
  // Reference instruments merge under config.instruments here, so every command sees one instrument table.
  const { reference, config } = loadReferenceData(loadConfig(flags.config).config);
  const started = new Date();
  const now = flags.now !== undefined ? new Date(parseInstant(flags.now, "--now")) : started;
  const failRaw = flags["fail-on-quality"];
  if (failRaw !== undefined && failRaw !== "error" && failRaw !== "warning") {
    throw new ConfigError(`--fail-on-quality: "${failRaw}" is not error or warning`, "use --fail-on-quality or --fail-on-quality=warning");
  }
  if (runId !== undefined && !/^[A-Za-z0-9._-]+$/.test(runId)) throw new ConfigError(`--run-id: "${runId}" is not a plain folder name`, "use letters, digits, . _ - only");
  const waitLockMs = flags["wait-lock"] !== undefined ? parseDuration(flags["wait-lock"], "--wait-lock") : 0;
  const log: Logger = { info: (m) => consola.info(m), warn: (m) => consola.warn(m), debug: (m) => consola.debug(m) };
  const lakehouse = flags.lakehouse ?? process.env.DQCTL_LAKEHOUSE ?? config.lakehouse ?? "data/lakehouse";
  if (opts.writes) assertWritable(command, lakehouse, opts.readOnlyFlag);
  const ctx: RunContext = {
    config,
    lakehouse,
    now,
    log,
    progress: flags.quiet ? silent : makeProgress(consola),
    waitLockMs,
    runId: runId ?? newRunId(now),
    reference,
  };
  return { command, ctx, config, json: flags.json === true, failOn: failRaw as FailOn, started, consola };
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
  else process.stdout.write(render ? render(summary) : renderSummary(summary));
  // Operational failures of single series: one line each on stderr, whatever the output mode.
  for (const e of summary.errors ?? []) process.stderr.write(`dqctl: ${e.message}\n`);
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

/** The vendor named by `--vendor` (with `--source` for the file vendor), configured from the invocation. */
export function vendorFor(inv: Invocation, args: { vendor: string; source?: string }): Vendor {
  return createVendor(args.vendor, { config: inv.config, log: inv.ctx.log, env: process.env, ...(args.source ? { source: args.source } : {}) });
}
