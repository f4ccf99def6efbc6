// What a small append costs the store (issue 21: streaming ingest commits small batches): one commit of 100 new 1m
// bars onto a series of BENCH_APPEND_SIZES (10,000 and 100,000) bars, averaged over 5, wall and this process's CPU.
// The lakehouse rewrites the series' file (encode + write + fsync + rename: files are replaced whole, atomically);
// PostgreSQL replaces the series whole without the stored series as base, and copies only the new rows with it.
// The server is DQCTL_TEST_PG_URL (default the machine's trust-auth server, database test); its schema is dropped.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { initParquet } from "../src/lakehouse/parquet.ts";
import { Lakehouse } from "../src/lakehouse/store.ts";
import { type Bars, mergeBars } from "../src/model/bars.ts";
import { parseSymbol } from "../src/model/symbol.ts";
import { PgStore } from "../src/store/postgres/store.ts";
import type { Store } from "../src/store/types.ts";
import { req, write } from "../test/helpers/pg-store.ts";

const PG = process.env.DQCTL_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SYM = parseSymbol("BINANCE:BTCUSDT");
const ROUNDS = 5;

function minuteBars(n: number, from = 0): Bars {
  const ts = Float64Array.from({ length: n }, (_, i) => Date.UTC(2025, 0, 1) + (from + i) * 60_000);
  const p = Float64Array.from({ length: n }, (_, i) => 100 + Math.sin((from + i) / 9));
  return { timestamp: ts, open: p, high: p.map((x) => x + 1), low: p.map((x) => x - 1), close: p, volume: new Float64Array(n).fill(10) };
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Mean wall and CPU ms of one commit of 100 bars onto `size` stored ones (merged onto the stored series as read). */
async function appendCost(store: Store, size: number, withBase: boolean): Promise<{ wall: number; cpu: number }> {
  const first = await store.openWriter(req());
  await write(first, SYM, minuteBars(size));
  await first.release();
  let wall = 0;
  let cpu = 0;
  for (let r = 0, n = size; r < ROUNDS; r++, n += 100) {
    const read = await store.read(SYM, "1d", store instanceof Lakehouse ? undefined : (await store.loadCatalog()).get(SYM.id, "1d"));
    if (read.kind !== "ok" && read.kind !== "uncataloged") throw new Error(`append bench: read ${read.kind}`);
    const merged = mergeBars(read.stored.bars, minuteBars(100, n));
    const t0 = performance.now();
    const c0 = cpuMs();
    const w = await store.openWriter(req());
    await write(w, SYM, merged, withBase ? read.stored : undefined);
    await w.release();
    wall += performance.now() - t0;
    cpu += cpuMs() - c0;
  }
  return { wall: wall / ROUNDS, cpu: cpu / ROUNDS };
}

/** Prints one line per store and series size. */
export async function benchAppend(): Promise<void> {
  const sizes = (process.env.BENCH_APPEND_SIZES ?? "10000,100000").split(",").map(Number);
  await initParquet();
  const schema = `dqctl_bench_append_${process.pid}`;
  const admin = postgres(PG, { max: 1, connect_timeout: 3, onnotice: () => {} });
  const pgUp = await admin`select 1`.then(
    () => true,
    () => false,
  );
  const dir = mkdtempSync(join(tmpdir(), "dqctl-bench-append-"));
  try {
    for (const size of sizes) {
      const line = (label: string, c: { wall: number; cpu: number }) =>
        console.log(`append      ${label} +100 bars onto ${size}: ${c.wall.toFixed(1)} ms wall, ${c.cpu.toFixed(1)} ms CPU per commit`);
      line("lakehouse (file rewritten)       ", await appendCost(new Lakehouse(join(dir, String(size))), size, false));
      if (!pgUp) continue;
      const pg = new PgStore(`${PG}${PG.includes("?") ? "&" : "?"}schema=${schema}_${size}`);
      await pg.init();
      line("PostgreSQL, series replaced whole", await appendCost(pg, size, false));
      line("PostgreSQL, new rows only        ", await appendCost(pg, size, true));
      await pg.close();
    }
    if (!pgUp) console.log(`append      PostgreSQL skipped: no server at ${PG}`);
  } finally {
    for (const size of sizes) if (pgUp) await admin.unsafe(`drop schema if exists ${schema}_${size} cascade`);
    await admin.end({ timeout: 1 });
    rmSync(dir, { recursive: true, force: true });
  }
}
