import type { RunRecord } from "../../src/lakehouse/runs.ts";

/** A minimal valid runs.jsonl record (an `ok` audit at the demo's pinned time); `extra` sets any field. */
export function runRecord(runId: string, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    schema: "dqctl.run/v1",
    runId,
    command: "audit",
    version: "0.3.0",
    startedAt: "2026-11-21T06:00:00.000Z",
    finishedAt: "2026-11-21T06:00:01.000Z",
    status: "ok",
    exitCode: 0,
    counts: {},
    inputs: [],
    outputs: [],
    symbols: [],
    findings: [],
    ...extra,
  };
}
