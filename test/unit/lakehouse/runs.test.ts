import { afterAll, describe, expect, test } from "bun:test";
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { InputError } from "../../../src/errors.ts";
import { appendRunRecord, assertRunsAppendable, readRunRecords } from "../../../src/lakehouse/runs.ts";
import { clearSecrets, registerSecrets } from "../../../src/redact.ts";
import { tempDir } from "../../helpers/cli.ts";
import { runRecord } from "../../helpers/run-record.ts";

const { dir, cleanup } = tempDir("dqctl-runs-");
afterAll(() => cleanup());

/** The last `n` bytes of a file, read in place. */
function tail(path: string, n: number): string {
  const size = statSync(path).size;
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(Math.min(n, size));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

describe("appendRunRecord", () => {
  test("a 1.1 GB runs.jsonl is appended to without being read, and its torn last line gets a newline first", () => {
    const lh = join(dir, "big");
    mkdirSync(lh);
    const path = join(lh, "runs.jsonl");
    const size = 1_181_116_006; // 1.1 GiB
    writeFileSync(path, "");
    truncateSync(path, size); // sparse: costs no disk
    const torn = '{"schema":"dqctl.run/v1","runId":"torn';
    const fd = openSync(path, "r+");
    writeSync(fd, torn, size - torn.length);
    closeSync(fd);

    const t0 = performance.now();
    appendRunRecord(lh, runRecord("after-torn"));
    const ms = performance.now() - t0;
    // Reading 1.1 GB takes seconds (and as much memory); a 1-byte positioned read takes well under one.
    expect(ms).toBeLessThan(500);
    const line = JSON.stringify(runRecord("after-torn"));
    expect(tail(path, torn.length + line.length + 2)).toBe(`${torn}\n${line}\n`);
    expect(statSync(path).size).toBe(size + line.length + 2);

    appendRunRecord(lh, runRecord("next"));
    expect(tail(path, line.length + 2)).toEndWith(`}\n${JSON.stringify(runRecord("next"))}\n`);
  });

  test("a file ending in a newline, and a missing file, get no extra newline", () => {
    const lh = join(dir, "plain");
    appendRunRecord(lh, runRecord("a"));
    appendRunRecord(lh, runRecord("b"));
    expect(readFileSync(join(lh, "runs.jsonl"), "utf8")).toBe(`${JSON.stringify(runRecord("a"))}\n${JSON.stringify(runRecord("b"))}\n`);
    expect(readRunRecords(lh).map((r) => r.runId)).toEqual(["a", "b"]);
  });

  test("a symlinked runs.jsonl is refused naming the path; its target is untouched", () => {
    const lh = join(dir, "link");
    mkdirSync(lh);
    const outside = join(dir, "outside.jsonl");
    writeFileSync(outside, "precious\n");
    symlinkSync(outside, join(lh, "runs.jsonl"));
    for (const act of [() => appendRunRecord(lh, runRecord("x")), () => assertRunsAppendable(lh)]) {
      let err: unknown;
      try {
        act();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message).toBe(`${join(lh, "runs.jsonl")} is a symlink; dqctl never appends run records outside the lakehouse`);
    }
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
    expect(lstatSync(join(lh, "runs.jsonl")).isSymbolicLink()).toBe(true);
  });

  test("a runs.jsonl that is a folder is refused by the probe and the append alike", () => {
    const lh = join(dir, "folder");
    mkdirSync(join(lh, "runs.jsonl"), { recursive: true });
    expect(() => assertRunsAppendable(lh)).toThrow(`${join(lh, "runs.jsonl")} is not a regular file`);
    expect(() => appendRunRecord(lh, runRecord("x"))).toThrow(InputError);
  });

  test("the probe writes nothing, even to a lakehouse without runs.jsonl", () => {
    const lh = join(dir, "probe");
    mkdirSync(lh);
    assertRunsAppendable(lh);
    expect(existsSync(join(lh, "runs.jsonl"))).toBe(false);
  });

  test("records are redacted string by string", () => {
    const lh = join(dir, "redacted");
    registerSecrets(["run-record-secret-1"]);
    try {
      appendRunRecord(lh, runRecord("r", { inputs: [{ name: "https://u:pw@h/x?token=run-record-secret-1", kind: "vendor" }] }));
    } finally {
      clearSecrets();
    }
    const text = readFileSync(join(lh, "runs.jsonl"), "utf8");
    expect(text).not.toContain("run-record-secret-1");
    expect(JSON.parse(text).inputs[0].name).toBe("https://u:***@h/x?token=***");
  });
});
