// The DuckDB SQL reference audit (../shared/bench/ref_audit_duckdb.py) run from @duckdb/node-api, in its own process
// so its peak RSS is measured apart from dqctl's: gaps, toxic returns and stale series over every file at once.
// Usage: bun bench/ref-duckdb.ts LAKEHOUSE_DIR [STEP_MS] [STALE_BEFORE]
import { DuckDBInstance } from "@duckdb/node-api";

const [dir, stepArg = "86400000", staleBefore = "2026-11-20"] = process.argv.slice(2);
if (!dir) throw new Error("usage: bun bench/ref-duckdb.ts LAKEHOUSE_DIR [STEP_MS] [STALE_BEFORE]");
const step = Number(stepArg);
// The reference's SQL, with the bar step and the stale date as parameters (it hard-codes the daily ones).
const q = `
with b as (
  select filename f, timestamp ts, close c, volume v,
         lag(timestamp) over w pts, lag(close) over w pc,
         row_number() over (partition by filename order by timestamp desc) rn
  from read_parquet('${dir}/*.parquet', filename=true) window w as (partition by filename order by timestamp))
select count(distinct f) files, count(*) nrows,
  sum(greatest(0, epoch_ms(ts - pts) / ${step} - 1))::bigint gaps,
  sum(case when pc is not null and abs(c / pc - 1) > 5 then 1 else 0 end) toxic,
  sum(case when rn = 1 and ts < timestamp '${staleBefore}' then 1 else 0 end) stale
from b`;
const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
const row = (await con.runAndReadAll(q)).getRows()[0]!;
console.log(JSON.stringify(Object.fromEntries(["files", "rows", "gaps", "toxic", "stale"].map((k, i) => [k, Number(row[i])]))));
