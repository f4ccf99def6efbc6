// Ingest benchmarks (figures printed, never asserted):
// 1. 200 symbols from a local Binance-format server with 50 ms latency: one fetch at a time vs concurrent.
// 2. 500 symbols × 10 years daily from the file vendor, then the idempotent second run.
// 3. `flow` over the demo fixtures.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type RunContext, silentLogger, silentProgress } from "../src/context.ts";
import { Lakehouse } from "../src/lakehouse/store.ts";
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

export async function benchIngest(): Promise<void> {
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
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
