// Crash safety and concurrency through the real binary: SIGKILL at random moments, two writers at once.
import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { decodeBars, initParquet } from "../../src/lakehouse/parquet.ts";
import { DEMO, DEMO_NOW, dqctl, dqctlCommand, ROOT, tempDir } from "../helpers/cli.ts";

const CANDIDATES = join(ROOT, "fixtures/demo-candidates.json");
await initParquet();

/**
 * Every Parquet file decodes, and every catalog entry points at a file that exists. With `exact`, each entry also
 * records its file's hash (a kill between a data rename and the catalog save may leave the previous hash, which the
 * next writer heals: the rerun proves that).
 */
function assertConsistent(lh: string, exact = false): void {
  if (!existsSync(lh)) return;
  for (const f of readdirSync(lh)) {
    if (f.endsWith(".parquet")) expect(() => decodeBars(readFileSync(join(lh, f)), f)).not.toThrow();
  }
  const catPath = join(lh, "catalog.json");
  if (!existsSync(catPath)) return;
  const cat = JSON.parse(readFileSync(catPath, "utf8"));
  for (const e of cat.entries) {
    const p = join(lh, e.path);
    expect(existsSync(p)).toBe(true);
    if (exact) expect(createHash("sha256").update(readFileSync(p)).digest("hex")).toBe(e.sha256);
  }
  if (existsSync(join(lh, "foundation_health.json"))) expect(() => JSON.parse(readFileSync(join(lh, "foundation_health.json"), "utf8"))).not.toThrow();
}

describe("crash safety", () => {
  test("SIGKILL at random moments during ingest never leaves a torn file; a rerun completes", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const lh = join(dir, "lakehouse");
      // Two sources that differ in every CSV volume, so each run rewrites the files it reaches.
      const alt = join(dir, "alt");
      mkdirSync(alt);
      for (const f of readdirSync(DEMO)) {
        const body = readFileSync(join(DEMO, f));
        writeFileSync(join(alt, f), f.endsWith(".csv") ? body.toString().replace(/,(\d+)$/gm, ",$11") : body);
      }
      const args = (src: string) => ["ingest", "--source", src, "--candidates", CANDIDATES, "--refresh", "--quiet", "--lakehouse", lh, "--now", DEMO_NOW];
      // Kill times spread over a full ingest (~150–400 ms), chosen by a seeded generator.
      const delays = fc.sample(fc.integer({ min: 5, max: 400 }), { seed: 7, numRuns: 12 });
      for (const [n, ms] of delays.entries()) {
        const p = Bun.spawn([...dqctlCommand(), ...args(n % 2 ? alt : DEMO)], { stdout: "ignore", stderr: "ignore" });
        await Bun.sleep(ms);
        p.kill("SIGKILL");
        await p.exited;
        assertConsistent(lh);
      }
      const r = await dqctl(args(DEMO));
      expect(r.code).toBe(0);
      assertConsistent(lh, true);
      expect(readdirSync(lh).filter((f) => f.endsWith(".tmp"))).toEqual([]);
      expect(JSON.parse(readFileSync(join(lh, "catalog.json"), "utf8")).entries).toHaveLength(12);
    } finally {
      cleanup();
    }
  }, 120_000);

  test("two ingests started together: with --wait-lock both finish and no registry update is lost", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const lh = join(dir, "lakehouse");
      const a = dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT,BINANCE:ETHUSDT,KRAKEN:ADAUSD", "--wait-lock", "60s", "--quiet", "--lakehouse", lh, "--now", DEMO_NOW]);
      const b = dqctl(["ingest", "--source", DEMO, "--symbols", "NASDAQ:AAPL,NYSE:XOM,BINANCE:SOLUSDT", "--wait-lock", "60s", "--quiet", "--lakehouse", lh, "--now", DEMO_NOW]);
      const [ra, rb] = await Promise.all([a, b]);
      expect([ra.code, rb.code]).toEqual([0, 0]);
      const health = JSON.parse(readFileSync(join(lh, "foundation_health.json"), "utf8"));
      expect(Object.keys(health).sort()).toEqual(["BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "BINANCE:SOLUSDT", "KRAKEN:ADAUSD", "NASDAQ:AAPL", "NYSE:XOM"]);
      expect(health["KRAKEN:ADAUSD"].is_toxic && health["BINANCE:SOLUSDT"].is_toxic).toBe(true);
      expect(JSON.parse(readFileSync(join(lh, "catalog.json"), "utf8")).entries).toHaveLength(4);
    } finally {
      cleanup();
    }
  }, 60_000);
});
