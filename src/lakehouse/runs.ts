import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One line of `<lakehouse>/runs.jsonl`: what a command read, wrote and concluded. */
export interface RunRecord {
  schema: "dqctl.run/v1";
  runId: string;
  command: string;
  version: string;
  startedAt: string;
  finishedAt: string;
  status: string;
  exitCode: number;
  counts: Record<string, number>;
  inputs: { name: string; kind: string; [k: string]: unknown }[];
  outputs: { name: string; kind: string; sha256?: string; [k: string]: unknown }[];
  /** Per-series verdicts (symbol, interval, status, rows, start, end, qualityScore). */
  symbols: Record<string, unknown>[];
  /** Findings without their evidence lists (code, severity, symbol, interval, metrics). */
  findings: Record<string, unknown>[];
  [extra: string]: unknown;
}

export const RUNS_FILE = "runs.jsonl";

/**
 * Append one record as a single write on an O_APPEND descriptor: concurrent appenders never interleave
 * a line, and a crash can at worst leave a torn last line, which readers skip.
 */
export function appendRunRecord(lakehouse: string, record: RunRecord): void {
  mkdirSync(lakehouse, { recursive: true });
  const path = join(lakehouse, RUNS_FILE);
  // A torn last line (no newline) from a killed writer must not swallow this record.
  let prefix = "";
  if (existsSync(path)) {
    const text = readFileSync(path, "utf8");
    if (text.length && !text.endsWith("\n")) prefix = "\n";
  }
  appendFileSync(path, `${prefix}${JSON.stringify(record)}\n`, { flag: "a" });
}

/** Read every complete record; malformed or torn lines are reported through `onBad` and skipped. */
export function readRunRecords(lakehouse: string, onBad?: (line: number, text: string) => void): RunRecord[] {
  const path = join(lakehouse, RUNS_FILE);
  if (!existsSync(path)) return [];
  const out: RunRecord[] = [];
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((text, i) => {
      if (!text.trim()) return;
      try {
        const rec = JSON.parse(text) as RunRecord;
        if (rec && rec.schema === "dqctl.run/v1") out.push(rec);
        else onBad?.(i + 1, text);
      } catch {
        onBad?.(i + 1, text);
      }
    });
  return out;
}
