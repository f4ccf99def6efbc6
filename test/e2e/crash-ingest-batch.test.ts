// SIGKILL exactly on the boundaries of an ingest's commit group (DQCTL_KILL_AT, see src/lakehouse/killpoint.ts):
// with the group's temps written but not synced, synced but not yet named by a journal, right after the journal,
// between two renames, with the folders synced, after the catalog, and with everything landed but the stamps not
// yet noted (stamps.ts); on one thread and on workers, each point once. After each kill the
// lakehouse holds no torn file and no catalog entry without its file; the rerun leaves exactly what an
// uninterrupted run leaves.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DEMO, DEMO_SETUP_MS, dqctl, tempDir } from "../helpers/cli.ts";
import { altDemoSource, copyTree, demoIngest, diffLakehouse, onLakehouse } from "../helpers/crash.ts";

const POINTS = ["commit-staged", "commit-synced", "commit-journal", "commit-rename:3", "commit-dirs-synced", "commit-catalog", "commit-landed"];
let work: { dir: string; cleanup: () => void };
let alt: string;
let ingested: string;

const ingest = (lh: string, source: string, jobs: number, ...more: string[]) => demoIngest(lh, source, "--jobs", String(jobs), ...more);

beforeAll(async () => {
  work = tempDir("dqctl-crash-batch-");
  // A second source differing in every CSV volume, so a --refresh from it rewrites every file it reaches.
  alt = altDemoSource(work.dir);
  ingested = join(work.dir, "ingested");
  expect((await dqctl(ingest(ingested, DEMO, 1))).code).toBe(0);
}, DEMO_SETUP_MS);
afterAll(() => work.cleanup());

interface Mode {
  name: string;
  prepare: (lh: string) => void;
  args: (lh: string, jobs: number) => string[];
}

const MODES: Mode[] = [
  { name: "first", prepare: (lh) => mkdirSync(lh, { recursive: true }), args: (lh, jobs) => ingest(lh, DEMO, jobs) },
  { name: "rewrite", prepare: (lh) => copyTree(ingested, lh), args: (lh, jobs) => ingest(lh, alt, jobs, "--refresh") },
];

// Every kill point once, the modes and the thread counts alternating so each mode meets both (a fixed matrix, no
// randomness): the SIGKILL instants are exact, so one trial per point proves its recovery.
const TRIALS: { point: string; mode: Mode; jobs: number }[] = POINTS.map((point, i) => ({ point, mode: MODES[i % 2]!, jobs: 1 + (Math.floor(i / 2) % 2) }));

/** The uninterrupted run of each mode (on one thread: a killed run on workers must recover to it too). */
const refs = new Map<Mode, { code: number; state: unknown }>();
async function reference(mode: Mode): Promise<{ code: number; state: unknown }> {
  const known = refs.get(mode);
  if (known) return known;
  const ref = join(work.dir, `${mode.name}-ref`);
  mode.prepare(ref);
  const want = await dqctl(mode.args(ref, 1));
  const r = { code: want.code, state: onLakehouse(ref, mode.args(ref, 1), ref).state() };
  refs.set(mode, r);
  return r;
}

/** Run a mode on a fresh copy killed at `point`, check it, rerun it, and compare with the uninterrupted run. */
async function trial(mode: Mode, jobs: number, point: string): Promise<string[]> {
  const name = `${mode.name}-${point.replace(/\W+/g, "-")}-j${jobs}`;
  const want = await reference(mode);
  const lh = join(work.dir, `${name}-killed`);
  mode.prepare(lh);
  const args = mode.args(lh, jobs);
  const killed = await dqctl(args, { env: { DQCTL_KILL_AT: point } });
  const p = onLakehouse(lh, args, lh);
  const bad: string[] = [];
  if (killed.code === 0) bad.push(`not killed at ${point} (exit 0)`);
  bad.push(...p.afterKill().map((l) => `right after the kill: ${l}`));
  const rerun = await dqctl(args);
  if (rerun.code !== want.code) bad.push(`rerun exit ${rerun.code}, expected ${want.code}: ${rerun.stderr.split("\n")[0]}`);
  bad.push(...p.settled().map((l) => `after the rerun: ${l}`));
  bad.push(...diffLakehouse(want.state, p.state()).map((l) => `compared with the uninterrupted run: ${l}`));
  return bad.map((l) => `${name}: ${l}`);
}

describe("SIGKILL on the commit-group boundaries of ingest", () => {
  test("first ingest and rewriting ingest, one thread and two workers, killed once at every boundary: recovered to the uninterrupted result", async () => {
    const bad: string[] = [];
    for (const { point, mode, jobs } of TRIALS) bad.push(...(await trial(mode, jobs, point)));
    expect(bad).toEqual([]);
  }, 300_000);
});
