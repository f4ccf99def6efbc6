import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../../src/errors.ts";
import { parseSymbolList } from "../../../src/model/symbol.ts";
import { runSnapshot } from "../../../src/pipeline/snapshot.ts";
import { verifySnapshot } from "../../../src/pipeline/verify.ts";
import { tempDir } from "../../helpers/cli.ts";
import { buildLakehouse, contextFor, PAIR_NOW, pair } from "./fixture.ts";

// One pristine snapshot; each test tampers with its own copy.
const base = tempDir("dqctl-verify-");
const pristine = join(base.dir, "runs/r1");
let run: string;
let n = 0;
beforeAll(async () => {
  await buildLakehouse(join(base.dir, "lake"), pair());
  const res = await runSnapshot(contextFor(join(base.dir, "lake"), PAIR_NOW), {
    symbols: parseSymbolList("BINANCE:BTCUSDT,NASDAQ:AAPL"),
    runId: "r1",
    out: join(base.dir, "runs"),
  });
  expect(res.exitCode).toBeUndefined();
});
afterAll(() => base.cleanup());
beforeEach(() => {
  run = join(base.dir, `copy${n++}`);
  cpSync(pristine, run, { recursive: true });
});

const writable = (p: string) => chmodSync(p, 0o644);
const codes = (r: ReturnType<typeof verifySnapshot>) => r.findings.map((f) => [f.code, f.details?.path ?? null]);

describe("snapshot verify", () => {
  test("an intact run folder verifies with exit 0", () => {
    const r = verifySnapshot(run);
    expect(r).toMatchObject({ intact: true, exitCode: 0, findings: [], counts: { files: 3, intact: 3, changed: 0, missing: 0, added: 0 } });
  });

  test("one edited byte fails with exit 2 naming the file", () => {
    const f = join(run, "data/NASDAQ_AAPL_1d.parquet");
    writable(f);
    const bytes = readFileSync(f);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(f, bytes);
    const r = verifySnapshot(run);
    expect(r.exitCode).toBe(2);
    expect(codes(r)).toEqual([["snapshot_changed", "data/NASDAQ_AAPL_1d.parquet"]]);
    expect(r.findings[0]).toMatchObject({ severity: "error", symbol: "NASDAQ:AAPL" });
    expect(r.findings[0]!.message).toContain("data/NASDAQ_AAPL_1d.parquet");
  });

  test("a changed returns matrix is named too", () => {
    const f = join(run, "returns_matrix.parquet");
    writable(f);
    writeFileSync(f, Buffer.concat([readFileSync(f), Buffer.from("x")]));
    expect(codes(verifySnapshot(run))).toEqual([["snapshot_changed", "returns_matrix.parquet"]]);
  });

  test("missing and added files are named", () => {
    unlinkSync(join(run, "data/BINANCE_BTCUSDT_1d.parquet"));
    writeFileSync(join(run, "notes.txt"), "hello");
    mkdirSync(join(run, "data/extra"));
    writeFileSync(join(run, "data/extra/x.parquet"), "PAR1");
    const r = verifySnapshot(run);
    expect(r.exitCode).toBe(2);
    expect(codes(r)).toEqual([
      ["snapshot_missing", "data/BINANCE_BTCUSDT_1d.parquet"],
      ["snapshot_added", "data/extra/x.parquet"],
      ["snapshot_added", "notes.txt"],
    ]);
    expect(r.counts).toMatchObject({ files: 3, intact: 2, missing: 1, added: 2 });
  });

  test("a manifest edited to match a changed file still fails: the snapshot id no longer matches", () => {
    const mp = join(run, "manifest.json");
    const m = JSON.parse(readFileSync(mp, "utf8"));
    m.files[0].rows = 1;
    writable(mp);
    writeFileSync(mp, JSON.stringify(m));
    const r = verifySnapshot(run);
    expect(codes(r)).toEqual([["snapshot_id_mismatch", null]]);
    expect(r.exitCode).toBe(2);
  });

  test("a missing or malformed manifest is an input error (exit 3)", () => {
    const mp = join(run, "manifest.json");
    writable(mp);
    writeFileSync(mp, "{ not json");
    expect(() => verifySnapshot(run)).toThrow(InputError);
    writeFileSync(mp, JSON.stringify({ schema: "dqctl.snapshot/v1", files: [] }));
    expect(() => verifySnapshot(run)).toThrow(/manifest\.json: field snapshotId/);
    rmSync(mp);
    expect(() => verifySnapshot(run)).toThrow(/no manifest\.json/);
    expect(() => verifySnapshot(join(run, "nope"))).toThrow(/run folder not found/);
  });

  test("manifest paths that escape the run folder are refused", () => {
    const mp = join(run, "manifest.json");
    const m = JSON.parse(readFileSync(mp, "utf8"));
    writable(mp);
    for (const bad of ["../lake/catalog.json", "/etc/passwd", "data/../manifest.json", "manifest.json"]) {
      m.files[0].path = bad;
      writeFileSync(mp, JSON.stringify(m));
      expect(() => verifySnapshot(run)).toThrow(InputError);
    }
  });
});
