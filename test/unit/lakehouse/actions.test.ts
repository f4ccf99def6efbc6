/**
 * Corporate actions in the lakehouse: the nullable adj_close, dividend and split_factor columns (DuckDB reads them),
 * files without them (read, audited, rewritten), the --price choice recorded in the catalog, mixing refused, and
 * all-empty vendor rows reported by ingest.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { type RunContext, silentLogger, silentProgress } from "../../../src/context.ts";
import { decodeBars, encodeBars, initParquet } from "../../../src/lakehouse/parquet.ts";
import { Lakehouse } from "../../../src/lakehouse/store.ts";
import { allocActions, type Bars } from "../../../src/model/bars.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import { runAudit } from "../../../src/pipeline/audit.ts";
import { runIngest } from "../../../src/pipeline/ingest.ts";
import { fileVendor } from "../../../src/vendors/file/index.ts";
import { dailyBars } from "../../helpers/bars-data.ts";
import { tempDir } from "../../helpers/cli.ts";

const { dir, cleanup } = tempDir("dqctl-actions-");
let con: DuckDBConnection;
beforeAll(async () => {
  await initParquet();
  con = await (await DuckDBInstance.create(":memory:")).connect();
});
afterAll(() => cleanup());
const rows = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjects();

function withActions(b: Bars, set: (a: ReturnType<typeof allocActions>) => void): Bars {
  const a = allocActions(b.timestamp.length);
  set(a);
  return { ...b, actions: a };
}

describe("Parquet columns", () => {
  test("round-trip: the three columns come back as written, NaN as null; a series without any keeps the six columns", () => {
    const b = withActions(dailyBars([10, 11, 5.6]), (a) => {
      a.adjClose.set([9.5, 10.4, 5.5]);
      a.dividend[1] = 0.12;
      a.split[2] = 2;
    });
    const back = decodeBars(encodeBars(b), "t");
    expect(Array.from(back.actions!.adjClose)).toEqual([9.5, 10.4, 5.5]);
    expect(Array.from(back.actions!.dividend)).toEqual([Number.NaN, 0.12, Number.NaN]);
    expect(Array.from(back.actions!.split)).toEqual([Number.NaN, Number.NaN, 2]);
    const plain = dailyBars([10, 11]);
    // All-NaN actions write nothing extra: the bytes are those of the plain series.
    expect(encodeBars(withActions(plain, () => {}))).toEqual(encodeBars(plain));
    expect(decodeBars(encodeBars(plain), "t").actions).toBeUndefined();
  });

  test("DuckDB reads the extra columns: nullable DOUBLEs after the OHLCV ones, null where nothing is recorded", async () => {
    const b = withActions(dailyBars([10, 11, 5.6]), (a) => {
      a.adjClose.set([9.5, 10.4, 5.5]);
      a.dividend[1] = 0.12;
      a.split[2] = 2;
    });
    const f = join(dir, "actions.parquet");
    writeFileSync(f, encodeBars(b));
    const schema = await rows(`DESCRIBE SELECT * FROM read_parquet('${f}')`);
    expect(schema.map((r) => [r.column_name, r.column_type, r.null])).toEqual([
      ["timestamp", "TIMESTAMP WITH TIME ZONE", "YES"],
      ["open", "DOUBLE", "YES"],
      ["high", "DOUBLE", "YES"],
      ["low", "DOUBLE", "YES"],
      ["close", "DOUBLE", "YES"],
      ["volume", "DOUBLE", "YES"],
      ["adj_close", "DOUBLE", "YES"],
      ["dividend", "DOUBLE", "YES"],
      ["split_factor", "DOUBLE", "YES"],
    ]);
    const got = await rows(`SELECT epoch_ms(timestamp) AS ms, adj_close, dividend, split_factor FROM read_parquet('${f}') ORDER BY timestamp`);
    expect(got.map((r) => [r.adj_close, r.dividend, r.split_factor])).toEqual([
      [9.5, null, null],
      [10.4, 0.12, null],
      [5.5, null, 2],
    ]);
    const splits = await rows(`SELECT count(*) AS n FROM read_parquet('${f}') WHERE split_factor IS NOT NULL`);
    expect(Number(splits[0]!.n)).toBe(1);
  });
});

const NOW = Date.UTC(2024, 0, 12, 12);
const ctxFor = (lake: string, price?: "raw" | "adjusted"): RunContext => ({
  config: {},
  store: new Lakehouse(lake),
  now: new Date(NOW),
  log: silentLogger,
  progress: silentProgress,
  waitLockMs: 0,
  runId: "t",
  ...(price ? { price } : {}),
});
const SYM = parseSymbol("BINANCE:ACME");
const catalogOf = (lake: string) => JSON.parse(readFileSync(join(lake, "catalog.json"), "utf8")).entries as Record<string, unknown>[];

/** A CSV as pandas writes yfinance's history(auto_adjust=False): Adj Close, Dividends, Stock Splits. */
function yfCsv(days: number, opts: { empty?: number; from?: number } = {}): string {
  const lines = ["Date,Open,High,Low,Close,Adj Close,Volume,Dividends,Stock Splits"];
  for (let d = opts.from ?? 1; d <= days; d++) {
    const date = `2024-01-${String(d).padStart(2, "0")}`;
    if (d === opts.empty) {
      lines.push(`${date} 00:00:00+00:00,,,,,,,0.0,0.0`);
      continue;
    }
    const c = 100 + d;
    lines.push([`${date} 00:00:00+00:00`, c - 1, c + 2, c - 2, c, c * 0.9, 1000 + d, d === 5 ? 0.5 : 0, 0].join(","));
  }
  return `${lines.join("\n")}\n`;
}

describe("ingest with corporate actions", () => {
  test("--price raw (the default) stores the close and the adjusted close beside it; the catalog records raw", async () => {
    const lake = join(dir, "raw");
    const src = join(dir, "src-raw");
    tempAt(src, "BINANCE_ACME_1d.csv", yfCsv(10));
    const step = await runIngest(ctxFor(lake), { vendor: fileVendor({ config: {}, log: silentLogger, env: {}, source: src }), symbols: [SYM], interval: "1d" });
    expect(step.counts.written).toBe(1);
    expect(step.symbols[0]).toMatchObject({ price: "raw", outcome: "written" });
    expect(catalogOf(lake)[0]).toMatchObject({ symbol: "BINANCE:ACME", price: "raw" });
    const b = decodeBars(readFileSync(join(lake, "BINANCE_ACME_1d.parquet")), "t");
    expect(b.close[0]).toBe(101);
    expect(b.actions!.adjClose[0]).toBeCloseTo(90.9, 10);
    expect(b.actions!.dividend[4]).toBe(0.5);
  });

  test("--price adjusted stores the adjusted close with O/H/L scaled alike; recorded; a raw run on it is refused, nothing changed", async () => {
    const lake = join(dir, "adj");
    const src = join(dir, "src-adj");
    tempAt(src, "BINANCE_ACME_1d.csv", yfCsv(10));
    const vendor = fileVendor({ config: {}, log: silentLogger, env: {}, source: src });
    await runIngest(ctxFor(lake, "adjusted"), { vendor, symbols: [SYM], interval: "1d" });
    expect(catalogOf(lake)[0]).toMatchObject({ price: "adjusted" });
    const file = join(lake, "BINANCE_ACME_1d.parquet");
    const b = decodeBars(readFileSync(file), "t");
    expect(b.close[0]).toBeCloseTo(90.9, 10);
    expect(b.open[0]).toBeCloseTo(100 * 0.9, 10);
    expect(b.high[0]).toBeCloseTo(103 * 0.9, 10);
    const before = readFileSync(file);
    const refused = await runIngest(ctxFor(lake, "raw"), { vendor, symbols: [SYM], interval: "1d", refresh: true });
    expect(refused.counts.failed).toBe(1);
    expect(refused.errors![0]!.message).toContain("BINANCE:ACME 1d: stored with adjusted prices, this run asks for raw (--price)");
    expect(refused.errors![0]!.message).toContain("pass --price adjusted");
    expect(readFileSync(file)).toEqual(before);
    expect(catalogOf(lake)[0]).toMatchObject({ price: "adjusted" });
  });

  test("an old six-column file (no price in its entry) is read, audited and rewritten with the new columns; raw is assumed", async () => {
    const lake = join(dir, "old");
    const src = join(dir, "src-old");
    // First ingest a file without corporate-action columns, as earlier versions stored every series.
    tempAt(src, "BINANCE_ACME_1d.csv", "timestamp,open,high,low,close,volume\n2024-01-01,100,103,99,101,1001\n2024-01-02,101,104,100,102,1002\n");
    const vendor = fileVendor({ config: {}, log: silentLogger, env: {}, source: src });
    await runIngest(ctxFor(lake), { vendor, symbols: [SYM], interval: "1d" });
    // Strip the new catalog field, as a catalog written before --price existed has none.
    const cat = JSON.parse(readFileSync(join(lake, "catalog.json"), "utf8"));
    delete cat.entries[0].price;
    writeFileSync(join(lake, "catalog.json"), JSON.stringify(cat));
    const file = join(lake, "BINANCE_ACME_1d.parquet");
    expect((await rows(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).length).toBe(6);
    const audit = await runAudit(ctxFor(lake), {});
    expect(audit.errors ?? []).toEqual([]);
    expect(audit.symbols[0]).toMatchObject({ symbol: "BINANCE:ACME", rows: 2 });
    // Then the vendor's file gains the columns: the merged series is rewritten with them, old bars null there.
    tempAt(src, "BINANCE_ACME_1d.csv", yfCsv(10, { from: 2 }));
    const step = await runIngest(ctxFor(lake), { vendor: fileVendor({ config: {}, log: silentLogger, env: {}, source: src }), symbols: [SYM], interval: "1d" });
    expect(step.errors).toEqual([]);
    expect(step.counts.written).toBe(1);
    const got = await rows(`SELECT epoch_ms(timestamp) AS ms, close, adj_close, dividend FROM read_parquet('${file}') ORDER BY timestamp`);
    expect(got.length).toBe(10);
    expect(got[0]).toMatchObject({ close: 101, adj_close: null });
    expect(got[1]!.adj_close as number).toBeCloseTo(91.8, 10);
    expect(got[4]).toMatchObject({ dividend: 0.5 });
    expect(catalogOf(lake)[0]).toMatchObject({ price: "raw" });
  });

  test("an all-empty vendor row is dropped and reported as empty_rows in the ingest findings; the rest is committed", async () => {
    const lake = join(dir, "empty");
    const src = join(dir, "src-empty");
    tempAt(src, "BINANCE_ACME_1d.csv", yfCsv(10, { empty: 5 }));
    const step = await runIngest(ctxFor(lake), { vendor: fileVendor({ config: {}, log: silentLogger, env: {}, source: src }), symbols: [SYM], interval: "1d" });
    expect(step.errors).toEqual([]);
    expect(step.counts.written).toBe(1);
    const f = step.findings.find((x) => x.code === "empty_rows")!;
    expect(f).toMatchObject({ severity: "warning", symbol: "BINANCE:ACME", interval: "1d", metrics: { rows: 1 } });
    expect(f.details).toEqual({ file: join(src, "BINANCE_ACME_1d.csv"), lines: [6] });
    expect(f.message).toContain("1 row with every OHLCV cell empty dropped (line 6)");
    expect(step.symbols[0]).toMatchObject({ rows: 9 });
    // The dropped date is a hole the gap check sees.
    expect(step.findings.some((x) => x.code === "gap")).toBe(true);
  });
});

function tempAt(folder: string, name: string, body: string): void {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, name), body);
}
