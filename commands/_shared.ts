import type { ArgDef } from "citty";
import { parseCount } from "../src/model/parse.ts";

/** Flags every command takes (SPEC §2); they may come before or after the command. */
export const globalArgs = {
  lakehouse: { type: "string", description: "Lakehouse root (env DQCTL_LAKEHOUSE; default data/lakehouse)", valueHint: "DIR" },
  store: {
    type: "string",
    description: "Where bars live: a lakehouse folder or postgres://user@host:port/db (env DQCTL_STORE, config store; default: --lakehouse)",
    valueHint: "DIR|URL",
  },
  cache: {
    type: "string",
    description: "Redis cache for repeated store reads and bootstrap datasets: redis://[user:pass@]host:port/db (env DQCTL_CACHE, config cache)",
    valueHint: "URL",
  },
  config: { type: "string", description: "Config file, JSON or YAML, validated (default: dqctl.config.json, .yaml or .yml when present)", valueHint: "FILE" },
  json: { type: "boolean", description: "Print exactly one JSON summary document on stdout (short for --format json)" },
  format: {
    type: "string",
    description: "Output format: table (default), json, markdown (PR comments), junit (CI test reports), github (workflow annotations)",
    valueHint: "table|json|markdown|junit|github",
  },
  output: { type: "string", description: "Write the output to FILE (atomically) instead of stdout", valueHint: "FILE" },
  color: { type: "boolean", description: "Colour tables (default: on a terminal unless NO_COLOR is set); --no-color turns it off" },
  "fail-on-quality": {
    type: "string",
    description: "Quality gate: exit 2 on error findings; with warning also exit 1 on warnings only (alone: error)",
    valueHint: "[error|warning]",
  },
  now: { type: "string", description: "Pin 'now' for reproducible runs: ISO-8601, UTC unless it has an offset (2026-11-21T06:00)", valueHint: "ISO" },
  "wait-lock": { type: "string", description: "Wait this long for the lakehouse lock (e.g. 30s, 5m) instead of exiting 3", valueHint: "DURATION" },
  emit: {
    type: "string",
    description:
      "Publish the run's events: nats://host:port (JetStream: run record, findings, OpenLineage; an outbox when unreachable) or an http(s) OpenLineage endpoint (config stream.url)",
    valueHint: "URL",
  },
  quiet: { type: "boolean", description: "Only errors on stderr" },
  verbose: { type: "boolean", description: "Debug logs and stack traces on stderr" },
} as const satisfies Record<string, ArgDef>;

/** Flags whose value may be left out: written alone they mean `implied`; the next word is their value only if it is one of `values`. */
export const OPTIONAL_VALUE: Readonly<Record<string, { implied: string; values: readonly string[] }>> = {
  "fail-on-quality": { implied: "error", values: ["error", "warning"] },
};

/** The --symbols flag; `fallback` says what the command works on without it. */
export function symbolsArg(fallback?: string) {
  const description = `Comma-separated symbols (EXCHANGE:TICKER,…${fallback ? `; default: ${fallback}` : ""})`;
  return { type: "string", description, valueHint: "LIST" } as const satisfies ArgDef;
}

/** Flags of commands that select series. */
export const seriesArgs = {
  symbols: symbolsArg(),
  candidates: { type: "string", description: "candidates.json from `dqctl scan`", valueHint: "FILE" },
  interval: {
    type: "string",
    description: "Bar interval: 1m 5m 15m 30m 1h 4h 1d (default: the config's interval, else 1d; audit and repair: every stored interval)",
    valueHint: "I",
  },
} as const satisfies Record<string, ArgDef>;

/** Worker threads for the per-series work (audit and ingest); the results never depend on it. */
export const jobsArgs = {
  jobs: {
    type: "string",
    description: "Worker threads for the per-series work (default: the cores; 1: one thread); the results do not depend on it",
    valueHint: "N",
  },
} as const satisfies Record<string, ArgDef>;

/** The --jobs value, when given: 1–256. */
export function jobsOf(args: { jobs?: string }): { jobs?: number } {
  return args.jobs === undefined ? {} : { jobs: parseCount(args.jobs, "--jobs", { min: 1, max: 256 }) };
}

/** `--report FILE.html` of the commands that end in an audit (audit, flow). */
export const reportArgs = {
  report: { type: "string", description: "Also write the run as one self-contained HTML report (charts, findings, coverage)", valueHint: "FILE.html" },
} as const satisfies Record<string, ArgDef>;
