// The metrics store under SIGKILL: audits killed at seeded instants leave every metrics file whole or absent (a
// killed writer's temp file is dot-named and never read), and the history reads back with no torn rows.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { readMetricFiles as readMetrics } from "../../src/lakehouse/metrics.ts";
import { initParquet } from "../../src/lakehouse/parquet.ts";
import { DEMO, DEMO_NOW, DEMO_SETUP_MS, dqctl, dqctlCommand, tempDir } from "../helpers/cli.ts";

const { dir, cleanup } = tempDir("dqctl-crash-metrics-");
const lh = join(dir, "lh");
const root = join(lh, "metrics");
const SYMBOLS = "BINANCE:BTCUSDT,NASDAQ:AAPL,FX:EURUSD,NYSE:XOM";
let refMs = 0;
let perRun = 0;

beforeAll(async () => {
  await initParquet();
  const r = await dqctl(["ingest", "--source", DEMO, "--symbols", SYMBOLS, "--lakehouse", lh, "--now", DEMO_NOW, "--quiet"]);
  expect(r.code).toBe(0);
  const t0 = performance.now();
  const a = await dqctl(["audit", "--lakehouse", lh, "--now", DEMO_NOW, "--quiet"]);
  refMs = performance.now() - t0;
  expect(a.code).toBe(0);
  perRun = (await readMetrics(root)).filter((m) => m.command === "audit").length;
}, DEMO_SETUP_MS);
afterAll(cleanup);

const files = () => readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());

describe("metrics store under SIGKILL", () => {
  test("20 audits killed at seeded instants: each run's metrics are all there or not at all", async () => {
    expect(perRun).toBeGreaterThan(10);
    let audits = 1;
    const instants = fc.sample(fc.integer({ min: 0, max: Math.ceil(refMs * 1.2) }), { seed: 20, numRuns: 20 });
    for (const at of instants) {
      const p = Bun.spawn([...dqctlCommand(), "audit", "--lakehouse", lh, "--now", DEMO_NOW, "--quiet"], {
        stdout: "ignore",
        stderr: "ignore",
        stdin: "ignore",
      });
      await Promise.race([Bun.sleep(at), p.exited]);
      p.kill("SIGKILL");
      await p.exited;
      const rows = await readMetrics(root); // never throws: no torn file is visible
      const byRun = new Map<string, number>();
      for (const m of rows) if (m.command === "audit") byRun.set(m.runId, (byRun.get(m.runId) ?? 0) + 1);
      for (const [run, n] of byRun) expect([run, n]).toEqual([run, perRun]);
      audits = byRun.size;
    }
    // Whatever a killed writer left is a dot-named temp file, never a visible .parquet of a partial run.
    for (const f of files()) expect(f.name.startsWith(".") || f.name.endsWith(".parquet")).toBe(true);
    // A run after the kills appends as usual.
    const after = await dqctl(["audit", "--lakehouse", lh, "--now", DEMO_NOW, "--quiet"]);
    expect(after.code).toBe(0);
    const runs = new Set((await readMetrics(root)).filter((m) => m.command === "audit").map((m) => m.runId));
    expect(runs.size).toBe(audits + 1);
  }, 240_000);
});
