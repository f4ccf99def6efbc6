/** Severity of a finding; `ok` only appears as a status, never on a finding. */
export type Severity = "warning" | "error";
export type Status = "ok" | Severity;

const RANK: Record<Status, number> = { ok: 0, warning: 1, error: 2 };

/** The worse of two statuses. */
export function worst(a: Status, b: Status): Status {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Rank a status for comparisons. */
export function statusRank(s: Status): number {
  return RANK[s];
}

/** One quality finding, as it appears in the JSON summary. */
export interface Finding {
  code: string;
  severity: Severity;
  symbol?: string;
  interval?: string;
  message: string;
  metrics?: Record<string, number>;
  details?: Record<string, unknown>;
  /** The flow stage that reported it (scan, ingest, repair, audit); absent outside `flow`. */
  stage?: string;
  /** True when this finding makes the asset toxic (never serialised separately: it is implied by the code). */
  toxic?: boolean;
}

/** Worst severity over findings. */
export function worstOf(findings: readonly Finding[]): Status {
  let s: Status = "ok";
  for (const f of findings) s = worst(s, f.severity);
  return s;
}

/** ISO-8601 UTC for an epoch-ms timestamp. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
