// The file vendor's input rules: exact, range-checked timestamps; only regular files, up to a size cap.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import type { Config } from "../../../src/config/schema.ts";
import { silentLogger } from "../../../src/context.ts";
import { InputError } from "../../../src/errors.ts";
import { encodeBars, initParquet } from "../../../src/lakehouse/parquet.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import { fieldPosition, parseCsv } from "../../../src/vendors/file/csv.ts";
import { fileVendor } from "../../../src/vendors/file/index.ts";
import { formatBytes } from "../../../src/vendors/file/read.ts";
import { parseTimestamp, type TimeIssue } from "../../../src/vendors/file/timestamps.ts";
import { dailyBars } from "../../helpers/bars-data.ts";
import { tempDir } from "../../helpers/cli.ts";

const req = (id: string, interval: "1d" | "1h" = "1d") => ({ symbol: parseSymbol(id), profile: "crypto" as const, interval });
const HEADER = "timestamp,open,high,low,close,volume\n";

function issue(raw: string | number | bigint): TimeIssue {
  const r = parseTimestamp(raw);
  if (typeof r === "number") throw new Error(`${String(raw)} parsed as ${new Date(r).toISOString()}`);
  return r;
}

describe("timestamps: exact fields, the 1900 … 2200 window", () => {
  test.each([
    ["1900-01-01", Date.UTC(1900, 0, 1)],
    ["1900-01-01T00:00:00.000Z", Date.UTC(1900, 0, 1)],
    ["2199-12-31T23:59:59.999Z", Date.UTC(2200, 0, 1) - 1],
    ["2024-02-29", Date.UTC(2024, 1, 29)],
    ["2000-02-29", Date.UTC(2000, 1, 29)],
    ["2024-03-01T23:59:59", Date.UTC(2024, 2, 1, 23, 59, 59)],
    ["2024-03-01t10:30z", Date.UTC(2024, 2, 1, 10, 30)],
    ["2024-03-01T10:30:00+05:30", Date.UTC(2024, 2, 1, 5, 0)],
    ["2024-03-01T10:30:00-0800", Date.UTC(2024, 2, 1, 18, 30)],
    ["2024-03-01 00:30 +01:00", Date.UTC(2024, 1, 29, 23, 30)],
    ["2024-03-01T10:30:00.123456789Z", Date.UTC(2024, 2, 1, 10, 30, 0, 123)],
    ["2024-03-01T10:30:00.9995Z", Date.UTC(2024, 2, 1, 10, 30, 1, 0)],
  ] as const)("%p is accepted exactly", (raw, ms) => {
    expect(parseTimestamp(raw)).toBe(ms);
  });

  test("year 0050 is year 50 (outside the window), never 1950", () => {
    expect(issue("0050-06-15").reason).toBe('"0050-06-15" is outside 1900-01-01 … 2200-01-01 UTC');
    expect(issue("0050-06-15T12:00:00Z").reason).toContain("outside 1900-01-01");
    expect(issue("0099-12-31").reason).toContain("outside");
  });

  test.each([
    ["1899-12-31", "outside 1900-01-01 … 2200-01-01 UTC"],
    ["1899-12-31T23:59:59.999Z", "outside"],
    ["1900-01-01T00:30+01:00", "outside"], // the offset takes it to 1899-12-31T23:30Z
    ["2200-01-01", "outside"],
    ["2199-12-31T23:30-01:00", "outside"],
    ["2024-13-01", "month 13 is not 01–12"],
    ["2024-00-10", "month 00 is not 01–12"],
    ["2024-01-32", "day 32 does not exist in January 2024 (31 days)"],
    ["2023-02-29", "day 29 does not exist in February 2023 (28 days)"],
    ["1900-02-29", "day 29 does not exist in February 1900 (28 days)"],
    ["2024-04-31", "day 31 does not exist in April 2024"],
    ["2024-03-01T24:00", "hour 24 is not 00–23"],
    ["2024-03-01T10:99", "minute 99 is not 00–59"],
    ["2024-03-01T10:60:00", "minute 60 is not 00–59"],
    ["2024-03-01T10:30:60", "second 60 is not 00–59"],
    ["2024-03-01T10:30+25:00", "offset +25:00 is not a UTC offset"],
    ["2024-03-01T10:30+05:60", "offset +05:60 is not a UTC offset"],
  ])("%p is refused: %s", (raw, why) => {
    expect(issue(raw).reason).toContain(why);
  });

  test("epoch units by magnitude (s, ms, µs, ns) stay as documented, exactly", () => {
    const t = Date.UTC(2024, 2, 1);
    expect(parseTimestamp(String(t / 1000))).toBe(t);
    expect(parseTimestamp(String(t))).toBe(t);
    expect(parseTimestamp(`${t}000`)).toBe(t);
    expect(parseTimestamp(`${t}000000`)).toBe(t);
    expect(parseTimestamp(`${t + 7}000001`)).toBe(t + 7); // 19 digits: beyond a double's precision, exact via BigInt
    expect(parseTimestamp(BigInt(t) * 1_000_000n)).toBe(t);
    expect(parseTimestamp(t / 1000)).toBe(t);
    expect(parseTimestamp("1709251200.5")).toBe(t + 500);
    expect(parseTimestamp("-2208988800")).toBe(Date.UTC(1900, 0, 1)); // negative seconds: 1900-01-01
    expect(parseTimestamp("100000000000")).toBe(1e11); // 1e11 and up: milliseconds (1973-03-03)
    expect(issue("99999999999").reason).toContain("read as epoch seconds is 5138-11-16"); // just under: seconds
  });

  test("huge integers and epoch values outside the window are refused with the unit read and a hint", () => {
    const huge = issue("9000000000000000000000");
    expect(huge.reason).toBe("9000000000000000000000 read as epoch nanoseconds is 9000000000000000 ms since 1970-01-01, outside 1900-01-01 … 2200-01-01 UTC");
    expect(huge.hint).toContain("below 1e11 seconds");
    expect(issue(9e21).reason).toContain("read as epoch nanoseconds");
    expect(issue("-3000000000").reason).toBe("-3000000000 read as epoch seconds is 1874-12-07T18:40:00.000Z, outside 1900-01-01 … 2200-01-01 UTC");
    expect(issue("7258118400").reason).toContain("2200-01-01T00:00:00.000Z, outside"); // 2200-01-01 in seconds
    expect(issue(Number.POSITIVE_INFINITY).reason).toContain("is not a timestamp");
    expect(issue("1.5e9").reason).toBe('"1.5e9" is not a timestamp');
  });
});

describe("file:line:column in errors", () => {
  test("fieldPosition finds a field's line and column, across quoted newlines", () => {
    const text = 'a,b,c\n"x\ny",2,3\n1,"q,q",zz\n';
    const fail = (l: number, m: string): never => {
      throw new Error(`${l}:${m}`);
    };
    const recs = parseCsv(text, fail);
    expect(fieldPosition(text, recs[1]!, 0)).toEqual({ line: 2, column: 1 });
    expect(fieldPosition(text, recs[1]!, 1)).toEqual({ line: 3, column: 4 });
    expect(fieldPosition(text, recs[2]!, 2)).toEqual({ line: 4, column: 9 });
  });

  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterAll(() => cleanup());
  const vendor = (config: Config = {}) => fileVendor({ config, log: silentLogger, env: {}, source: dir });
  const refusal = async (id: string) => {
    const err = await vendor()
      .fetch(req(id))
      .catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  };

  test("CSV: a huge epoch integer names file:line:column and the hint", async () => {
    writeFileSync(join(dir, "BINANCE_BTCUSDT_1d.csv"), `${HEADER}2024-01-01,1,2,0.5,1.5,10\n9000000000000000000000,1,2,0.5,1.5,10\n`);
    const err = await refusal("BINANCE:BTCUSDT");
    expect(err.message).toBe(
      `${join(dir, "BINANCE_BTCUSDT_1d.csv")}:3:1: column timestamp: 9000000000000000000000 read as epoch nanoseconds is 9000000000000000 ms since 1970-01-01, outside 1900-01-01 … 2200-01-01 UTC`,
    );
    expect(err.advice).toContain("epoch units follow the magnitude");
  });

  test("CSV: year 0050 in the second column position", async () => {
    writeFileSync(join(dir, "BINANCE_ETHUSDT_1d.csv"), "close,date\n1.5,2024-01-01\n1.6,0050-01-02\n");
    expect((await refusal("BINANCE:ETHUSDT")).message).toMatch(/BINANCE_ETHUSDT_1d\.csv:3:5: column date: "0050-01-02" is outside 1900-01-01/);
  });

  test("JSON Lines: minute 99 names the line and the value's column", async () => {
    writeFileSync(join(dir, "BINANCE_SOLUSDT_1h.jsonl"), '{"close": 1, "Timestamp": "2024-01-01T10:99:00Z"}\n');
    const err = await vendor()
      .fetch(req("BINANCE:SOLUSDT", "1h"))
      .catch((e) => e);
    expect(err.message).toMatch(/BINANCE_SOLUSDT_1h\.jsonl:1:27: column timestamp: "2024-01-01T10:99:00Z": minute 99 is not 00–59/);
  });

  test("Parquet: a TIMESTAMP beyond 2200 names the file and row, never Invalid Date", async () => {
    await initParquet();
    const b = dailyBars([1, 2, 3]);
    b.timestamp[1] = 1e17; // year ≈ 3.17 million: a Date cannot even hold it
    writeFileSync(join(dir, "BINANCE_XRPUSDT_1d.parquet"), encodeBars(b));
    const err = await refusal("BINANCE:XRPUSDT");
    expect(err.message).toMatch(
      /BINANCE_XRPUSDT_1d\.parquet row 2: column timestamp: timestamp 100000000000000000 ms since 1970-01-01 is outside 1900-01-01 … 2200-01-01 UTC/,
    );
  });
});

describe("only regular files are read", () => {
  let dir: string;
  let cleanup: () => void;
  let sock: Server;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    execFileSync("mkfifo", [join(dir, "BINANCE_FIFO_1d.csv")]);
    symlinkSync("/dev/zero", join(dir, "BINANCE_ZERO_1d.csv"));
    mkdirSync(join(dir, "BINANCE_DIR_1d.csv"));
    writeFileSync(join(dir, "real.csv"), `${HEADER}2024-01-01,1,2,0.5,1.5,10\n`);
    symlinkSync(join(dir, "real.csv"), join(dir, "BINANCE_LINK_1d.csv"));
    symlinkSync(join(dir, "gone.csv"), join(dir, "BINANCE_DANGLING_1d.csv"));
    writeFileSync(join(dir, "BINANCE_BIG_1d.csv"), `${HEADER}${"2024-01-01,1,2,0.5,1.5,10\n".repeat(100)}`);
    sock = createServer();
    await new Promise<void>((ok) => sock.listen(join(dir, "BINANCE_SOCK_1d.csv"), ok));
  });
  afterAll(() => {
    sock.close();
    cleanup();
  });
  const vendor = (config: Config = {}) => fileVendor({ config, log: silentLogger, env: {}, source: dir });
  const message = async (id: string, config: Config = {}) => {
    const err = await vendor(config)
      .fetch(req(id))
      .catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).oneLine();
  };

  test("a FIFO named like an input is refused without blocking", async () => {
    expect(await message("BINANCE:FIFO")).toMatch(/BINANCE_FIFO_1d\.csv: a FIFO \(named pipe\), not a regular file — point --source at regular files/);
  }, 3000);
  test("a symlink to /dev/zero is refused; a symlink to a regular file is read", async () => {
    expect(await message("BINANCE:ZERO")).toMatch(/BINANCE_ZERO_1d\.csv: symlink to a character device, not a regular file/);
    expect(Array.from((await vendor().fetch(req("BINANCE:LINK"))).bars.close)).toEqual([1.5]);
    expect(await message("BINANCE:DANGLING")).toMatch(/BINANCE_DANGLING_1d\.csv: symlink to a missing file/);
  }, 3000);
  test("a directory and a socket are refused", async () => {
    expect(await message("BINANCE:DIR")).toMatch(/BINANCE_DIR_1d\.csv: a directory, not a regular file/);
    expect(await message("BINANCE:SOCK")).toMatch(/BINANCE_SOCK_1d\.csv: a socket, not a regular file/);
  });
  test("a file over vendors.file.maxFileBytes is refused with its size and the knob", async () => {
    expect(Array.from((await vendor().fetch(req("BINANCE:BIG"))).bars.close).length).toBe(100);
    const line = await message("BINANCE:BIG", { vendors: { file: { maxFileBytes: 1024 } } });
    expect(line).toMatch(
      /BINANCE_BIG_1d\.csv: 2\.6 KiB is over the file vendor's per-file cap of 1 KiB — split the file, or raise vendors\.file\.maxFileBytes/,
    );
  });
  test("--source that is a FIFO or a device is refused up front", () => {
    const make = (source: string) => () => fileVendor({ config: {}, log: silentLogger, env: {}, source });
    expect(make(join(dir, "BINANCE_FIFO_1d.csv"))).toThrow(/a FIFO \(named pipe\), not a regular file/);
    expect(make("/dev/zero")).toThrow(/\/dev\/zero: a character device, not a regular file/);
    expect(make(join(dir, "BINANCE_ZERO_1d.csv"))).toThrow(/symlink to a character device/);
  }, 3000);
  test("formatBytes", () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(2 * 1024 ** 3), formatBytes(3.1 * 1024 ** 3)]).toEqual(["512 bytes", "2 KiB", "2 GiB", "3.1 GiB"]);
  });
});
