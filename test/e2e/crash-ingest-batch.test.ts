// SIGKILL exactly on the boundaries of an ingest's commit group (DQCTL_KILL_AT, see src/lakehouse/killpoint.ts):
// with the group's temps written but not synced, synced but not yet named by a journal, right after the journal,
// between two renames, and after the catalog; on one thread and on workers. After each kill the lakehouse holds
// no torn file and no catalog entry without its file; the rerun leaves exactly what an uninterrupted run leaves.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO, DEMO_NOW, DEMO_SETUP_MS, dqctl, ROOT, tempDir } from "../helpers/cli.ts";
import { copyTree, diffLakehouse, onLakehouse } from "../helpers/crash.ts";

const CANDIDATES = join(ROOT, "fixtures/demo-candidates.json");
const POINTS = ["ingest-staged", "commit-synced", "commit-journal", "commit-rename:3", "commit-catalog"];
let work: { dir: string; cleanup: () => void };
let alt: string;
let ingested: string;

const ingest = (lh: string, source: string, jobs: number, ...more: string[]) => [
  "ingest",
  "--source",
  source,
  "--candidates",
  CANDIDATES,
  "--jobs",
  String(jobs),
  ...more,
  "--quiet",
  "--lakehouse",
  lh,
  "--now",
  DEMO_NOW,
];

beforeAll(async () => {
  work = tempDir("dqctl-crash-batch-");
  // A second source differing in every CSV volume, so a --refresh from it rewrites every file it reaches.
  alt = join(work.dir, "alt");
  mkdirSync(alt);
  for (const f of readdirSync(DEMO)) {
    const body = readFileSync(join(DEMO, f));
    writeFileSync(join(alt, f), f.endsWith(".csv") ? body.toString().replace(/,(\d+)$/gm, ",$11") : body);
  }
  ingested = join(work.dir, "ingested");
  expect((await dqctl(ingest(ingested, DEMO, 1))).code).toBe(0);
}, DEMO_SETUP_MS);
afterAll(() => work.cleanup());

/** Run `args` on a fresh copy killed at `point`, check it, rerun it, and compare with an uninterrupted run. */
async function trial(name: string, prepare: (lh: string) => void, args: (lh: string) => string[], point: string): Promise<string[]> {
  const ref = join(work.dir, `${name}-ref`);
  const lh = join(work.dir, `${name}-killed`);
  prepare(ref);
  prepare(lh);
  const want = await dqctl(args(ref));
  const r = onLakehouse(ref, args(ref), ref);
  const killed = await dqctl(args(lh), { env: { DQCTL_KILL_AT: point } });
  const p = onLakehouse(lh, args(lh), lh);
  const bad: string[] = [];
  if (killed.code === 0) bad.push(`not killed at ${point} (exit 0)`);
  bad.push(...p.afterKill().map((l) => `right after the kill: ${l}`));
  const rerun = await dqctl(args(lh));
  if (rerun.code !== want.code) bad.push(`rerun exit ${rerun.code}, expected ${want.code}: ${rerun.stderr.split("\n")[0]}`);
  bad.push(...p.settled().map((l) => `after the rerun: ${l}`));
  bad.push(...diffLakehouse(r.state(), p.state()).map((l) => `compared with the uninterrupted run: ${l}`));
  return bad.map((l) => `${name} (${point}): ${l}`);
}

describe("SIGKILL on the commit-group boundaries of ingest", () => {
  test("first ingest and rewriting ingest, one thread and two workers, killed at every boundary: recovered to the uninterrupted result", async () => {
    const bad: string[] = [];
    for (const [i, point] of POINTS.entries()) {
      const jobs = 1 + (i % 2);
      const slug = point.replace(/\W+/g, "-");
      bad.push(
        ...(await trial(
          `first-${slug}-j${jobs}`,
          (lh) => mkdirSync(lh, { recursive: true }),
          (lh) => ingest(lh, DEMO, jobs),
          point,
        )),
      );
      bad.push(
        ...(await trial(
          `rewrite-${slug}-j${3 - jobs}`,
          (lh) => copyTree(ingested, lh),
          (lh) => ingest(lh, alt, 3 - jobs, "--refresh"),
          point,
        )),
      );
    }
    expect(bad).toEqual([]);
  }, 600_000);
});
