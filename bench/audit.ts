// Audit side by side (issue 18), in one run on the same files: dqctl against the DuckDB SQL reference (its SQL run
// from @duckdb/node-api in a child process, bench/ref-duckdb.ts) and the pandas reference when a Python with pandas
// is present. Full audit on 1 worker and on every core, the re-audit with nothing changed, the re-audit after one bar
// appended to every series; then 1-minute data for memory. Whole processes: wall time, peak RSS, rows/s.
// Scale: BENCH_SERIES (2000) × BENCH_DAYS (3650) daily; BENCH_1M_SERIES (100) × BENCH_1M_DAYS (365) of 1m bars
// (0 skips); BENCH_REPEAT (3) runs each, best wall time, highest RSS.
import { copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Catalog } from "../src/lakehouse/catalog.ts";
import { decodeBars, initParquet } from "../src/lakehouse/parquet.ts";
import { allocBars, BAR_COLUMNS, type Bars, barCount } from "../src/model/bars.ts";
import { best, makeLakehouse, seriesFile, storeSeries } from "./lib.ts";

/** The audit state in a lakehouse folder (the store document `audit_state`, see src/pipeline/audit-state.ts). */
const AUDIT_STATE_FILE = "audit_state.json";

const env = (k: string, d: number) => (process.env[k] !== undefined ? Number(process.env[k]) : d);
const NOW = "2026-11-21T06:00:00Z";
const REF = resolve(import.meta.dir, "../../shared/bench");
const BUN = process.execPath;
const mb = (x: number) => `${x.toFixed(0)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A Python that imports pandas, pyarrow and numpy, or undefined. */
function pandasPython(): string | undefined {
  for (const py of [".venv/bin/python", "python3"]) {
    try {
      if (Bun.spawnSync([py, "-c", "import pandas, pyarrow, numpy"], { stdout: "ignore", stderr: "ignore" }).exitCode === 0) return py;
    } catch {
      // not there
    }
  }
  return undefined;
}

/** One more bar at the end of every series (its close one step on from the last), written as a committer would. */
async function appendOneBar(dir: string, interval: "1d" | "1m", count: number): Promise<void> {
  await initParquet();
  const cat = Catalog.load(join(dir, "catalog.json"));
  const step = interval === "1d" ? 86_400_000 : 60_000;
  for (let s = 0; s < count; s++) {
    const b = decodeBars(readFileSync(join(dir, seriesFile(s, interval))), seriesFile(s, interval));
    const n = barCount(b);
    const out: Bars = allocBars(n + 1);
    for (const c of BAR_COLUMNS) out[c].set(b[c]);
    const p = b.close[n - 1]!;
    out.timestamp[n] = b.timestamp[n - 1]! + step;
    out.open[n] = p;
    out.close[n] = p * 1.004;
    out.high[n] = p * 1.01;
    out.low[n] = p * 0.99;
    out.volume[n] = b.volume[n - 1]!;
    storeSeries(dir, cat, s, interval, out);
  }
  cat.save();
}

interface Row {
  what: string;
  ms: number;
  rssMb: number;
  rows: number;
}

function print(rows: Row[], base: number): void {
  for (const r of rows) {
    const ratio = r.ms / base;
    console.log(
      `  ${r.what.padEnd(44)} ${secs(r.ms).padStart(9)}  ${mb(r.rssMb).padStart(7)}  ${(((r.rows / r.ms) * 1000) / 1e6).toFixed(2).padStart(6)} M rows/s  ${ratio.toFixed(2).padStart(6)}× dqctl full`,
    );
  }
}

/** dqctl audits and the references over one lakehouse; returns nothing, prints a table. */
async function sideBySide(label: string, dir: string, series: number, interval: "1d" | "1m", rows: number, repeat: number): Promise<void> {
  const cores = availableParallelism();
  const audit = ["audit", "--json", "--quiet", "--lakehouse", dir, "--now", NOW];
  const out: Row[] = [];
  const note = (what: string, r: { ms: number; cpuMs: number; rssMb: number; code: number }) => {
    out.push({ what: `${what}${r.code > 2 ? ` (exit ${r.code})` : ""}`, ms: r.ms, rssMb: r.rssMb, rows });
    return r;
  };
  const one = note("dqctl audit --full --jobs 1", best([...audit, "--full", "--jobs", "1"], repeat));
  const all = note(`dqctl audit --full --jobs ${cores} (all cores)`, best([...audit, "--full", "--jobs", String(cores)], repeat));
  note("dqctl audit, nothing changed", best(audit, repeat));
  const step = interval === "1d" ? "86400000" : "60000";
  note("DuckDB SQL (@duckdb/node-api, child process)", best([resolve(import.meta.dir, "ref-duckdb.ts"), dir, step, "2026-11-20"], repeat, BUN));
  const py = pandasPython();
  if (py) note("pandas reference (ref_audit_pandas.py)", best([join(REF, "ref_audit_pandas.py"), dir], 1, py));
  // One bar more on every series; each timed run starts from the state the audit before the append left.
  const saved = join(dir, "..", `${label}.state.json`);
  copyFileSync(join(dir, AUDIT_STATE_FILE), saved);
  await appendOneBar(dir, interval, series);
  note(
    "dqctl audit after one bar appended to each",
    best(audit, repeat, undefined, () => copyFileSync(saved, join(dir, AUDIT_STATE_FILE))),
  );
  rmSync(saved, { force: true });
  const full = Math.min(one.ms, all.ms);
  console.log(
    `${label}: ${series} series × ${Math.round(rows / series)} bars = ${(rows / 1e6).toFixed(2)} M rows (best of ${repeat}; ratios to dqctl's best full audit; load average ${loadavg()[0]!.toFixed(1)})`,
  );
  print(out, full);
  const pct = (what: string) => out.find((r) => r.what.startsWith(what))!.ms / full;
  console.log(
    `  → workers ${(one.ms / all.ms).toFixed(2)}× (1 → ${cores}; CPU time, user+sys, ${(all.cpuMs / 1000).toFixed(2)} s vs ${(one.cpuMs / 1000).toFixed(2)} s: ${(all.cpuMs / one.cpuMs).toFixed(2)}× — the parallel overhead, shown even on a busy machine); no change ${(pct("dqctl audit, nothing") * 100).toFixed(1)} % of full; one bar appended ${(pct("dqctl audit after") * 100).toFixed(1)} % of full; DuckDB ${pct("DuckDB").toFixed(2)}× slower`,
  );
  if (interval === "1m") console.log("  (series of 100,000+ bars are checked one at a time on the main thread, whatever --jobs says: memory stays flat)");
  if (!py)
    console.log(
      "  pandas reference: not run — no Python with pandas, pyarrow and numpy here (where pip has a local index: `pip install pandas pyarrow numpy`)",
    );
}

const catalogRows = (dir: string) =>
  Catalog.load(join(dir, "catalog.json"))
    .all()
    .reduce((a, e) => a + e.rows, 0);

/** The audit section of `bun run bench`. */
export async function benchAudit(): Promise<void> {
  const base = join(tmpdir(), "dqctl-bench-audit");
  const repeat = Math.max(1, env("BENCH_REPEAT", 3));
  const series = env("BENCH_SERIES", 2000);
  const days = env("BENCH_DAYS", 3650);
  if (series > 0) {
    const dir = join(base, "daily");
    const t0 = performance.now();
    await makeLakehouse(dir, series, days, "1d");
    console.log(`# audit side by side (lakehouse generated in ${secs(performance.now() - t0)})`);
    await sideBySide("daily", dir, series, "1d", catalogRows(dir), repeat);
    rmSync(dir, { recursive: true, force: true });
  }
  const s1m = env("BENCH_1M_SERIES", 100);
  const d1m = env("BENCH_1M_DAYS", 365);
  if (s1m > 0) {
    const dir = join(base, "minute");
    const t0 = performance.now();
    await makeLakehouse(dir, s1m, d1m, "1m");
    console.log(`# 1m data for memory (lakehouse generated in ${secs(performance.now() - t0)})`);
    await sideBySide("1m", dir, s1m, "1m", catalogRows(dir), 1);
    rmSync(dir, { recursive: true, force: true });
  }
  if (existsSync(base)) rmSync(base, { recursive: true, force: true });
}
