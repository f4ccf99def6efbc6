// What every benchmark section shares: timing a whole process (wall time and peak RSS) and the lakehouse generator.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Catalog } from "../src/lakehouse/catalog.ts";
import { encodeBars, initParquet } from "../src/lakehouse/parquet.ts";
import { sha256 } from "../src/lakehouse/store.ts";
import { type Bars, takeRows } from "../src/model/bars.ts";
import { randomWalk, rng } from "./gbm.ts";

export const BIN = resolve(import.meta.dir, "../dist/dqctl");
export const END = Date.UTC(2026, 10, 20);
const STEP = { "1d": 86_400_000, "1m": 60_000 } as const;

/**
 * Wall time, CPU time (user+sys, all threads), peak RSS and exit code of one process (GNU time's %M %U %S when
 * present: Bun's maxRSS units vary by platform).
 */
export function run(args: string[], bin = BIN): { ms: number; cpuMs: number; rssMb: number; code: number; stdout: string } {
  const timeBin = existsSync("/usr/bin/time") ? ["/usr/bin/time", "-f", "%M %U %S"] : [];
  const t0 = performance.now();
  const p = Bun.spawnSync([...timeBin, bin, ...args], { stdout: "pipe", stderr: "pipe" });
  const ms = performance.now() - t0;
  const [kb, user, sys] = timeBin.length ? p.stderr.toString().trim().split("\n").pop()!.split(" ").map(Number) : [];
  const usage = p.resourceUsage;
  const cpuMs = user !== undefined ? (user + sys!) * 1000 : usage ? Number(usage.cpuTime.total) / 1000 : Number.NaN;
  const rssMb = kb !== undefined ? kb / 1024 : (usage?.maxRSS ?? 0) / 1024 / 1024;
  return { ms, cpuMs, rssMb, code: p.exitCode ?? -1, stdout: p.stdout.toString() };
}

/** The best wall time, the least CPU time and the highest peak RSS of `n` runs (`before` runs ahead of each, untimed). */
export function best(args: string[], n = 3, bin = BIN, before?: () => void) {
  const runs = Array.from({ length: n }, () => {
    before?.();
    return run(args, bin);
  });
  return {
    ms: Math.min(...runs.map((r) => r.ms)),
    cpuMs: Math.min(...runs.map((r) => r.cpuMs)),
    rssMb: Math.max(...runs.map((r) => r.rssMb)),
    code: runs[0]!.code,
    stdout: runs[0]!.stdout,
  };
}

/** The file name gen_lakehouse.py gives series `i`. */
export const seriesFile = (i: number, interval: "1d" | "1m") => `BINANCE_SYN${String(i).padStart(5, "0")}USDT_${interval}.parquet`;

/** Write one series and its catalog entry, as a committer would. */
export function storeSeries(dir: string, cat: Catalog, i: number, interval: "1d" | "1m", b: Bars): void {
  const name = seriesFile(i, interval);
  const bytes = encodeBars(b);
  writeFileSync(join(dir, name), bytes);
  const n = b.timestamp.length;
  cat.set({
    symbol: `BINANCE:SYN${String(i).padStart(5, "0")}USDT`,
    interval,
    profile: "crypto",
    path: name,
    rows: n,
    start: new Date(b.timestamp[0]!).toISOString(),
    end: new Date(b.timestamp[n - 1]!).toISOString(),
    genesis: null,
    sha256: sha256(bytes),
    source: "bench",
    ingestedAt: new Date(END).toISOString(),
    qualityScore: null,
  });
}

/**
 * A lakehouse like ../shared/bench/gen_lakehouse.py's: `symbols` crypto series of `days` days of `interval` bars
 * ending at END (random walks, bench/gbm.ts), ~0.1 % of bars knocked out as gaps, seeded.
 */
export async function makeLakehouse(dir: string, symbols: number, days: number, interval: "1d" | "1m" = "1d"): Promise<void> {
  await initParquet();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const cat = new Catalog(join(dir, "catalog.json"));
  const step = STEP[interval];
  const n = interval === "1d" ? days : days * 1440;
  const knock = rng(7);
  for (let s = 0; s < symbols; s++) {
    const walk = randomWalk(n, END - (n - 1) * step, s + 1, 100, step);
    const keep: number[] = [];
    for (let i = 0; i < n; i++) if (i === n - 1 || knock() > 0.001) keep.push(i);
    storeSeries(dir, cat, s, interval, takeRows(walk, keep));
  }
  cat.save();
}
