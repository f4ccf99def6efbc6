import type { RunRecord } from "../lakehouse/runs.ts";
import type { StepResult, Summary } from "./summary.ts";

/** The runs.jsonl line for a finished command: the summary without evidence lists, plus what it read and wrote. */
export function toRunRecord(summary: Summary, step: StepResult, asOf?: Date): RunRecord {
  return {
    // The run's pinned "now" (--now): lineage measures freshness against it, not the wall clock.
    ...(asOf ? { asOf: asOf.toISOString() } : {}),
    schema: "dqctl.run/v1",
    runId: summary.runId,
    command: summary.command,
    version: summary.version,
    startedAt: summary.startedAt,
    finishedAt: summary.finishedAt,
    status: summary.status,
    exitCode: summary.exitCode,
    counts: summary.counts,
    inputs: step.lineage?.inputs ?? [],
    outputs: step.lineage?.outputs ?? [],
    symbols: summary.symbols.map(({ symbol, interval, profile, status, rows, start, end, qualityScore }) => ({
      symbol,
      interval,
      profile,
      status,
      rows,
      start,
      end,
      qualityScore,
    })),
    findings: summary.findings.map(({ code, severity, symbol, interval, metrics }) => ({ code, severity, symbol, interval, ...(metrics ? { metrics } : {}) })),
    ...step.lineage?.extra,
  };
}
