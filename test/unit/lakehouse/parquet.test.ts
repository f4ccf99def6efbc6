import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { InputError } from "../../../src/errors.ts";
import { decodeBars, encodeBars, initParquet } from "../../../src/lakehouse/parquet.ts";
import { allocBars, barsEqual } from "../../../src/model/bars.ts";
import { dailyBars } from "../../helpers/bars-data.ts";
import { tempDir } from "../../helpers/cli.ts";

await initParquet();

describe("lakehouse parquet", () => {
  test("round-trips bars exactly, including NaN and extreme values", () => {
    const b = dailyBars([1, 2.5, 1e-9, 123456789.123456]);
    b.volume[1] = Number.NaN;
    b.close[2] = Number.MAX_VALUE;
    const back = decodeBars(encodeBars(b), "t");
    expect(barsEqual(b, back)).toBe(true);
  });

  test("encoding is deterministic (same bars → same bytes)", () => {
    const b = dailyBars([10, 11, 12]);
    expect(Buffer.from(encodeBars(b)).equals(Buffer.from(encodeBars(dailyBars([10, 11, 12]))))).toBe(true);
  });

  test("an empty series round-trips", () => {
    expect(decodeBars(encodeBars(allocBars(0)), "t").timestamp.length).toBe(0);
  });

  test("truncated file and random bytes are InputErrors naming the file and size", () => {
    const bytes = encodeBars(dailyBars([1, 2, 3]));
    expect(() => decodeBars(bytes.subarray(0, 40), "X 1d: f.parquet")).toThrow(InputError);
    expect(() => decodeBars(bytes.subarray(0, 40), "X 1d: f.parquet")).toThrow(/f\.parquet.*40 bytes/);
    const junk = new Uint8Array(500).map((_, i) => (i * 7919) % 251);
    expect(() => decodeBars(junk, "junk.parquet")).toThrow(/junk\.parquet: not a Parquet file/);
    const fakeMagic = new Uint8Array(64);
    fakeMagic.set([0x50, 0x41, 0x52, 0x31], 0);
    fakeMagic.set([0x50, 0x41, 0x52, 0x31], 60);
    expect(() => decodeBars(fakeMagic, "fake.parquet")).toThrow(/fake\.parquet: parquet unreadable/);
  });

  test("DuckDB reads the file unchanged: schema, rows and values", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const b = dailyBars([100, 101.5, 99.25, 102]);
      const path = join(dir, "BINANCE_BTCUSDT_1d.parquet");
      writeFileSync(path, encodeBars(b));
      const db = await DuckDBInstance.create(":memory:");
      const con = await db.connect();
      const schema = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`)).getRowObjects();
      expect(schema.map((r) => [r.column_name, r.column_type])).toEqual([
        ["timestamp", "TIMESTAMP WITH TIME ZONE"],
        ["open", "DOUBLE"],
        ["high", "DOUBLE"],
        ["low", "DOUBLE"],
        ["close", "DOUBLE"],
        ["volume", "DOUBLE"],
      ]);
      const rows = (await con.runAndReadAll(`SELECT epoch_ms(timestamp) AS ms, close FROM read_parquet('${path}') ORDER BY timestamp`)).getRowObjects();
      expect(rows.map((r) => Number(r.ms))).toEqual(Array.from(b.timestamp));
      expect(rows.map((r) => r.close)).toEqual(Array.from(b.close));
      const meta = (await con.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${path}')`)).getRowObjects();
      expect(meta.map((r) => r.compression)).toEqual(["SNAPPY"]);
      const ts = (await con.runAndReadAll(`SELECT logical_type FROM parquet_schema('${path}') WHERE name = 'timestamp'`)).getRowObjects();
      expect(String(ts[0]!.logical_type)).toContain("isAdjustedToUTC=1");
      expect(String(ts[0]!.logical_type)).toContain("MILLIS");
      expect(readFileSync(path).subarray(0, 4).toString()).toBe("PAR1");
    } finally {
      cleanup();
    }
  });
});
