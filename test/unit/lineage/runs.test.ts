import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunContext } from "../../../src/context.ts";
import { silentProgress } from "../../../src/context.ts";
import { appendRunRecord, type RunRecord, readRunRecords } from "../../../src/lakehouse/runs.ts";
import { Lakehouse } from "../../../src/lakehouse/store.ts";
import { measureLineage } from "../../../src/lineage/measure.ts";
import { resolveLineage } from "../../../src/lineage/model.ts";
import { DEMO_NOW, tempDir } from "../../helpers/cli.ts";
import { runRecord } from "../../helpers/run-record.ts";
import { buildDemo, dq } from "./_helpers.ts";

function record(runId: string, command: string, extra: Partial<RunRecord> = {}): RunRecord {
  return runRecord(runId, { command, ...extra });
}

function ctxFor(lakehouse: string, warnings: string[]): RunContext {
  return {
    config: {},
    store: new Lakehouse(lakehouse),
    now: new Date(DEMO_NOW),
    log: { info() {}, debug() {}, warn: (m) => warnings.push(m) },
    progress: silentProgress,
    waitLockMs: 0,
    runId: "test",
  };
}

const { dir, cleanup } = tempDir("dqctl-lineage-runs-");
afterAll(() => cleanup());

describe("runs.jsonl as lineage reads it", () => {
  test("a torn last line is skipped with a warning, never fatal", async () => {
    const lh = join(dir, "torn");
    mkdirSync(lh);
    appendRunRecord(lh, record("20261121T060000Z-aaaa", "ingest", { counts: { symbols: 2, fetched: 2, quarantined: 0 } }));
    // A writer killed mid-append leaves half a line without its newline.
    appendFileSync(join(lh, "runs.jsonl"), JSON.stringify(record("20261121T060000Z-bbbb", "audit")).slice(0, 40));
    const warnings: string[] = [];
    const m = await measureLineage(ctxFor(lh, warnings), resolveLineage({}).nodes);
    expect(m.runs.map((r) => r.runId)).toEqual(["20261121T060000Z-aaaa"]);
    expect(m.skippedRunLines).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("line 2");
    // The vendor node is still measured from the good record.
    expect(m.nodes.find((n) => n.id === "vendor_snapshots")!.freshness).toMatchObject({ value: 0, met: true });
  });

  test("the next append after a torn line starts on a line of its own", () => {
    const lh = join(dir, "torn");
    appendRunRecord(lh, record("20261121T070000Z-cccc", "audit"));
    const bad: number[] = [];
    expect(readRunRecords(lh, (line) => bad.push(line)).map((r) => r.runId)).toEqual(["20261121T060000Z-aaaa", "20261121T070000Z-cccc"]);
    expect(bad).toEqual([2]);
  });

  test("lines that are JSON but not run records are skipped too", async () => {
    const lh = join(dir, "foreign");
    mkdirSync(lh);
    appendFileSync(join(lh, "runs.jsonl"), `{"hello":"world"}\n[1,2]\n${JSON.stringify(record("20261121T060000Z-dddd", "audit"))}\n`);
    const warnings: string[] = [];
    const m = await measureLineage(ctxFor(lh, warnings), resolveLineage({}).nodes);
    expect(m.runs).toHaveLength(1);
    expect(warnings).toHaveLength(2);
  });

  describe("through the CLI", () => {
    let lh = "";
    beforeAll(async () => {
      mkdirSync(join(dir, "cli"), { recursive: true });
      lh = await buildDemo(join(dir, "cli"));
    }, 30_000);

    test("lineage exits 0, warns on stderr and notes the skipped line in the document", async () => {
      appendFileSync(join(lh, "runs.jsonl"), '{"schema":"dqctl.run/v1","runId":"2026');
      const r = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW], join(dir, "cli"));
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("runs.jsonl line 3");
      expect(r.stdout).toContain("2 recorded; 1 malformed or torn line skipped");
      const ol = await dq(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--format", "openlineage", "--quiet"], join(dir, "cli"));
      expect(ol.code).toBe(0);
      expect(ol.stdout.trim().split("\n")).toHaveLength(4);
      expect(readFileSync(join(lh, "runs.jsonl"), "utf8").endsWith('"2026')).toBe(true); // lineage only reads
    });
  });
});
