// The metric history's files: what appendMetricFile writes, readMetricFiles reads back exactly, strings included
// (repeated run ids, symbols and metric names are decoded once each; nulls and non-ASCII text as Arrow reads them).
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import { appendMetricFile, readMetricFiles } from "../../../src/lakehouse/metrics.ts";
import { encodeArrowTable, initParquet, readArrowTable } from "../../../src/lakehouse/parquet.ts";
import type { MetricRow } from "../../../src/metrics/types.ts";
import { tempDir } from "../../helpers/cli.ts";

const { dir, cleanup } = tempDir("dqctl-metrics-");
afterAll(() => cleanup());

const AT = Date.parse("2026-11-21T06:00:00Z");

function rows(runId: string, symbols: string[]): MetricRow[] {
  const out: MetricRow[] = [];
  for (const [s, symbol] of symbols.entries())
    for (const [m, metric] of ["rows", "lastBarMs", "coverage", "findings.gap", ""].entries())
      out.push({
        runId,
        command: "audit",
        at: AT + s,
        vendor: s % 3 ? "file" : "bórsa·ü",
        symbol,
        interval: s % 2 ? "1d" : "1m",
        metric,
        value: s * 10 + m + 0.25,
      });
  return out;
}

const key = (r: MetricRow) => JSON.stringify([r.runId, r.command, r.at, r.vendor, r.symbol, r.interval, r.metric, r.value]);

test("rows written are read back exactly, oldest first, across runs", async () => {
  const root = join(dir, "roundtrip");
  const symbols = Array.from({ length: 40 }, (_, i) => (i === 7 ? "NSE:株式" : `BINANCE:S${i % 13}USDT`));
  const a = rows("20261121T060000Z-aaaa", symbols);
  const b = rows("20261121T060000Z-bbbb", symbols.slice(0, 9));
  await appendMetricFile(root, a);
  await appendMetricFile(root, b);
  const back = await readMetricFiles(root);
  expect(back.map(key).sort()).toEqual([...a, ...b].map(key).sort());
  expect(back.map((r) => r.at)).toEqual([...back.map((r) => r.at)].sort((x, y) => x - y));
  // Filters apply to the decoded strings.
  const only = await readMetricFiles(root, { metrics: ["coverage"], symbols: ["NSE:株式"] });
  expect(only.map(key).sort()).toEqual(
    [...a, ...b]
      .filter((r) => r.metric === "coverage" && r.symbol === "NSE:株式")
      .map(key)
      .sort(),
  );
});

test("a file written by another writer (nullable strings) reads as Arrow reads it", async () => {
  await initParquet();
  const root = join(dir, "foreign");
  const day = join(root, "day=2026-11-21");
  mkdirSync(day, { recursive: true });
  const n = 50;
  const strs = (f: (i: number) => string | null) =>
    arrow.vectorFromArray(
      Array.from({ length: n }, (_, i) => f(i)),
      new arrow.Utf8(),
    );
  const table = new arrow.Table({
    run_id: strs(() => "r1"),
    command: strs(() => "audit"),
    at: arrow.vectorFromArray(
      Array.from({ length: n }, (_, i) => AT + i),
      new arrow.TimestampMillisecond("UTC"),
    ),
    vendor: strs((i) => (i % 5 === 0 ? null : "file")),
    symbol: strs((i) => `X:${i % 4}`),
    interval: strs(() => "1d"),
    metric: strs((i) => (i % 2 ? "rows" : "coverage")),
    value: arrow.makeVector(Float64Array.from({ length: n }, (_, i) => i)),
  });
  const path = join(day, "r1-audit.parquet");
  writeFileSync(path, encodeArrowTable(table));
  const ref = await readArrowTable(readFileSync(path), path);
  const col = (c: string) => ref.getChild(c)!.toArray() as ArrayLike<unknown>;
  const want = Array.from({ length: n }, (_, i) =>
    JSON.stringify([
      String(col("run_id")[i]),
      String(col("command")[i]),
      AT + i,
      String(col("vendor")[i]),
      String(col("symbol")[i]),
      "1d",
      String(col("metric")[i]),
      i,
    ]),
  );
  expect((await readMetricFiles(root)).map(key)).toEqual(want);
  expect(readdirSync(day)).toEqual(["r1-audit.parquet"]);
});
