// --run-id names a folder: every command refuses anything but one plain folder name (exit 3, one line, nothing written).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dqctl, tempDir, treeHash } from "../helpers/cli.ts";
import { buildLakehouse, PAIR_NOW, pair } from "../unit/snapshot/fixture.ts";

const BAD = [".", "..", ".hidden", "../escape", "a/b", "a\\b", "/abs", "", "a b", "x".repeat(101)];

let dir: string;
let cleanup: () => void;
let work: string;
let lh: string;
let scanner: string;

/** Every path under `root` (folders too), to prove nothing was created anywhere. */
function listing(root: string): string[] {
  return readdirSync(root, { recursive: true }).map(String).sort();
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir("dqctl-runid-"));
  work = join(dir, "work");
  lh = join(dir, "lakehouse");
  mkdirSync(work);
  await buildLakehouse(lh, pair());
  scanner = join(dir, "static.json");
  writeFileSync(scanner, JSON.stringify({ source: "static", symbols: ["NASDAQ:AAPL"] }));
});
afterAll(() => cleanup());

async function expectRefused(args: string[]) {
  const before = { list: listing(dir), hash: treeHash(dir) };
  const r = await dqctl(args, { cwd: work });
  expect(r.code).toBe(3);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  // An empty value is refused by the flag parser itself (as for every flag); the others by the run-id rule.
  expect(lines[0]).toMatch(/^dqctl: --run-id (.+: .+ — use letters, digits|needs a value \(got an empty one\))/);
  expect(r.stdout).toBe("");
  expect(listing(dir)).toEqual(before.list);
  expect(treeHash(dir)).toEqual(before.hash);
}

describe("a bad --run-id is refused before anything is written", () => {
  test.each(BAD.map((id) => [JSON.stringify(id).slice(0, 20), id]))("scan %s", async (_label, id) => {
    await expectRefused(["scan", "--scanner", scanner, "--run-id", id, "--lakehouse", lh, "--export", join(work, "export")]);
  });

  test.each(BAD.map((id) => [JSON.stringify(id).slice(0, 20), id]))("snapshot %s", async (_label, id) => {
    await expectRefused(["snapshot", "--symbols", "BINANCE:BTCUSDT", "--run-id", id, "--lakehouse", lh, "--now", PAIR_NOW, "--out", join(work, "runs")]);
  });

  test("a plain id of 100 characters is accepted", async () => {
    const id = `r${"0".repeat(99)}`;
    const r = await dqctl(["scan", "--scanner", scanner, "--run-id", id, "--lakehouse", lh, "--export", join(work, "export"), "--quiet"], { cwd: work });
    expect(r.code).toBe(0);
    expect(readdirSync(join(work, "export"))).toEqual([id]);
  });
});
