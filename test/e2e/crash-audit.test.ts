// Issue 13: SIGKILL at seeded instants during audit (which writes foundation_health.json and catalog scores).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DEMO, DEMO_NOW, DEMO_SETUP_MS, dqctl, ROOT, tempDir } from "../helpers/cli.ts";
import { copyTree, diffLakehouse, expectClean, killTrials, onLakehouse, type Variant } from "../helpers/crash.ts";

let work: { dir: string; cleanup: () => void };
let ingested: string;

beforeAll(async () => {
  work = tempDir("dqctl-crash-audit-");
  ingested = join(work.dir, "lakehouse");
  const args = ["ingest", "--source", DEMO, "--candidates", join(ROOT, "fixtures/demo-candidates.json"), "--quiet", "--lakehouse", ingested, "--now", DEMO_NOW];
  expect((await dqctl(args)).code).toBe(0);
}, DEMO_SETUP_MS);
afterAll(() => work.cleanup());

describe("SIGKILL during audit", () => {
  test("the rerun leaves the reference registry and catalog scores; no temp or lock debris", async () => {
    const audit: Variant = (dir) => {
      const lh = join(dir, "lakehouse");
      copyTree(ingested, lh);
      return onLakehouse(lh, ["audit", "--quiet", "--lakehouse", lh, "--now", DEMO_NOW], lh);
    };
    expectClean(await killTrials({ name: "audit", seed: 1304, kills: 25, variants: [audit], diff: diffLakehouse }));
  }, 240_000);
});
