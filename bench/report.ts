// HTML report benchmark: `dqctl report` over N series × 10 years of daily bars (some with planted spikes and gaps),
// the file's size, the time to write it, and the time headless Chromium takes to open it and draw the first screen.
// `bun bench/report.ts [series]` alone, or the `report:` lines of `bun run bench`. Prints figures, asserts nothing.
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { Catalog } from "../src/lakehouse/catalog.ts";
import { initParquet } from "../src/lakehouse/parquet.ts";
import { allocBars } from "../src/model/bars.ts";
import { BIN, END, storeSeries } from "./lib.ts";

const CHROMIUM = process.env.DQCTL_CHROMIUM ?? "/usr/bin/chromium";
const DAY = 86_400_000;
const BARS = 3_650;

/** N crypto series × 10 years daily; every 10th has a spike reverted next bar, every 7th a 3-day hole. */
async function makeLakehouse(dir: string, n: number): Promise<void> {
  await initParquet();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const cat = new Catalog(join(dir, "catalog.json"));
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let s = 0; s < n; s++) {
    const hole = s % 7 === 0 ? 1_000 + (s % 500) : -1;
    const rows = hole >= 0 ? BARS - 3 : BARS;
    const b = allocBars(rows);
    let p = 100;
    for (let i = 0, k = 0; i < BARS; i++) {
      const c = p * (1 + (rnd() - 0.5) * 0.04);
      if (i >= hole && i < hole + 3) {
        p = c;
        continue;
      }
      const spike = s % 10 === 0 && i === 2_000 + (s % 900) ? 1.6 : 1;
      b.timestamp[k] = END - (BARS - 1 - i) * DAY;
      b.open[k] = p;
      b.close[k] = c * spike;
      b.high[k] = Math.max(p, c * spike) * 1.01;
      b.low[k] = Math.min(p, c) * 0.99;
      b.volume[k] = 1000 + rnd() * 500;
      p = c;
      k++;
    }
    storeSeries(dir, cat, s, "1d", b);
  }
  cat.save();
}

/** Print the `report:` lines for `n` series. */
export async function benchReport(n = Number(process.env.BENCH_REPORT_SERIES ?? 2_000)): Promise<void> {
  if (!existsSync(BIN)) throw new Error("build first: bun run build");
  const dir = join(tmpdir(), "dqctl-bench-report");
  const lh = join(dir, "lakehouse");
  const out = join(dir, "report.html");
  await makeLakehouse(lh, n);
  const t0 = performance.now();
  const p = Bun.spawnSync([BIN, "report", "--quiet", "--lakehouse", lh, "--out", out, "--now", "2026-11-21T06:00:00Z"], { stdout: "ignore", stderr: "pipe" });
  const writeMs = performance.now() - t0;
  if (p.exitCode !== 0) throw new Error(`dqctl report exited ${p.exitCode}: ${p.stderr.toString()}`);
  const mb = statSync(out).size / 1e6;
  console.log(`report: ${n} series × ${BARS} daily bars → ${mb.toFixed(2)} MB HTML (budget 5 MB), written in ${writeMs.toFixed(0)} ms (audit included)`);
  if (!existsSync(CHROMIUM)) console.log(`report: open time skipped (no ${CHROMIUM}; apt-get install -y chromium)`);
  else {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    const times: number[] = [];
    const split: { parsed: number; script: number }[] = [];
    let drawn = 0;
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const t = performance.now();
      await page.goto(`file://${out}`);
      await page.waitForFunction(() => (window as unknown as { __dq?: { ready: boolean } }).__dq?.ready === true, undefined, { timeout: 60_000 });
      times.push(performance.now() - t);
      drawn = await page.evaluate(() => (window as unknown as { __dq: { drawn: number } }).__dq.drawn);
      // Where the time goes: HTML parsed (the inlined data included), then the page's script until the first screen.
      split.push(
        await page.evaluate(() => ({
          parsed: (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).domInteractive,
          script: (window as unknown as { __dq: { ms: number } }).__dq.ms,
        })),
      );
      await page.close();
    }
    await browser.close();
    console.log(
      `report: opens in headless Chromium in ${Math.min(...times).toFixed(0)} ms (best of 3; target < 2 s), ${drawn} charts drawn on the first screen`,
    );
    const best = split[times.indexOf(Math.min(...times))]!;
    console.log(`report: of which HTML parsed at ${best.parsed.toFixed(0)} ms, the page's script ${best.script.toFixed(0)} ms to the first screen`);
  }
  rmSync(dir, { recursive: true, force: true });
}

if (import.meta.main) await benchReport(process.argv[2] ? Number(process.argv[2]) : undefined);
