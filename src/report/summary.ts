import { randomBytes } from "node:crypto";
import type { DqError, ErrorItem } from "../errors.ts";
import { type Finding, type Status, worst, worstOf } from "../model/finding.ts";
import { redactValue } from "../redact.ts";
import { VERSION } from "../version.ts";

export type { ErrorItem };

export const SUMMARY_SCHEMA_ID = "dqctl.summary/v1";

/** A series as every report names it: which, its health, its bars' extent and score. */
export interface SeriesRow {
  symbol: string;
  interval: string;
  profile: string;
  status: string;
  rows: number;
  start: string | null;
  end: string | null;
  qualityScore: number | null;
}

/** One row of `symbols` in the summary. */
export interface SymbolReport extends SeriesRow {
  [extra: string]: unknown;
}

/** The JSON summary document every command prints with --json. */
export interface Summary {
  schema: typeof SUMMARY_SCHEMA_ID;
  command: string;
  version: string;
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  status: Status;
  exitCode: number;
  counts: Record<string, number>;
  symbols: SymbolReport[];
  findings: Finding[];
  errors?: ErrorItem[];
  [section: string]: unknown;
}

/** What a pipeline step returns; the command layer turns it into a Summary. */
export interface StepResult {
  counts: Record<string, number>;
  symbols: SymbolReport[];
  findings: Finding[];
  /** Operational failures that did not stop the run (each also makes the exit code 3 and the status error). */
  errors?: ErrorItem[];
  /** The findings that decide the quality gate, when not all of them do (flow: the audit's). */
  gateFindings?: Finding[];
  /** Extra top-level sections (e.g. `latency`, `stages`, `snapshot`). */
  extra?: Record<string, unknown>;
  /** Forces the exit code past the quality gate (e.g. a snapshot that aborted: 2). */
  exitCode?: number;
  /** What the step read and wrote, for the run record in runs.jsonl (lineage). */
  lineage?: { inputs: LineageRef[]; outputs: LineageRef[]; extra?: Record<string, unknown> };
}

/** A dataset a run read or wrote (a file with its hash, a vendor endpoint, a run folder). */
export interface LineageRef {
  name: string;
  kind: string;
  sha256?: string;
  [k: string]: unknown;
}

export type FailOn = "error" | "warning" | undefined;

/** The quality gate: exit 2 on errors, 1 on warnings when asked; 0 otherwise. */
export function gateExitCode(status: Status, failOn: FailOn): number {
  if (!failOn) return 0;
  if (status === "error") return 2;
  if (status === "warning" && failOn === "warning") return 1;
  return 0;
}

/** A run id like `20261122T101500Z-3f9c`. */
export function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/**
 * Assemble the summary. The exit code comes from operational errors first, then the gate; the status is the worst
 * finding, and `error` whenever the run had an operational error (exit 3): a dashboard colours by it.
 */
export function buildSummary(command: string, runId: string, started: Date, finished: Date, step: StepResult, failOn: FailOn): Summary {
  const findings = step.findings.map(stripInternal);
  const gate = step.gateFindings ? worstOf(step.gateFindings) : worstOf(findings);
  const exitCode = step.errors?.length ? 3 : (step.exitCode ?? gateExitCode(gate, failOn));
  const status: Status =
    step.errors?.length || exitCode === 3 ? "error" : worst(worstOf(findings), exitCode === 2 ? "error" : exitCode === 1 ? "warning" : "ok");
  const summary: Summary = {
    schema: SUMMARY_SCHEMA_ID,
    command,
    version: VERSION,
    runId,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    status,
    exitCode,
    counts: step.counts,
    symbols: step.symbols,
    findings,
    ...step.extra,
  };
  if (step.errors?.length) summary.errors = step.errors;
  return summary;
}

/** The summary of a run that stopped on an operational error before it had a result (exit 3). */
export function errorSummary(command: string, runId: string, started: Date, finished: Date, err: DqError): Summary {
  return buildSummary(command, runId, started, finished, { counts: {}, symbols: [], findings: [], errors: [err.toItem()] }, undefined);
}

function stripInternal(f: Finding): Finding {
  if (f.toxic === undefined) return f;
  const { toxic, ...rest } = f;
  return toxic ? { ...rest, details: { ...rest.details, toxic: true } } : rest;
}

/** JSON with BigInt as numbers, non-finite numbers as strings (JSON has no NaN/Infinity) and every string redacted. */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (typeof v === "bigint") return Number(v);
      if (typeof v === "number" && !Number.isFinite(v)) return String(v);
      return redactValue(v);
    },
    indent,
  );
}
