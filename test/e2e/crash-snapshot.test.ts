// Issue 13: SIGKILL at seeded instants during snapshot and bootstrap, whose outputs live outside the lakehouse: a run
// folder under --out, a cache entry under --cache-dir. The rerun must leave what one uninterrupted run leaves.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { verifySnapshot } from "../../src/pipeline/verify.ts";
import { DEMO, DEMO_NOW, DEMO_SETUP_MS, dqctl, ROOT, tempDir } from "../helpers/cli.ts";
import { copyTree, expectClean, killTrials, type Prepared, type Variant } from "../helpers/crash.ts";
import { captureState, checkLakehouse, diffValues, leftoverTemps, problems, sha256 } from "../helpers/lakehouse-check.ts";

const SNAPSHOT_SYMBOLS = "BINANCE:BTCUSDT,BINANCE:ETHUSDT,NASDAQ:AAPL,NASDAQ:NVDA,CME_MINI:ES1!,FX:EURUSD,BINANCE:USDCUSDT,NYSE:JPM";
const BOOTSTRAP_SYMBOLS = "BINANCE:BTCUSDT,NASDAQ:AAPL,FX:EURUSD,CME_MINI:ES1!,BINANCE:ETHUSDT";
let work: { dir: string; cleanup: () => void };
let ingested: string;

beforeAll(async () => {
  work = tempDir("dqctl-crash-snapshot-");
  ingested = join(work.dir, "lakehouse");
  const args = ["ingest", "--source", DEMO, "--candidates", join(ROOT, "fixtures/demo-candidates.json"), "--quiet", "--lakehouse", ingested, "--now", DEMO_NOW];
  expect((await dqctl(args)).code).toBe(0);
}, DEMO_SETUP_MS);
afterAll(() => work.cleanup());

/** Every file of a folder by hash, JSON documents parsed (with `root` replaced, since trials live elsewhere). */
function folderState(dir: string, root?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    const rel = p.slice(dir.length + 1);
    out[rel] = rel.endsWith(".json")
      ? JSON.parse(root ? readFileSync(p, "utf8").split(root).join("<lakehouse>") : readFileSync(p, "utf8"))
      : sha256(readFileSync(p));
  }
  return out;
}

/** Problems of a run folder: it verifies (every hash as in its manifest, nothing added or missing). */
function runFolderProblems(runDir: string): string[] {
  try {
    const v = verifySnapshot(runDir);
    return v.intact ? [] : v.findings.map((f) => `run folder: ${f.code}: ${f.message}`);
  } catch (err) {
    return [`run folder ${runDir}: ${(err as Error).message}`];
  }
}

/** Problems of a bootstrap cache: every entry whose metadata exists is whole (dataset with its sha256, issues). */
function cacheProblems(cache: string): string[] {
  const out: string[] = [];
  if (!existsSync(cache)) return out;
  for (const f of readdirSync(cache).filter((n) => n.endsWith("_metadata.json"))) {
    let meta: { file: string; sha256: string };
    try {
      meta = JSON.parse(readFileSync(join(cache, f), "utf8"));
    } catch {
      out.push(`cache: ${f} is torn`);
      continue;
    }
    const data = join(cache, meta.file);
    if (!existsSync(data)) out.push(`cache: ${f} names ${meta.file}, which is missing`);
    else if (sha256(readFileSync(data)) !== meta.sha256) out.push(`cache: ${meta.file} does not have the sha256 its metadata records`);
    const issues = join(cache, f.replace("_metadata.json", "_issues.json"));
    try {
      JSON.parse(readFileSync(issues, "utf8"));
    } catch {
      out.push(`cache: ${f}'s issues file is missing or torn`);
    }
  }
  return out;
}

describe("SIGKILL during snapshot and bootstrap", () => {
  test("snapshot: the same run id again succeeds and verifies (or, when the killed run had finished its folder, is refused and that folder verifies); no temp folder is left", async () => {
    const snapshot: Variant = (dir): Prepared => {
      const lh = join(dir, "lakehouse");
      const out = join(dir, "out");
      const runDir = join(out, "r1");
      copyTree(ingested, lh);
      let finishedByKilledRun = false;
      return {
        args: ["snapshot", "--symbols", SNAPSHOT_SYMBOLS, "--run-id", "r1", "--out", out, "--quiet", "--lakehouse", lh, "--now", DEMO_NOW],
        watch: dir,
        afterKill: () => {
          // A run folder exists whole or not at all.
          finishedByKilledRun = existsSync(runDir);
          return [...problems(checkLakehouse(lh, { settled: false })), ...(finishedByKilledRun ? runFolderProblems(runDir) : [])];
        },
        settled: () => [...problems(checkLakehouse(lh, { extraDirs: [out] })), ...runFolderProblems(runDir)],
        state: () => ({ lakehouse: captureState(lh), run: folderState(runDir, lh) }),
        // A snapshot is never overwritten: if the killed run got as far as renaming its folder into place, the rerun refuses.
        rerunCode: (ref) => (finishedByKilledRun ? 3 : ref),
      };
    };
    expectClean(await killTrials({ name: "snapshot", seed: 1305, kills: 20, variants: [snapshot], diff: diffValues }));
  }, 240_000);

  test("bootstrap: the rerun leaves the reference cache entry, whole, with no temp file", async () => {
    const bootstrap: Variant = (dir): Prepared => {
      mkdirSync(dir, { recursive: true });
      const cache = join(dir, "cache");
      return {
        // --lakehouse names a folder that does not exist, so no run record is written anywhere.
        args: [
          "bootstrap",
          "--vendor",
          "file",
          "--source-path",
          DEMO,
          "--symbols",
          BOOTSTRAP_SYMBOLS,
          "--cache-dir",
          cache,
          "--quiet",
          "--lakehouse",
          join(dir, "none"),
          "--now",
          DEMO_NOW,
        ],
        watch: dir,
        afterKill: () => cacheProblems(cache),
        settled: () => [
          ...cacheProblems(cache),
          ...leftoverTemps(cache).map((t) => `leftoverTemps: ${t}`),
          ...(existsSync(join(dir, "none")) ? ["a lakehouse folder was created"] : []),
        ],
        state: () => folderState(cache),
      };
    };
    expectClean(await killTrials({ name: "bootstrap", seed: 1306, kills: 20, variants: [bootstrap], diff: diffValues }));
  }, 240_000);
});
