// `bun run bench`: prints figures (never asserts them). Needs dist/dqctl (`bun run build`).
// Foundation: cold start of --version/--help; audit --json over N symbols × 3,650 daily bars, N = 500, 1000, 2000;
// detection rates of the checks on 1,000 seeded GBM series (bench/detection.ts, in-process).
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Catalog } from "../src/lakehouse/catalog.ts";
import { encodeBars, initParquet } from "../src/lakehouse/parquet.ts";
import { sha256 } from "../src/lakehouse/store.ts";
import { allocBars } from "../src/model/bars.ts";
import { benchCalendar } from "./calendar.ts";
import { benchDetection } from "./detection.ts";
import { benchIngest } from "./ingest.ts";

const BIN = resolve(import.meta.dir, "../dist/dqctl");
if (!existsSync(BIN)) throw new Error("build first: bun run build");
const END = Date.UTC(2026, 10, 20);
const DAY = 86_400_000;

/** Wall time and peak RSS of one run of the binary (GNU time's %M when present: Bun's maxRSS units vary by platform). */
export function run(args: string[], bin = BIN): { ms: number; rssMb: number; code: number } {
  const timeBin = existsSync("/usr/bin/time") ? ["/usr/bin/time", "-f", "%M"] : [];
  const t0 = performance.now();
  const p = Bun.spawnSync([...timeBin, bin, ...args], { stdout: "ignore", stderr: "pipe" });
  const ms = performance.now() - t0;
  const kb = timeBin.length ? Number(p.stderr.toString().trim().split("\n").pop()) : (p.resourceUsage?.maxRSS ?? 0) / 1024;
  return { ms, rssMb: kb / 1024, code: p.exitCode ?? -1 };
}

function best(args: string[], n = 5) {
  const runs = Array.from({ length: n }, () => run(args));
  return { ms: Math.min(...runs.map((r) => r.ms)), rssMb: Math.max(...runs.map((r) => r.rssMb)) };
}

/** A lakehouse of `symbols` crypto series × `bars` daily bars (random walks). */
export async function makeLakehouse(dir: string, symbols: number, bars: number): Promise<void> {
  await initParquet();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const cat = new Catalog(join(dir, "catalog.json"));
  let seed = 1;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let s = 0; s < symbols; s++) {
    const b = allocBars(bars);
    let p = 100;
    for (let i = 0; i < bars; i++) {
      b.timestamp[i] = END - (bars - 1 - i) * DAY;
      const c = p * (1 + (rnd() - 0.5) * 0.04);
      b.open[i] = p;
      b.close[i] = c;
      b.high[i] = Math.max(p, c) * 1.01;
      b.low[i] = Math.min(p, c) * 0.99;
      b.volume[i] = 1000 + rnd() * 500;
      p = c;
    }
    const name = `BINANCE_S${s}USDT_1d.parquet`;
    const bytes = encodeBars(b);
    writeFileSync(join(dir, name), bytes);
    cat.set({
      symbol: `BINANCE:S${s}USDT`,
      interval: "1d",
      profile: "crypto",
      path: name,
      rows: bars,
      start: new Date(b.timestamp[0]!).toISOString(),
      end: new Date(END).toISOString(),
      genesis: null,
      sha256: sha256(bytes),
      source: "bench",
      ingestedAt: new Date().toISOString(),
      qualityScore: null,
    });
  }
  cat.save();
}

if (import.meta.main) {
  console.log("# dqctl benchmark (2-core machine figures; best of 5 for cold start, best of 3 for audits)");
  const v = best(["--version"]);
  const h = best(["--help"]);
  console.log(`cold start  --version ${v.ms.toFixed(1)} ms (${v.rssMb.toFixed(0)} MB)   --help ${h.ms.toFixed(1)} ms (${h.rssMb.toFixed(0)} MB)`);
  const base = join(tmpdir(), "dqctl-bench");
  const sizes = (process.env.BENCH_SIZES ?? "500,1000,2000").split(",").map(Number);
  for (const n of sizes) {
    const dir = join(base, `lh-${n}`);
    const t0 = performance.now();
    await makeLakehouse(dir, n, 3650);
    const gen = performance.now() - t0;
    const r = [0, 1, 2].map(() => run(["audit", "--json", "--read-only", "--quiet", "--lakehouse", dir, "--now", "2026-11-21T06:00:00Z"]));
    const ms = Math.min(...r.map((x) => x.ms));
    const rss = Math.max(...r.map((x) => x.rssMb));
    console.log(
      `audit --json  ${String(n).padStart(5)} symbols × 3650 bars (${((n * 3650) / 1e6).toFixed(2)} M rows): ${ms.toFixed(0)} ms wall, ${rss.toFixed(0)} MB peak RSS, exit ${r[0]!.code} (lakehouse generated in ${gen.toFixed(0)} ms)`,
    );
  }
  rmSync(base, { recursive: true, force: true });
  await benchIngest();
  await benchCalendar();
  benchDetection();
  await (await import("./report.ts")).benchReport(); // the HTML report: size and open time for 2,000 series
  console.log("snapshot: run `bun bench/snapshot.ts` (500 symbols × 10 years daily with the returns matrix)");
}
