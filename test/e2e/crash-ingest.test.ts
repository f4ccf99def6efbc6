// Issue 13: SIGKILL at seeded instants during a first ingest and a rewriting ingest; the next run must leave exactly
// what one uninterrupted run leaves (see test/helpers/crash.ts and lakehouse-check.ts for what is compared).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DEMO, DEMO_SETUP_MS, dqctl, tempDir } from "../helpers/cli.ts";
import { altDemoSource, copyTree, demoIngest, diffLakehouse, expectClean, killTrials, onLakehouse, type Variant } from "../helpers/crash.ts";

let work: { dir: string; cleanup: () => void };
let alt: string;
let ingestedDemo: string;
let ingestedAlt: string;

const ingest = demoIngest;

beforeAll(async () => {
  work = tempDir("dqctl-crash-ingest-");
  // A second source differing in every CSV volume, so a --refresh from the other source rewrites every file it reaches.
  alt = altDemoSource(work.dir);
  ingestedDemo = join(work.dir, "demo-lh");
  ingestedAlt = join(work.dir, "alt-lh");
  expect((await dqctl(ingest(ingestedDemo, DEMO))).code).toBe(0);
  copyTree(ingestedDemo, ingestedAlt);
  expect((await dqctl(ingest(ingestedAlt, alt, "--refresh"))).code).toBe(0);
}, DEMO_SETUP_MS);
afterAll(() => work.cleanup());

describe("SIGKILL during ingest", () => {
  test("first ingest (20 candidates: 3 quarantined whole, 2 with toxic bars cut out): the rerun leaves the reference lakehouse, no orphan, no lost mark", async () => {
    const first: Variant = (dir) => {
      mkdirSync(dir, { recursive: true });
      const lh = join(dir, "lakehouse");
      return onLakehouse(lh, ingest(lh, DEMO), dir);
    };
    expectClean(await killTrials({ name: "first ingest", seed: 1301, kills: 50, variants: [first], diff: diffLakehouse }));
  }, 300_000);

  test("rewriting ingest (--refresh alternating two sources): the rerun leaves the reference lakehouse", async () => {
    const variant =
      (from: () => string, source: () => string): Variant =>
      (dir) => {
        const lh = join(dir, "lakehouse");
        copyTree(from(), lh);
        return onLakehouse(lh, ingest(lh, source(), "--refresh"), lh);
      };
    const variants = [
      variant(
        () => ingestedDemo,
        () => alt,
      ),
      variant(
        () => ingestedAlt,
        () => DEMO,
      ),
    ];
    expectClean(await killTrials({ name: "rewriting ingest", seed: 1302, kills: 40, variants, diff: diffLakehouse }));
  }, 300_000);
});
