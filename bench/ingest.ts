// Ingest benchmarks (figures printed, never asserted):
// 0. The binary over N Parquet sources × 3,650 daily bars (issue 18: N = 2,000, BENCH_INGEST_SERIES overrides):
//    rows/s of a first ingest on one worker and on all cores, the idempotent rerun as % of the first, cold start.
// 1. 200 symbols from a local Binance-format server with 50 ms latency: one fetch at a time vs concurrent.
// 2. 500 symbols × 10 years daily from the file vendor, then the idempotent second run.
// 3. `flow` over the demo fixtures.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type RunContext, silentLogger, silentProgress } from "../src/context.ts";
import { encodeBars, initParquet } from "../src/lakehouse/parquet.ts";
import { Lakehouse } from "../src/lakehouse/store.ts";
import { allocBars, sliceBars } from "../src/model/bars.ts";
import { parseSymbol } from "../src/model/symbol.ts";
import { runIngest } from "../src/pipeline/ingest.ts";
import { createVendor } from "../src/vendors/registry.ts";
import { run as runBinary } from "./run.ts";

const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 20);
const NOW = new Date(END + 1.25 * DAY);
const base = join(tmpdir(), "dqctl-bench-ingest");

function ctx(lakehouse: string, config: RunContext["config"] = {}): RunContext {
  return { config, store: new Lakehouse(lakehouse), now: NOW, log: silentLogger, progress: silentProgress, waitLockMs: 0, runId: "bench" };
}

/** Binance klines for any symbol: 1000 daily bars ending at END, after `latencyMs`. */
function startKlines(latencyMs: number) {
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const u = new URL(req.url);
      await Bun.sleep(latencyMs);
      const start = Math.max(Number(u.searchParams.get("startTime") ?? 0), END - 999 * DAY);
      const end = Math.min(Number(u.searchParams.get("endTime") ?? END), END);
      const rows = [];
      for (let t = Math.ceil(start / DAY) * DAY; t <= end && rows.length < 1000; t += DAY) {
        const p = 100 + Math.sin(t / DAY / 9) * 5;
        rows.push([t, `${p}`, `${p + 1}`, `${p - 1}`, `${p + 0.5}`, "1000", t + DAY - 1, "100000", 10, "500", "50000", "0"]);
      }
      return Response.json(rows);
    },
  });
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await f();
  return [performance.now() - t0, r];
}

/** `n` Parquet sources (the lakehouse schema, ~0.1 % of bars missing) × `days` daily bars; returns candidates and rows. */
export async function parquetSources(dir: string, n: number, days: number): Promise<{ candidates: string; rows: number }> {
  await initParquet();
  mkdirSync(dir, { recursive: true });
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const symbols: { symbol: string }[] = [];
  let rows = 0;
  for (let s = 0; s < n; s++) {
    const b = allocBars(days);
    let p = 100;
    let k = 0;
    for (let i = 0; i < days; i++) {
      if (rnd() < 0.001) continue;
      const c = p * Math.exp((rnd() - 0.5) * 0.04);
      b.timestamp[k] = END - (days - 1 - i) * DAY;
      b.open[k] = p;
      b.close[k] = c;
      b.high[k] = Math.max(p, c) * (1 + rnd() * 0.01);
      b.low[k] = Math.min(p, c) * (1 - rnd() * 0.01);
      b.volume[k] = 1000 + rnd() * 500;
      p = c;
      k++;
    }
    const ticker = `SYN${String(s).padStart(5, "0")}USDT`;
    writeFileSync(join(dir, `BINANCE_${ticker}_1d.parquet`), encodeBars(sliceBars(b, 0, k)));
    symbols.push({ symbol: `BINANCE:${ticker}` });
    rows += k;
  }
  const candidates = join(dir, "..", "candidates.json");
  writeFileSync(candidates, JSON.stringify(symbols));
  return { candidates, rows };
}

/** Issue 18's ingest figures, through the binary: first run on 1 worker and on all cores, the idempotent rerun, cold start. */
export async function benchIngestParquet(): Promise<void> {
  const n = Number(process.env.BENCH_INGEST_SERIES ?? 2000);
  const dir = join(base, "parquet");
  rmSync(dir, { recursive: true, force: true });
  const src = await parquetSources(join(dir, "src"), n, 3650);
  const bin = resolve(import.meta.dir, "../dist/dqctl");
  const ingest = (lh: string, jobs: number) =>
    runBinary(
      [
        "ingest",
        "--vendor",
        "file",
        "--source",
        join(dir, "src"),
        "--candidates",
        src.candidates,
        "--jobs",
        String(jobs),
        "--lakehouse",
        lh,
        "--now",
        NOW.toISOString(),
        "--quiet",
        "--json",
      ],
      bin,
    );
  const cores = availableParallelism();
  const one = ingest(join(dir, "lh-1"), 1);
  const all = ingest(join(dir, "lh-all"), cores);
  const again = ingest(join(dir, "lh-all"), cores);
  const rate = (ms: number) => `${(src.rows / ms / 1000).toFixed(2)} M rows/s`;
  const mrows = (src.rows / 1e6).toFixed(2);
  const cpu = (r: { cpuMs: number }) => `${(r.cpuMs / 1000).toFixed(2)} s CPU`;
  console.log(
    `ingest ${n} Parquet sources × 3,650 daily bars (${mrows} M rows), binary: --jobs 1 ${one.ms.toFixed(0)} ms = ${rate(one.ms)} (${cpu(one)}, ${one.rssMb.toFixed(0)} MB, exit ${one.code}); --jobs ${cores} ${all.ms.toFixed(0)} ms = ${rate(all.ms)} (${cpu(all)}, ${all.rssMb.toFixed(0)} MB, exit ${all.code}), ${(one.ms / all.ms).toFixed(2)}× one worker`,
  );
  console.log(
    `ingest idempotent rerun (nothing changed): ${again.ms.toFixed(0)} ms = ${((again.ms / all.ms) * 100).toFixed(1)} % of the first (${cpu(again)} = ${((again.cpuMs / all.cpuMs) * 100).toFixed(1)} % of its CPU; ${again.rssMb.toFixed(0)} MB, exit ${again.code}; load ${loadavg()[0]!.toFixed(1)} on ${cores} cores)`,
  );
  const starts = Array.from({ length: 10 }, () => runBinary(["--version"], bin).ms);
  console.log(`cold start --version: best of 10 ${Math.min(...starts).toFixed(1)} ms`);
  rmSync(dir, { recursive: true, force: true });
}

export async function benchIngest(): Promise<void> {
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  await benchIngestParquet();
  const server = startKlines(50);
  const symbols = Array.from({ length: 200 }, (_, i) => parseSymbol(`BINANCE:S${i}USDT`));
  const run = async (concurrency: number) => {
    const config = { vendors: { binance: { baseUrl: `http://127.0.0.1:${server.port}`, concurrency, rateLimitPerMinute: 0 } } };
    const c = ctx(join(base, `net-${concurrency}`), config);
    const vendor = createVendor("binance", { config, log: silentLogger, env: {} });
    return timed(() => runIngest(c, { vendor, symbols, interval: "1d", lookbackDays: 900, concurrency }));
  };
  const [serial, r1] = await run(1);
  const [parallel, r8] = await run(8);
  server.stop(true);
  console.log(
    `ingest 200 symbols from a local binance server, 50 ms latency: one at a time ${serial.toFixed(0)} ms, concurrency 8 ${parallel.toFixed(0)} ms (${(serial / parallel).toFixed(1)}× faster; written ${r1.counts.written}/${r8.counts.written})`,
  );

  // File vendor: 500 symbols × 10 years daily (crypto), then the idempotent rerun.
  const src = join(base, "files");
  mkdirSync(src);
  const fileSymbols = Array.from({ length: 500 }, (_, i) => parseSymbol(`BINANCE:F${i}USDT`));
  for (const s of fileSymbols) {
    let csv = "timestamp,open,high,low,close,volume\n";
    for (let k = 3652; k >= 0; k--) {
      const t = END - k * DAY;
      const p = 100 + Math.sin(k / 9) * 5;
      csv += `${t},${p},${p + 1},${p - 1},${p + 0.5},1000\n`;
    }
    writeFileSync(join(src, `BINANCE_${s.ticker}_1d.csv`), csv);
  }
  const lh = join(base, "file-lh");
  const vendor = createVendor("file", { config: {}, log: silentLogger, env: {}, source: src });
  const [first, a] = await timed(() => runIngest(ctx(lh), { vendor, symbols: fileSymbols, interval: "1d" }));
  const [second, b] = await timed(() => runIngest(ctx(lh), { vendor, symbols: fileSymbols, interval: "1d" }));
  console.log(
    `ingest 500 symbols × 3,653 daily bars from the file vendor: first run ${first.toFixed(0)} ms (written ${a.counts.written}), idempotent second run ${second.toFixed(0)} ms (fresh ${b.counts.fresh}, written ${b.counts.written}) = ${((second / first) * 100).toFixed(1)} % of the first`,
  );

  // flow over the demo fixtures, through the binary.
  const bin = resolve(import.meta.dir, "../dist/dqctl");
  const root = resolve(import.meta.dir, "..");
  const args = [
    "flow",
    "--scanner",
    "fixtures/scanners/crypto.yaml,fixtures/scanners/tradfi.yaml",
    "--source",
    "fixtures/demo",
    "--lakehouse",
    join(base, "demo-lh"),
    "--export",
    join(base, "demo-export"),
    "--now",
    "2026-11-21T06:00:00Z",
    "--quiet",
    "--json",
  ];
  process.chdir(root);
  for (const label of ["first", "second"]) {
    const r = runBinary(args, bin);
    console.log(`flow over the demo fixtures (${label} run): ${r.ms.toFixed(0)} ms, ${r.rssMb.toFixed(0)} MB peak RSS, exit ${r.code}`);
  }
  rmSync(base, { recursive: true, force: true });
}

if (import.meta.main) await benchIngest();
