// Benchmark: snapshot of 500 symbols × 10 years daily (half crypto, half equity) including the returns matrix.
// Run: bun bench/snapshot.ts [symbols] [years]. Prints figures; asserts nothing about timings.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calendarFor } from "../src/calendar/index.ts";
import { type RunContext, silentLogger, silentProgress } from "../src/context.ts";
import { encodeBars, initParquet } from "../src/lakehouse/parquet.ts";
import { Lakehouse, seriesRange, sha256 } from "../src/lakehouse/store.ts";
import { allocBars, type Bars } from "../src/model/bars.ts";
import { parseSymbol, resolveProfile, type SymbolId } from "../src/model/symbol.ts";
import { runSnapshot } from "../src/pipeline/snapshot.ts";
import { verifySnapshot } from "../src/pipeline/verify.ts";

const SYMBOLS = Number(process.argv[2] ?? 500);
const YEARS = Number(process.argv[3] ?? 10);
const FROM = Date.UTC(2024 - YEARS + 1, 0, 1);
const TO = Date.UTC(2024, 11, 31);
const NOW = "2025-01-01T12:00:00Z"; // every series fresh: crypto's last bar is 2024-12-31, NYSE is closed on New Year's Day

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const rssMb = () => `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`;

/** Seeded random walk with small steps (no check fires), one in-session hole per equity series to exercise the neutral fill. */
function walk(ts: Float64Array, seed: number, holes: number): Bars {
  const drop = new Set<number>();
  let s = seed;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let h = 0; h < holes; h++) drop.add(1 + Math.floor(rnd() * (ts.length - 2)));
  const b = allocBars(ts.length - drop.size);
  let c = 100;
  let k = 0;
  for (let i = 0; i < ts.length; i++) {
    c *= 1 + (rnd() * 2 - 1) * 0.008;
    if (drop.has(i)) continue;
    b.timestamp[k] = ts[i]!;
    b.open[k] = c;
    b.high[k] = c * 1.01;
    b.low[k] = c * 0.99;
    b.close[k] = c;
    b.volume[k] = 1000 + (i % 7);
    k++;
  }
  return b;
}

async function generate(root: string): Promise<SymbolId[]> {
  await initParquet();
  const lh = new Lakehouse(root);
  lh.ensure();
  const catalog = lh.catalog();
  const crypto = calendarFor("crypto").expected("1d", FROM, TO);
  const equity = calendarFor("equity").expected("1d", FROM, TO);
  const syms: SymbolId[] = [];
  for (let i = 0; i < SYMBOLS; i++) {
    const isCrypto = i % 2 === 0;
    const sym = parseSymbol(isCrypto ? `BINANCE:C${i}USDT` : `NASDAQ:E${i}`);
    const bars = walk(isCrypto ? crypto : equity, i + 1, isCrypto ? 0 : 1);
    const bytes = encodeBars(bars);
    writeFileSync(lh.pathFor(sym, "1d"), bytes);
    catalog.set({
      symbol: sym.id,
      interval: "1d",
      profile: resolveProfile(sym),
      path: lh.fileName(sym, "1d"),
      rows: bars.timestamp.length,
      ...seriesRange(bars),
      genesis: null,
      sha256: sha256(bytes),
      source: "bench",
      ingestedAt: NOW,
      qualityScore: null,
    });
    syms.push(sym);
  }
  catalog.save();
  return syms;
}

const dir = mkdtempSync(join(tmpdir(), "dqctl-bench-snapshot-"));
try {
  let t = performance.now();
  const syms = await generate(join(dir, "lake"));
  console.log(
    `generated ${SYMBOLS} symbols × ${YEARS} years daily in ${((performance.now() - t) / 1000).toFixed(1)} s (rss ${rssMb()}, peak so far ${mb(process.resourceUsage().maxRSS)})`,
  );

  const ctx: RunContext = {
    config: {},
    store: new Lakehouse(join(dir, "lake")),
    now: new Date(NOW),
    log: silentLogger,
    progress: silentProgress,
    waitLockMs: 0,
    runId: "bench",
  };
  t = performance.now();
  const res = await runSnapshot(ctx, { symbols: syms, interval: "1d", runId: "bench", out: join(dir, "runs") });
  const snapMs = performance.now() - t;
  if (res.exitCode)
    throw new Error(
      `snapshot aborted: ${res.findings
        .slice(0, 3)
        .map((f) => f.message)
        .join("; ")}`,
    );
  console.log(
    `snapshot: ${(snapMs / 1000).toFixed(2)} s wall; ${res.counts.copied} files copied, matrix ${res.counts.matrixRows} rows × ${SYMBOLS} columns, ${res.counts.gapsFilled} gaps neutral-filled`,
  );
  console.log(`peak RSS after snapshot: ${mb(process.resourceUsage().maxRSS)} (rss now ${rssMb()})`);

  t = performance.now();
  const v = verifySnapshot(join(dir, "runs/bench"));
  console.log(`verify: ${((performance.now() - t) / 1000).toFixed(2)} s wall, intact=${v.intact} (${v.counts.files} files)`);
  console.log(`peak RSS overall: ${mb(process.resourceUsage().maxRSS)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
