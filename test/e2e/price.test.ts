// --price raw|adjusted through the binary: which close is stored, what the catalog records, and the refusals.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { assertSummary, dqctl, tempDir } from "../helpers/cli.ts";

const { dir, cleanup } = tempDir("dqctl-price-");
let con: DuckDBConnection;
beforeAll(async () => {
  con = await (await DuckDBInstance.create(":memory:")).connect();
});
afterAll(() => cleanup());
const rows = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjects();

/** A week of NYSE:ACME as pandas writes yfinance's history(auto_adjust=False); 2026-11-23 only when `withMonday`. */
function acmeCsv(withMonday = false): string {
  const lines = [
    "Date,Open,High,Low,Close,Adj Close,Volume,Dividends,Stock Splits",
    "2026-11-16 00:00:00-05:00,100,103,99,101,90.9,1000,0.0,0.0",
    "2026-11-17 00:00:00-05:00,101,104,100,102,91.8,1100,0.0,0.0",
    "2026-11-18 00:00:00-05:00,102,105,101,103,92.7,1200,0.0,0.0",
    "2026-11-19 00:00:00-05:00,103,106,102,104,103.48,1300,0.52,0.0",
    "2026-11-20 00:00:00-05:00,104,107,103,105,105,1400,0.0,0.0",
  ];
  if (withMonday) lines.push("2026-11-23 00:00:00-05:00,105,108,104,106,106,1500,0.0,0.0");
  return `${lines.join("\n")}\n`;
}
const RAW_CLOSE = [101, 102, 103, 104, 105];
const ADJ_CLOSE = [90.9, 91.8, 92.7, 103.48, 105];

const source = join(dir, "src");
const lh = join(dir, "lakehouse");
const file = join(lh, "NYSE_ACME_1d.parquet");
const ingest = (now: string, ...more: string[]) => dqctl(["ingest", "--source", source, "--symbols", "NYSE:ACME", "--lakehouse", lh, "--now", now, ...more]);
const catalog = () => JSON.parse(readFileSync(join(lh, "catalog.json"), "utf8")).entries;

describe("--price", () => {
  test("adjusted: the stored closes are the vendor's Adj Close, O/H/L scaled alike; the catalog and summary say adjusted", async () => {
    mkdirSync(source, { recursive: true });
    writeFileSync(join(source, "NYSE_ACME_1d.csv"), acmeCsv());
    const r = await ingest("2026-11-21T06:00:00Z", "--price", "adjusted", "--json");
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    expect(doc.counts).toMatchObject({ written: 1, failed: 0 });
    expect(doc.symbols[0]).toMatchObject({ symbol: "NYSE:ACME", price: "adjusted", outcome: "written", rows: 5 });
    expect(catalog()).toMatchObject([{ symbol: "NYSE:ACME", interval: "1d", price: "adjusted" }]);
    const got = await rows(`SELECT open, high, low, close, adj_close, dividend FROM read_parquet('${file}') ORDER BY timestamp`);
    expect(got).toHaveLength(5);
    for (const [i, row] of got.entries()) {
      const k = ADJ_CLOSE[i]! / RAW_CLOSE[i]!;
      // The close is the adjusted close (c × adj ÷ c: equal to within a rounding of the last bit), never the raw one.
      expect(row.close as number).toBeCloseTo(ADJ_CLOSE[i]!, 12);
      expect(row.adj_close).toBe(ADJ_CLOSE[i]!);
      expect(row.open as number).toBeCloseTo((RAW_CLOSE[i]! - 1) * k, 12);
      expect(row.high as number).toBeCloseTo((RAW_CLOSE[i]! + 2) * k, 12);
      expect(row.low as number).toBeCloseTo((RAW_CLOSE[i]! - 2) * k, 12);
    }
    expect(got[0]!.close).not.toBe(RAW_CLOSE[0]);
    expect(got.map((x) => x.dividend)).toEqual([null, null, null, 0.52, null]);
  });

  test("a later run asking for raw prices on the adjusted series is refused: exit 3, one line naming both, nothing changed", async () => {
    // Monday's bar arrives, so the series is stale and would be merged.
    writeFileSync(join(source, "NYSE_ACME_1d.csv"), acmeCsv(true));
    const before = readFileSync(file);
    for (const flags of [["--price", "raw"], []]) {
      const r = await ingest("2026-11-24T06:00:00Z", ...flags, "--quiet");
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split("\n")).toEqual([
        `dqctl: NYSE:ACME 1d: stored with adjusted prices, this run asks for raw (--price): mixing them in one series is refused; nothing was changed — pass --price adjusted (or set "price": "adjusted" in the config), or delete NYSE_ACME_1d.parquet to ingest it again with raw prices`,
      ]);
    }
    expect(readFileSync(file)).toEqual(before);
    expect(catalog()).toMatchObject([{ price: "adjusted", rows: 5, end: "2026-11-20T00:00:00.000Z" }]);
    // The same basis takes the new bar.
    const ok = await ingest("2026-11-24T06:00:00Z", "--price", "adjusted", "--json");
    expect(ok.code).toBe(0);
    expect(assertSummary(ok.json()).counts).toMatchObject({ written: 1, failed: 0 });
    expect(catalog()).toMatchObject([{ price: "adjusted", rows: 6, end: "2026-11-23T00:00:00.000Z" }]);
  });

  test("a fresh series asked for the other basis is refused too, by ingest and by repair, not skipped in silence", async () => {
    // Monday's bar is stored and Tuesday's session has not closed: nothing to fetch, no gap to fill.
    const before = readFileSync(file);
    const refusal = `dqctl: NYSE:ACME 1d: stored with adjusted prices, this run asks for raw (--price): mixing them in one series is refused; nothing was changed — pass --price adjusted (or set "price": "adjusted" in the config), or delete NYSE_ACME_1d.parquet to ingest it again with raw prices`;
    const repair = (...more: string[]) =>
      dqctl(["repair", "--source", source, "--symbols", "NYSE:ACME", "--lakehouse", lh, "--now", "2026-11-24T06:00:00Z", ...more]);
    for (const run of [
      () => ingest("2026-11-24T06:00:00Z", "--price", "raw", "--quiet"),
      () => repair("--price", "raw", "--quiet"),
      () => repair("--dry-run", "--quiet"),
    ]) {
      const r = await run();
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split("\n")).toEqual([refusal]);
    }
    expect(readFileSync(file)).toEqual(before);
    const ok = await ingest("2026-11-24T06:00:00Z", "--price", "adjusted", "--json");
    expect(ok.code).toBe(0);
    expect(assertSummary(ok.json()).counts).toMatchObject({ fresh: 1, failed: 0 });
    const fine = await repair("--price", "adjusted", "--json");
    expect(fine.code).toBe(0);
    expect(assertSummary(fine.json()).counts).toMatchObject({ failed: 0 });
  });

  test("--price bogus is exit 3 before any work, one line naming the flag and the choices", async () => {
    const fresh = join(dir, "untouched");
    const r = await dqctl(["ingest", "--source", source, "--symbols", "NYSE:ACME", "--price", "bogus", "--lakehouse", fresh, "--quiet"]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n")).toEqual([
      `dqctl: --price: "bogus" is not raw or adjusted — use --price raw (the vendor's close) or --price adjusted (its adjusted close)`,
    ]);
    expect(r.stdout).toBe("");
    expect(existsSync(fresh)).toBe(false);
    const json = await dqctl(["ingest", "--source", source, "--symbols", "NYSE:ACME", "--price=bogus", "--lakehouse", fresh, "--json"]);
    expect(json.code).toBe(3);
    expect(assertSummary(json.json())).toMatchObject({ status: "error", exitCode: 3, errors: [{ message: expect.stringContaining('--price: "bogus"') }] });
  });
});
