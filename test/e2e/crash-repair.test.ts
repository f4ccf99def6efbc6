// Issue 13: SIGKILL at seeded instants during repair. The rerun must leave what one uninterrupted repair leaves,
// registry included: the killed run's committed fills keep their gaps_filled and last_repair, so the killed run and
// the rerun add up to the reference's counts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO, DEMO_NOW, DEMO_SETUP_MS, dqctl, ROOT, tempDir } from "../helpers/cli.ts";
import { copyTree, diffLakehouse, expectClean, killTrials, onLakehouse, type Variant } from "../helpers/crash.ts";

const CANDIDATES = join(ROOT, "fixtures/demo-candidates.json");
/** Series that get planted holes: every 37th bar after the first 30, on each profile's calendar. */
const HOLEY = ["BINANCE_BTCUSDT_1d.csv", "NASDAQ_AAPL_1d.csv", "NASDAQ_NVDA_1d.csv", "CME_MINI_ES1!_1d.csv", "FX_GBPUSD_1d.csv", "NYMEX_CL1!_1d.csv"];
/** What is repaired: the holey series (one per profile and then some); each also gets a backfill that records genesis. */
const REPAIRED = "BINANCE:BTCUSDT,NASDAQ:AAPL,NASDAQ:NVDA,CME_MINI:ES1!,FX:GBPUSD,NYMEX:CL1!";
let work: { dir: string; cleanup: () => void };
let holey: string;

beforeAll(async () => {
  work = tempDir("dqctl-crash-repair-");
  const source = join(work.dir, "holey-source");
  mkdirSync(source);
  for (const f of readdirSync(DEMO)) {
    const body = readFileSync(join(DEMO, f));
    if (!HOLEY.includes(f)) writeFileSync(join(source, f), body);
    else
      writeFileSync(
        join(source, f),
        body
          .toString()
          .split("\n")
          .filter((_, i, all) => !(i > 30 && i < all.length - 5 && i % 37 === 5))
          .join("\n"),
      );
  }
  holey = join(work.dir, "holey-lh");
  expect((await dqctl(["ingest", "--source", source, "--candidates", CANDIDATES, "--quiet", "--lakehouse", holey, "--now", DEMO_NOW])).code).toBe(0);
}, DEMO_SETUP_MS);
afterAll(() => work.cleanup());

describe("SIGKILL during repair", () => {
  test("the rerun fills what the killed run did not; gaps_filled, last_repair and genesis add up to the reference", async () => {
    const repair: Variant = (dir) => {
      const lh = join(dir, "lakehouse");
      copyTree(holey, lh);
      return onLakehouse(lh, ["repair", "--source", DEMO, "--symbols", REPAIRED, "--quiet", "--lakehouse", lh, "--now", DEMO_NOW], lh);
    };
    expectClean(await killTrials({ name: "repair", seed: 1303, kills: 45, variants: [repair], diff: diffLakehouse }));
  }, 300_000);
});
