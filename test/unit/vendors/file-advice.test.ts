// File-vendor advice: a missing bar file names what was looked for and what is there; CSV separators are detected.
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../../src/context.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import { detectDelimiter, parseCsv } from "../../../src/vendors/file/csv.ts";
import { fileVendor } from "../../../src/vendors/file/index.ts";
import { tempDir } from "../../helpers/cli.ts";

const req = (id: string, interval = "1d" as const) => ({ symbol: parseSymbol(id), profile: "crypto" as const, interval });
const never = (): never => {
  throw new Error("unexpected");
};

describe("CSV separators", () => {
  test("judged from the header, outside quotes; comma on a tie", () => {
    expect(detectDelimiter("timestamp,open,close\n1;2;3\n")).toBe(",");
    expect(detectDelimiter("timestamp;open;close\n2024-01-01;1,5;2\n")).toBe(";");
    expect(detectDelimiter("timestamp\topen\tclose\n")).toBe("\t");
    expect(detectDelimiter('"a;b;c",d\n')).toBe(",");
    expect(detectDelimiter("close\n")).toBe(",");
    expect(parseCsv('a;"b;c"\n1;2\n', never, ";").map((r) => r.fields)).toEqual([
      ["a", "b;c"],
      ["1", "2"],
    ]);
  });
});

describe("a missing bar file", () => {
  test("names the file names looked for, the nearest one and what the folder holds", async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, "BINANCE_BTCUSDT_1h.csv"), "timestamp,close\n2024-01-01T00:00:00Z,1\n");
      writeFileSync(join(dir, "notes.txt"), "not a bar file");
      const v = fileVendor({ config: {}, log: silentLogger, env: {}, source: dir });
      await expect(v.fetch(req("BINANCE:BTCUSDT"))).rejects.toThrow(
        `${dir}: no file for BINANCE:BTCUSDT 1d: looked for BINANCE_BTCUSDT_1d.csv, BINANCE_BTCUSDT_1d.parquet, BINANCE_BTCUSDT_1d.jsonl, BINANCE_BTCUSDT_1d.ndjson (did you mean BINANCE_BTCUSDT_1h.csv?); the folder holds BINANCE_BTCUSDT_1h.csv`,
      );
      await expect(v.fetch(req("KRAKEN:ADAUSD"))).rejects.toThrow(/looked for KRAKEN_ADAUSD_1d\.csv, .*; the folder holds BINANCE_BTCUSDT_1h\.csv$/);
    } finally {
      cleanup();
    }
    const empty = tempDir();
    try {
      const v = fileVendor({ config: {}, log: silentLogger, env: {}, source: empty.dir });
      await expect(v.fetch(req("BINANCE:BTCUSDT"))).rejects.toThrow("the folder holds no .csv, .parquet, .jsonl or .ndjson files");
    } finally {
      empty.cleanup();
    }
  });
});
