import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../../src/context.ts";
import { InputError } from "../../../src/errors.ts";
import { encodeBars, initParquet } from "../../../src/lakehouse/parquet.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import { parseCsv } from "../../../src/vendors/file/csv.ts";
import { fileVendor } from "../../../src/vendors/file/index.ts";
import { parseTimestamp } from "../../../src/vendors/file/timestamps.ts";
import { dailyBars } from "../../helpers/bars-data.ts";
import { tempDir } from "../../helpers/cli.ts";

const req = (id: string, interval: "1d" | "1h" = "1d") => ({ symbol: parseSymbol(id), profile: "crypto" as const, interval });

describe("timestamp detection", () => {
  test.each([
    ["2024-03-01", Date.UTC(2024, 2, 1)],
    ["2024-03-01T10:30:00Z", Date.UTC(2024, 2, 1, 10, 30)],
    ["2024-03-01 10:30", Date.UTC(2024, 2, 1, 10, 30)],
    ["2024-03-01T10:30:00.250+02:00", Date.UTC(2024, 2, 1, 8, 30, 0, 250)],
    ["1709251200", Date.UTC(2024, 2, 1)],
    ["1709251200000", Date.UTC(2024, 2, 1)],
    ["1709251200000000", Date.UTC(2024, 2, 1)],
    [1709251200, Date.UTC(2024, 2, 1)],
  ] as const)("%p", (raw, ms) => {
    expect(parseTimestamp(raw)).toBe(ms);
  });
  test.each(["yesterday", "2024-02-30", "2024-13-01", ""])("%p is not a timestamp", (raw) => {
    expect(typeof parseTimestamp(raw)).toBe("object");
  });
});

describe("csv", () => {
  test("quotes, CRLF and blank lines", () => {
    const fail = (l: number, m: string): never => {
      throw new Error(`${l}:${m}`);
    };
    expect(parseCsv('a,b\r\n"x,1","y""z"\r\n\r\n3,4', fail).map((r) => [r.line, r.fields])).toEqual([
      [1, ["a", "b"]],
      [2, ["x,1", 'y"z']],
      [4, ["3", "4"]],
    ]);
    expect(() => parseCsv('a\n"open', fail)).toThrow("2:unterminated");
  });
});

describe("file vendor", () => {
  test("reads a folder of CSV, JSON Lines and Parquet files with case-insensitive columns", async () => {
    await initParquet();
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, "BINANCE_BTCUSDT_1d.csv"), "Date,OPEN,High,low,Close,Volume\n2024-01-02,2,3,1,2.5,20\n2024-01-01,1,2,0.5,1.5,10\n");
      writeFileSync(join(dir, "BINANCE_ETHUSDT_1d.jsonl"), '{"datetime":1704067200,"open":1,"high":2,"low":0.5,"close":1.5,"volume":10}\n\n');
      writeFileSync(join(dir, "BINANCE_SOLUSDT_1d.parquet"), encodeBars(dailyBars([5, 6])));
      const v = fileVendor({ config: {}, log: silentLogger, env: {}, source: dir });
      const btc = await v.fetch(req("BINANCE:BTCUSDT"));
      expect(Array.from(btc.bars.close)).toEqual([2.5, 1.5]); // file order: ingest reports unsorted rows, then sorts
      expect((await v.fetch(req("BINANCE:ETHUSDT"))).bars.timestamp[0]).toBe(Date.UTC(2024, 0, 1));
      expect(Array.from((await v.fetch(req("BINANCE:SOLUSDT"))).bars.close)).toEqual([5, 6]);
      await expect(v.fetch(req("BINANCE:NOPE"))).rejects.toThrow("no file for BINANCE:NOPE 1d"); // named in test/unit/vendors/file-advice.test.ts
    } finally {
      cleanup();
    }
  });

  test("one file with a symbol column, vendor tickers such as EURUSD=X", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const f = join(dir, "all.csv");
      writeFileSync(
        f,
        "symbol,timestamp,open,high,low,close,volume\nEURUSD=X,2024-01-01,1,1,1,1.1,0\nNASDAQ:AAPL,2024-01-01,1,2,1,1.5,9\nEURUSD=X,2024-01-02,1,1,1,1.2,0\n",
      );
      const v = fileVendor({ config: {}, log: silentLogger, env: {}, source: f });
      expect(Array.from((await v.fetch({ ...req("FX:EURUSD"), profile: "forex" })).bars.close)).toEqual([1.1, 1.2]);
      expect(Array.from((await v.fetch({ ...req("NASDAQ:AAPL"), profile: "equity" })).bars.close)).toEqual([1.5]);
    } finally {
      cleanup();
    }
  });

  test("a malformed row is an InputError naming file, line and column", async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, "BINANCE_BTCUSDT_1d.csv"), "timestamp,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,10\n2024-01-02,1,2,0.5,abc,10\n");
      writeFileSync(join(dir, "BINANCE_ETHUSDT_1d.csv"), "timestamp,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5\n");
      writeFileSync(join(dir, "BINANCE_XRPUSDT_1d.csv"), "timestamp,open,high,low,close,volume\nsoon,1,2,0.5,1.5,1\n");
      writeFileSync(join(dir, "BINANCE_ADAUSDT_1d.csv"), "when,open,high,low,close\n2024-01-01,1,2,0.5,1.5\n");
      const v = fileVendor({ config: {}, log: silentLogger, env: {}, source: dir });
      const e1 = await v.fetch(req("BINANCE:BTCUSDT")).catch((e) => e);
      expect(e1).toBeInstanceOf(InputError);
      expect(e1.message).toContain('BINANCE_BTCUSDT_1d.csv:3:20: column close: "abc" is not a number');
      expect((await v.fetch(req("BINANCE:ETHUSDT")).catch((e) => e)).message).toMatch(/BINANCE_ETHUSDT_1d\.csv:2: expected 6 fields, found 5/);
      expect((await v.fetch(req("BINANCE:XRPUSDT")).catch((e) => e)).message).toMatch(/:2:1: column timestamp: "soon" is not a timestamp/);
      expect((await v.fetch(req("BINANCE:ADAUSDT")).catch((e) => e)).message).toMatch(/no timestamp column/);
    } finally {
      cleanup();
    }
  });

  test("a missing source path is an InputError", () => {
    expect(() => fileVendor({ config: {}, log: silentLogger, env: {}, source: "/nonexistent/x" })).toThrow(/source not found/);
  });
});
