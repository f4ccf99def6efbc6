import { Buffer } from "node:buffer";
import {
  accessSync,
  closeSync,
  existsSync,
  constants as fsConstants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  type Stats,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { InputError } from "../errors.ts";
import { redactValue } from "../redact.ts";

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

// O_NOFOLLOW makes open() itself refuse a symlink (no lstat/open race); absent on Windows, where lstat alone guards.
const NOFOLLOW = fsConstants.O_NOFOLLOW ?? 0;

/** The path of runs.jsonl, refused with an InputError naming it when it is a symlink or not a regular file. */
function runsPath(lakehouse: string): { path: string; exists: boolean } {
  const path = join(lakehouse, RUNS_FILE);
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { path, exists: false };
    throw refused(path, err);
  }
  if (st.isSymbolicLink())
    throw new InputError(
      `${path} is a symlink; dqctl never appends run records outside the lakehouse`,
      "replace it with a regular file (or remove it) and run again",
    );
  if (!st.isFile()) throw new InputError(`${path} is not a regular file`, "move it away so dqctl can create runs.jsonl, then run again");
  return { path, exists: true };
}

function refused(path: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException).code ?? "error";
  if (code === "ELOOP")
    return new InputError(
      `${path} is a symlink; dqctl never appends run records outside the lakehouse`,
      "replace it with a regular file (or remove it) and run again",
      { cause: err },
    );
  return new InputError(`cannot append the run record to ${path} (${code})`, "make the lakehouse writable (or pass a writable --lakehouse) and run again", {
    cause: err,
  });
}

/**
 * Check, without writing anything, that a run record could be appended now: runs.jsonl is a regular file
 * opened for appending, or absent in a writable lakehouse. Throws the InputError the append would throw.
 */
export function assertRunsAppendable(lakehouse: string): void {
  const { path, exists } = runsPath(lakehouse);
  try {
    if (exists) closeSync(openSync(path, fsConstants.O_WRONLY | fsConstants.O_APPEND | NOFOLLOW));
    else accessSync(existsSync(lakehouse) ? lakehouse : dirname(lakehouse), fsConstants.W_OK);
  } catch (err) {
    throw refused(path, err);
  }
}

/**
 * Append one record as a single write on an O_APPEND descriptor: concurrent appenders never interleave
 * a line, and a crash can at worst leave a torn last line, which readers skip. Only the file's last byte is
 * read (a positioned 1-byte read), so the append costs the same for a 1 GB runs.jsonl as for an empty one.
 * Strings are redacted: a run record never carries a secret.
 */
export function appendRunRecord(lakehouse: string, record: RunRecord): void {
  mkdirSync(lakehouse, { recursive: true });
  const { path } = runsPath(lakehouse);
  const line = JSON.stringify(record, (_k, v) => redactValue(v));
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDWR | fsConstants.O_APPEND | fsConstants.O_CREAT | NOFOLLOW, 0o644);
  } catch (err) {
    throw refused(path, err);
  }
  try {
    // A torn last line (no newline) from a killed writer must not swallow this record.
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
    const bytes = Buffer.from(`${torn ? "\n" : ""}${line}\n`, "utf8");
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  } catch (err) {
    throw refused(path, err);
  } finally {
    closeSync(fd);
  }
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
