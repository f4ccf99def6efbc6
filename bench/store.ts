// The PostgreSQL store (issue 19), on the same generated lakehouse in one run: `dqctl store copy` of the whole
// lakehouse into PostgreSQL (rows/s), then `audit --read-only --full` on the lakehouse, on PostgreSQL reading every
// row back (the default), and on PostgreSQL with `pushdown=on` (bad_value, ohlc_inconsistent, toxic_return,
// price_stall, duplicate_rows, the last bar, gap and coverage also answered in SQL, in one batched call); best of
// two, interleaved. Then, in process over every series, those checks as SQL evidence rows vs reading every row back
// and scanning it. Scale: BENCH_STORE_SERIES (2000) × BENCH_STORE_DAYS (3650) daily bars (the 2,000 × 3,650
// lakehouse; e.g. BENCH_STORE_SERIES=200 BENCH_STORE_DAYS=1000 for a quick look); the server is DQCTL_TEST_PG_URL
// (default the machine's trust-auth server, database test). The load average is printed with the figures.
import { rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { calendarFor } from "../src/calendar/index.ts";
import { ALL_CHECKS, resolveCheckOptions, runChecks } from "../src/checks/index.ts";
import { normalizeBars } from "../src/model/bars.ts";
import { parseSymbol } from "../src/model/symbol.ts";
import { pushdownCall } from "../src/pipeline/audit-pushdown.ts";
import { PgStore } from "../src/store/postgres/store.ts";
import { makeLakehouse, run } from "./lib.ts";

const env = (k: string, d: number) => (process.env[k] !== undefined ? Number(process.env[k]) : d);
const NOW = "2026-11-21T06:00:00Z";
const PG = process.env.DQCTL_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Copy rows/s into PostgreSQL, and the audit on both stores (wall time, peak RSS). */
export async function benchStore(): Promise<void> {
  const series = env("BENCH_STORE_SERIES", 2000);
  const days = env("BENCH_STORE_DAYS", 3650);
  const admin = postgres(PG, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await admin`select 1`;
  } catch (err) {
    console.log(`store       skipped: no PostgreSQL server at ${PG} (${(err as Error).message})`);
    await admin.end({ timeout: 1 }).catch(() => {});
    return;
  }
  const schema = `dqctl_bench_${process.pid}`;
  const url = `${PG}${PG.includes("?") ? "&" : "?"}schema=${schema}`;
  const dir = join(tmpdir(), `dqctl-bench-store-${process.pid}`);
  try {
    await makeLakehouse(dir, series, days);
    const copy = run(["store", "copy", "--from", dir, "--to", url, "--json", "--quiet"]);
    const c = JSON.parse(copy.stdout) as { counts: { rows: number; verified: number }; store: { rowsPerSecond: number } };
    console.log(
      `store copy  ${series} × ${days} → PostgreSQL: ${c.counts.rows} rows in ${(copy.ms / 1000).toFixed(1)} s, ${c.store.rowsPerSecond} rows/s (${c.counts.verified} series verified)`,
    );
    const audit = (store: string) => run(["audit", "--read-only", "--full", "--store", store, "--now", NOW, "--json", "--quiet"]);
    const stores = { lake: dir, readBack: url, pushdown: `${url}&pushdown=on` };
    const best: Record<keyof typeof stores, { ms: number; rssMb: number }> = {
      lake: { ms: Infinity, rssMb: 0 },
      readBack: { ms: Infinity, rssMb: 0 },
      pushdown: { ms: Infinity, rssMb: 0 },
    };
    for (let round = 0; round < 2; round++)
      for (const k of (round ? ["pushdown", "readBack", "lake"] : ["lake", "readBack", "pushdown"]) as (keyof typeof stores)[]) {
        const r = audit(stores[k]);
        if (r.code !== 0 && r.code !== 1) throw new Error(`audit on ${k} exited ${r.code}`);
        best[k] = { ms: Math.min(best[k].ms, r.ms), rssMb: Math.max(best[k].rssMb, r.rssMb) };
      }
    const fmt = (k: keyof typeof stores) => `${(best[k].ms / 1000).toFixed(2)} s (${best[k].rssMb.toFixed(0)} MB)`;
    console.log(
      `store audit lakehouse ${fmt("lake")}   PostgreSQL reading every row back ${fmt("readBack")}   PostgreSQL pushdown=on ${fmt("pushdown")}   (best of 2; load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
    );
    await benchPushdown(url);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.unsafe(`drop schema if exists ${schema} cascade`).catch(() => {});
    await admin.end({ timeout: 1 });
  }
}

/** The pushed-down checks over every series: SQL evidence rows (one batched call) vs every row read back and scanned in dqctl. */
async function benchPushdown(url: string): Promise<void> {
  const store = new PgStore(url);
  try {
    const entries = (await store.loadCatalog()).all();
    const pushedChecks = ALL_CHECKS.filter((c) => PUSHED.includes(c.code));
    const options = resolveCheckOptions({} as never, pushedChecks);
    const calendar = calendarFor("crypto");
    let t0 = performance.now();
    let rows = 0;
    for (const e of entries) {
      const r = await store.read(parseSymbol(e.symbol), e.interval as never, e);
      if (r.kind !== "ok") continue;
      const bars = normalizeBars(r.stored.bars);
      rows += bars.timestamp.length;
      const input = { symbol: e.symbol, interval: e.interval as never, profile: "crypto" as const, raw: bars, bars, calendar, nowMs: 0 };
      runChecks(input, options, pushedChecks);
    }
    const readMs = performance.now() - t0;
    t0 = performance.now();
    const window = (e: (typeof entries)[number]) => ({ fromMs: Date.parse(e.start!), toMs: Date.parse(e.end!) });
    const asks = entries.map((e) => ({
      scope: { symbol: e.symbol, interval: e.interval as never, profile: "crypto" as const },
      calendar: "crypto",
      window: window(e),
    }));
    const call = pushdownCall(asks, options);
    const answer = await store.checkInSql(call.series, call.sessions);
    const sqlMs = performance.now() - t0;
    if (answer.size !== entries.length) throw new Error(`pushdown answered ${answer.size} of ${entries.length} series`);
    console.log(
      `store pushdown ${PUSHED.join("+")} over ${entries.length} series (${rows} rows): SQL evidence rows ${(sqlMs / 1000).toFixed(2)} s   every row read back + TS scan ${(readMs / 1000).toFixed(2)} s`,
    );
  } finally {
    await store.close();
  }
}

const PUSHED = ["bad_value", "ohlc_inconsistent", "toxic_return", "price_stall", "duplicate_rows", "stale", "gap", "coverage"];

if (import.meta.main) await benchStore();
