// What a run publishes on the event stream: its run record, each finding, and its OpenLineage RunEvents, each with a
// message id derived from the run (so a retry, or a flush of the outbox after a crash, is deduplicated by JetStream).
import type { RunRecord } from "../lakehouse/runs.ts";
import { type EventOptions, type RunEvent, runEvents, runUuid } from "../lineage/openlineage.ts";

/** One event on the stream: its subject, its message id (Nats-Msg-Id) and its JSON payload. */
export interface StreamEvent {
  subject: string;
  id: string;
  data: unknown;
}

/** Subjects of the run events under `prefix` (default `dqctl`). */
export function eventSubjects(prefix: string): { runs: string; findings: (code: string) => string; lineage: string; all: string } {
  return {
    runs: `${prefix}.runs`,
    // A subject token may not hold `.`, `*`, `>` or spaces; finding codes are snake_case, but stay safe.
    findings: (code) => `${prefix}.findings.${code.replace(/[^A-Za-z0-9_-]/g, "_") || "_"}`,
    lineage: `${prefix}.lineage`,
    all: `${prefix}.>`,
  };
}

/** The events of one recorded run, in order: the run record, its findings, its START and COMPLETE/FAIL RunEvents. */
export function recordEvents(rec: RunRecord, prefix: string, o: EventOptions): StreamEvent[] {
  const s = eventSubjects(prefix);
  const run = runUuid(rec);
  const out: StreamEvent[] = [{ subject: s.runs, id: `${run}.run`, data: rec }];
  rec.findings.forEach((f, i) => {
    out.push({ subject: s.findings(String(f.code)), id: `${run}.finding.${i}`, data: { runId: rec.runId, command: rec.command, ...f } });
  });
  out.push(...lineageStreamEvents(runEvents(rec, o), prefix));
  return out;
}

/** True for an event carrying an OpenLineage RunEvent (the only kind an HTTP lineage endpoint takes). */
export function isLineageEvent(e: StreamEvent): boolean {
  return e.subject.endsWith(".lineage");
}

/** OpenLineage RunEvents as stream events (`dqctl lineage --emit`): ids from the run and the event type. */
export function lineageStreamEvents(events: readonly RunEvent[], prefix: string): StreamEvent[] {
  const subject = eventSubjects(prefix).lineage;
  return events.map((e) => ({ subject, id: `${e.run.runId}.lineage.${e.eventType}`, data: e }));
}
