import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { parseSymbolList } from "../../../src/model/symbol.ts";
import { runSnapshot } from "../../../src/pipeline/snapshot.ts";
import { tempDir } from "../../helpers/cli.ts";
import { buildLakehouse, contextFor, PAIR_NOW, pair, without } from "./fixture.ts";

// An independent reader: DuckDB opens the copied files and the matrix as they are.
const { dir, cleanup } = tempDir("dqctl-snap-duck-");
const run = join(dir, "runs/r1");
const p = pair();
const btc = p["BINANCE:BTCUSDT"]!;
p["NASDAQ:AAPL"] = without(p["NASDAQ:AAPL"]!, [Date.parse("2024-03-13")]);
const aapl = p["NASDAQ:AAPL"]!;
let con: DuckDBConnection;

beforeAll(async () => {
  await buildLakehouse(join(dir, "lake"), p);
  await runSnapshot(contextFor(join(dir, "lake"), PAIR_NOW), { symbols: parseSymbolList("NASDAQ:AAPL,BINANCE:BTCUSDT"), runId: "r1", out: join(dir, "runs") });
  con = await (await DuckDBInstance.create(":memory:")).connect();
});
afterAll(() => cleanup());

const rows = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjects();

describe("snapshot files in DuckDB", () => {
  test("the matrix has timestamp TIMESTAMP WITH TIME ZONE and one DOUBLE column per symbol", async () => {
    const m = join(run, "returns_matrix.parquet");
    const schema = await rows(`DESCRIBE SELECT * FROM read_parquet('${m}')`);
    expect(schema.map((r) => [r.column_name, r.column_type, r.null])).toEqual([
      ["timestamp", "TIMESTAMP WITH TIME ZONE", "YES"],
      ["BINANCE:BTCUSDT", "DOUBLE", "YES"],
      ["NASDAQ:AAPL", "DOUBLE", "YES"],
    ]);
    const meta = await rows(`SELECT DISTINCT compression FROM parquet_metadata('${m}')`);
    expect(meta.map((r) => r.compression)).toEqual(["SNAPPY"]);
  });

  test("matrix values: weekend equity cells null, crypto weekend real returns, the hole 0.0, first rows null", async () => {
    const m = join(run, "returns_matrix.parquet");
    const got = await rows(`SELECT epoch_ms(timestamp) AS ms, "BINANCE:BTCUSDT" AS btc, "NASDAQ:AAPL" AS aapl FROM read_parquet('${m}') ORDER BY timestamp`);
    expect(got.length).toBe(25);
    expect(got[0]).toMatchObject({ btc: null, aapl: null });
    const at = (iso: string) => got.find((r) => Number(r.ms) === Date.parse(iso))!;
    const sat = at("2024-03-09");
    expect(sat.aapl).toBeNull();
    expect(sat.btc as number).toBeCloseTo(btc.close[5]! / btc.close[4]! - 1, 12);
    expect(at("2024-03-13").aapl).toBe(0);
    const weekdays = got.filter((r) => ![0, 6].includes(new Date(Number(r.ms)).getUTCDay()));
    expect(weekdays.slice(1).every((r) => r.aapl !== null && r.btc !== null)).toBe(true);
    const nulls = await rows(`SELECT count(*) - count("NASDAQ:AAPL") AS n FROM read_parquet('${m}')`);
    expect(Number(nulls[0]!.n)).toBe(7); // the first session and three weekends
  });

  test("the copied series read back with the lakehouse schema and the manifest's rows and range", async () => {
    const manifest = JSON.parse(readFileSync(join(run, "manifest.json"), "utf8"));
    for (const f of manifest.files.filter((x: { kind: string }) => x.kind === "series")) {
      const path = join(run, f.path);
      const schema = await rows(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
      expect(schema.map((r) => [r.column_name, r.column_type])).toEqual([
        ["timestamp", "TIMESTAMP WITH TIME ZONE"],
        ["open", "DOUBLE"],
        ["high", "DOUBLE"],
        ["low", "DOUBLE"],
        ["close", "DOUBLE"],
        ["volume", "DOUBLE"],
      ]);
      const agg = await rows(`SELECT count(*) AS n, epoch_ms(min(timestamp)) AS lo, epoch_ms(max(timestamp)) AS hi FROM read_parquet('${path}')`);
      expect(Number(agg[0]!.n)).toBe(f.rows);
      expect(new Date(Number(agg[0]!.lo)).toISOString()).toBe(f.first);
      expect(new Date(Number(agg[0]!.hi)).toISOString()).toBe(f.last);
    }
    const closes = await rows(`SELECT close FROM read_parquet('${join(run, "data/NASDAQ_AAPL_1d.parquet")}') ORDER BY timestamp`);
    expect(closes.map((r) => r.close)).toEqual(Array.from(aapl.close));
  });
});
