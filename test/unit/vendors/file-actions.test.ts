/** File vendor: corporate-action columns (Adj Close, Dividends, Stock Splits) in CSV, JSON Lines and Parquet; vendor NaN rows. */
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import * as pq from "parquet-wasm/esm";
import { silentLogger } from "../../../src/context.ts";
import { InputError } from "../../../src/errors.ts";
import { initParquet } from "../../../src/lakehouse/parquet.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import { fileVendor } from "../../../src/vendors/file/index.ts";
import { tempDir } from "../../helpers/cli.ts";

const { dir, cleanup } = tempDir("dqctl-file-actions-");
afterAll(() => cleanup());
const vendor = () => fileVendor({ config: {}, log: silentLogger, env: {}, source: dir });
const req = (id: string, interval: "1d" | "1h" = "1h") => ({ symbol: parseSymbol(id), profile: "crypto" as const, interval });
const arr = (x: Float64Array | undefined) => (x ? Array.from(x) : undefined);
const D = (day: number) => Date.UTC(2024, 6, day);
const f64 = (xs: (number | null)[]) => arrow.vectorFromArray(xs, new arrow.Float64());

// pandas' DataFrame.to_csv of yfinance's history(auto_adjust=False): a NaN row keeps its Dividends and Stock Splits zeros.
const YF = `Date,Open,High,Low,Close,Adj Close,Volume,Dividends,Stock Splits
2024-07-03 00:00:00+00:00,100.0,101.0,99.0,100.5,98.0,1000,0.0,0.0
2024-07-04 00:00:00+00:00,100.5,102.0,100.0,101.0,98.5,1100,0.25,0.0
2024-07-05 00:00:00+00:00,,,,,,,0.0,0.0
2024-07-06 00:00:00+00:00,20.2,20.6,20.0,20.4,19.9,5600,0.0,5.0
`;

describe("corporate-action columns", () => {
  test("CSV (pandas/yfinance spelling): adjusted close, dividend and split land beside the bars; 0 records nothing", async () => {
    writeFileSync(join(dir, "BINANCE_YFA_1h.csv"), YF);
    const res = await vendor().fetch(req("BINANCE:YFA"));
    const b = res.bars;
    expect(arr(b.timestamp)).toEqual([D(3), D(4), D(6)]);
    expect(arr(b.close)).toEqual([100.5, 101, 20.4]);
    expect(arr(b.actions?.adjClose)).toEqual([98, 98.5, 19.9]);
    expect(arr(b.actions?.dividend)).toEqual([Number.NaN, 0.25, Number.NaN]);
    expect(arr(b.actions?.split)).toEqual([Number.NaN, Number.NaN, 5]);
  });

  test("JSON Lines with snake_case names (adj_close, dividends, stock_splits)", async () => {
    const rows = [
      { timestamp: "2024-07-03T00:00:00Z", open: 10, high: 11, low: 9, close: 10, adj_close: 9.5, volume: 5, dividends: 0, stock_splits: 0 },
      { timestamp: "2024-07-04T00:00:00Z", open: 5, high: 5.5, low: 4.8, close: 5.1, adj_close: 5.0, volume: 11, dividends: null, stock_splits: 2 },
    ];
    writeFileSync(join(dir, "BINANCE_JSA_1h.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n"));
    const b = (await vendor().fetch(req("BINANCE:JSA"))).bars;
    expect(arr(b.actions?.adjClose)).toEqual([9.5, 5]);
    expect(arr(b.actions?.split)).toEqual([Number.NaN, 2]);
    expect(arr(b.actions?.dividend)).toEqual([Number.NaN, Number.NaN]);
  });

  test("Parquet with nullable DOUBLE columns named as pandas writes them (Adj Close, Dividends, Stock Splits)", async () => {
    await initParquet();
    const table = new arrow.Table({
      Date: arrow.vectorFromArray([D(3), D(4)], new arrow.TimestampMillisecond("UTC")),
      Open: f64([10, 5]),
      High: f64([11, 5.5]),
      Low: f64([9, 4.8]),
      Close: f64([10, 5.1]),
      "Adj Close": f64([9.5, null]),
      Volume: f64([5, 11]),
      Dividends: f64([0.1, 0]),
      "Stock Splits": f64([0, 2]),
    });
    const bytes = pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, "stream")));
    writeFileSync(join(dir, "BINANCE_PQA_1h.parquet"), bytes);
    const b = (await vendor().fetch(req("BINANCE:PQA"))).bars;
    expect(arr(b.close)).toEqual([10, 5.1]);
    expect(arr(b.actions?.adjClose)).toEqual([9.5, Number.NaN]);
    expect(arr(b.actions?.dividend)).toEqual([0.1, Number.NaN]);
    expect(arr(b.actions?.split)).toEqual([Number.NaN, 2]);
  });

  test("a file without the columns yields bars without actions; one with only Adj Close takes it as the close", async () => {
    writeFileSync(join(dir, "BINANCE_PLAIN_1h.csv"), "timestamp,open,high,low,close,volume\n2024-07-03,1,2,0.5,1.5,10\n");
    writeFileSync(join(dir, "BINANCE_ADJONLY_1h.csv"), "date,adj close\n2024-07-03,7.5\n");
    expect((await vendor().fetch(req("BINANCE:PLAIN"))).bars.actions).toBeUndefined();
    const adj = (await vendor().fetch(req("BINANCE:ADJONLY"))).bars;
    expect(arr(adj.close)).toEqual([7.5]);
    expect(adj.actions).toBeUndefined();
  });

  test("text in a corporate-action column is an input error naming file, line and column", async () => {
    writeFileSync(join(dir, "BINANCE_BADDIV_1h.csv"), "timestamp,close,dividends\n2024-07-03,1.5,0\n2024-07-04,1.6,soon\n");
    const err = await vendor()
      .fetch(req("BINANCE:BADDIV"))
      .catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain('BINANCE_BADDIV_1h.csv:3:16: column dividends: "soon" is not a number');
  });
});

describe("vendor NaN rows", () => {
  test("a row with every OHLCV cell empty is dropped and listed by line (its Dividends/Stock Splits zeros do not count)", async () => {
    writeFileSync(join(dir, "BINANCE_YFB_1h.csv"), YF);
    const res = await vendor().fetch(req("BINANCE:YFB"));
    expect(res.bars.timestamp.length).toBe(3);
    expect(res.emptyRows).toEqual({ file: join(dir, "BINANCE_YFB_1h.csv"), lines: [4], unit: "line" });
  });

  test("the issue's own row: a +08:00 stamp and nine fields", async () => {
    const text =
      "Date,Open,High,Low,Close,Adj Close,Volume,Dividends,Stock Splits\n2024-07-04 00:00:00+08:00,1,1,1,1,1,10,0.0,0.0\n2024-07-05 00:00:00+08:00,,,,,,,0.0,0.0\n";
    writeFileSync(join(dir, "BINANCE_HK_1h.csv"), text);
    const res = await vendor().fetch(req("BINANCE:HK"));
    expect(res.bars.timestamp.length).toBe(1);
    expect(res.emptyRows?.lines).toEqual([3]);
  });

  test("JSON Lines nulls and Parquet nulls: the same rule, Parquet by row number", async () => {
    writeFileSync(
      join(dir, "BINANCE_JSB_1h.jsonl"),
      '{"timestamp":"2024-07-03","open":1,"high":1,"low":1,"close":1,"volume":1}\n{"timestamp":"2024-07-04","open":null,"high":null,"low":null,"close":null,"volume":null}\n',
    );
    const js = await vendor().fetch(req("BINANCE:JSB"));
    expect(js.bars.timestamp.length).toBe(1);
    expect(js.emptyRows).toMatchObject({ lines: [2], unit: "line" });
    await initParquet();
    const nul = f64;
    const table = new arrow.Table({
      timestamp: arrow.vectorFromArray([D(3), D(4), D(5)], new arrow.TimestampMillisecond("UTC")),
      open: nul([1, null, 2]),
      high: nul([1, null, 2]),
      low: nul([1, null, 2]),
      close: nul([1, null, null]),
      volume: nul([1, null, 3]),
    });
    writeFileSync(join(dir, "BINANCE_PQB_1h.parquet"), pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, "stream"))));
    const p = await vendor().fetch(req("BINANCE:PQB"));
    expect(arr(p.bars.timestamp)).toEqual([D(3), D(5)]);
    expect(arr(p.bars.close)).toEqual([1, Number.NaN]); // partly empty: kept, NaN (bad_value's)
    expect(p.emptyRows).toMatchObject({ lines: [2], unit: "row" });
  });

  test("a partly empty row is kept with NaN cells, the close included; only rows inside the request window are listed", async () => {
    writeFileSync(join(dir, "BINANCE_PART_1h.csv"), "timestamp,open,high,low,close,volume\n2024-07-01,,,,,\n2024-07-03,1,2,,,10\n2024-07-10,,,,,\n");
    const all = await vendor().fetch(req("BINANCE:PART"));
    expect(arr(all.bars.close)).toEqual([Number.NaN]);
    expect(arr(all.bars.open)).toEqual([1]);
    expect(all.emptyRows?.lines).toEqual([2, 4]);
    const late = await vendor().fetch({ ...req("BINANCE:PART"), fromMs: D(8) });
    expect(late.emptyRows?.lines).toEqual([4]);
  });

  test("structurally broken rows stay input errors: wrong field count, unparseable timestamp, text in a number column", async () => {
    writeFileSync(join(dir, "BINANCE_BRK1_1h.csv"), "timestamp,open,high,low,close,volume\n2024-07-01,,,,\n");
    writeFileSync(join(dir, "BINANCE_BRK2_1h.csv"), "timestamp,open,high,low,close,volume\nlater,,,,,\n");
    writeFileSync(join(dir, "BINANCE_BRK3_1h.csv"), "timestamp,open,high,low,close,volume\n2024-07-01,,,,n/a?,\n");
    const msg = async (id: string) =>
      (
        (await vendor()
          .fetch(req(id))
          .catch((e) => e)) as Error
      ).message;
    expect(await msg("BINANCE:BRK1")).toMatch(/:2: expected 6 fields, found 5/);
    expect(await msg("BINANCE:BRK2")).toMatch(/:2:1: column timestamp: "later" is not a timestamp/);
    expect(await msg("BINANCE:BRK3")).toMatch(/column close: "n\/a\?" is not a number/);
  });
});
