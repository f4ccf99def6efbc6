// Bounded, validated reads through the binary: an out-of-range timestamp fails its own series with one line naming
// file:line:column (or the lakehouse file and row), never the whole run; FIFOs and devices never hang a read.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, DEMO, DEMO_NOW, dqctlCommand, ROOT, type RunResult, tempDir } from "../helpers/cli.ts";

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
});
afterAll(() => cleanup());

/** Run the binary, killing it after `ms` so a hang fails the test instead of stalling the suite. */
async function run(args: string[], ms = 4000): Promise<RunResult & { killed: boolean }> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("DQCTL_")) env[k] = v;
  const proc = Bun.spawn([...dqctlCommand(), ...args], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    proc.kill(9);
  }, ms);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code, stdout, stderr, killed, json: () => JSON.parse(stdout) };
}

/** A source folder holding the demo's BTCUSDT 1d CSV plus `extra` files. */
function sourceWith(name: string, extra: (src: string) => void): string {
  const src = join(dir, name);
  mkdirSync(src);
  copyFileSync(join(DEMO, "BINANCE_BTCUSDT_1d.csv"), join(src, "BINANCE_BTCUSDT_1d.csv"));
  extra(src);
  return src;
}

/** Ingest BTCUSDT (good) and `bad` from `src`: exit 3, one stderr line matching `line`, BTCUSDT committed, `bad` not. */
async function expectOnlyBadFails(src: string, bad: string, line: RegExp) {
  const lh = `${src}-lakehouse`;
  const r = await run(["ingest", "--source", src, "--symbols", `BINANCE:BTCUSDT,${bad}`, "--json", "--quiet", "--lakehouse", lh, "--now", DEMO_NOW]);
  expect(r.killed).toBe(false);
  expect(r.code).toBe(3);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(lines[0]).not.toMatch(/unexpected error|Out of memory|Invalid Date/);
  const doc = assertSummary(r.json());
  expect(doc.counts).toMatchObject({ written: 1, failed: 1 });
  expect(existsSync(join(lh, "BINANCE_BTCUSDT_1d.parquet"))).toBe(true);
  const cat = JSON.parse(readFileSync(join(lh, "catalog.json"), "utf8"));
  expect(cat.entries.map((e: any) => e.symbol)).toEqual(["BINANCE:BTCUSDT"]);
}

describe("file vendor inputs", () => {
  test("a CSV timestamp of 9000000000000000000000 fails that series only, naming file:line:column", async () => {
    const src = sourceWith("huge", (s) =>
      writeFileSync(
        join(s, "BINANCE_ETHUSDT_1d.csv"),
        "timestamp,open,high,low,close,volume\n2026-11-19,1,2,0.5,1.5,10\n9000000000000000000000,1,2,0.5,1.5,10\n",
      ),
    );
    await expectOnlyBadFails(
      src,
      "BINANCE:ETHUSDT",
      /^dqctl: .*huge\/BINANCE_ETHUSDT_1d\.csv:3:1: column timestamp: 9000000000000000000000 read as epoch nanoseconds .* outside 1900-01-01 … 2200-01-01 UTC — epoch units follow the magnitude/,
    );
  }, 10_000);

  test("a FIFO named like an input is refused at once, never read", async () => {
    const src = sourceWith("fifo", (s) => execFileSync("mkfifo", [join(s, "BINANCE_ETHUSDT_1d.csv")]));
    await expectOnlyBadFails(src, "BINANCE:ETHUSDT", /^dqctl: .*fifo\/BINANCE_ETHUSDT_1d\.csv: a FIFO \(named pipe\), not a regular file — /);
  }, 6000);

  test("a symlink to /dev/zero is refused at once, never read", async () => {
    const src = sourceWith("zero", (s) => symlinkSync("/dev/zero", join(s, "BINANCE_ETHUSDT_1d.csv")));
    await expectOnlyBadFails(src, "BINANCE:ETHUSDT", /^dqctl: .*zero\/BINANCE_ETHUSDT_1d\.csv: symlink to a character device, not a regular file — /);
  }, 6000);

  test("--source /dev/zero is refused before anything is read", async () => {
    const r = await run([
      "ingest",
      "--source",
      "/dev/zero",
      "--symbols",
      "BINANCE:BTCUSDT",
      "--quiet",
      "--lakehouse",
      join(dir, "lh-devzero"),
      "--now",
      DEMO_NOW,
    ]);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toMatch(/^dqctl: \/dev\/zero: a character device, not a regular file — /);
  }, 6000);
});

describe("a lakehouse file with a flipped timestamp byte", () => {
  test("audit reports that file unreadable, naming it and the row, and still audits the others", async () => {
    const lh = join(dir, "lh-flipped");
    const ing = await run(["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT,NASDAQ:AAPL", "--quiet", "--lakehouse", lh, "--now", DEMO_NOW], 20_000);
    expect(ing.code).toBe(0);
    // The first bar's int64 timestamp, stored plain: its second-highest byte set to 0x7f is a date ~1.1 million years out.
    const file = join(lh, "NASDAQ_AAPL_1d.parquet");
    const bytes = readFileSync(file);
    const first = JSON.parse(readFileSync(join(lh, "catalog.json"), "utf8")).entries.find((e: any) => e.symbol === "NASDAQ:AAPL").start;
    const at = bytes.indexOf(Buffer.from(new BigInt64Array([BigInt(Date.parse(first))]).buffer));
    expect(at).toBeGreaterThan(0);
    bytes[at + 6] = 0x7f;
    writeFileSync(file, bytes);
    // Re-hash it in the catalog, as a file written bad in the first place would be: the decode check must catch it alone.
    const catPath = join(lh, "catalog.json");
    const cat = JSON.parse(readFileSync(catPath, "utf8"));
    for (const e of cat.entries) if (e.symbol === "NASDAQ:AAPL") e.sha256 = createHash("sha256").update(bytes).digest("hex");
    writeFileSync(catPath, JSON.stringify(cat, null, 2));

    const r = await run(["audit", "--json", "--lakehouse", lh, "--now", DEMO_NOW], 20_000);
    expect(r.stderr).not.toMatch(/unexpected error|Out of memory|Invalid Date/);
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    const aapl = doc.findings.filter((f: any) => f.symbol === "NASDAQ:AAPL");
    expect(aapl).toHaveLength(1);
    expect(aapl[0]).toMatchObject({ code: "unreadable", severity: "error" });
    expect(aapl[0].message).toMatch(/NASDAQ_AAPL_1d\.parquet: row 1: timestamp .* is outside 1900-01-01 … 2200-01-01 UTC/);
    expect(doc.symbols.find((s: any) => s.symbol === "BINANCE:BTCUSDT")).toMatchObject({ status: "healthy", rows: 730 });
    expect((await run(["audit", "--fail-on-quality", "--quiet", "--lakehouse", lh, "--now", DEMO_NOW], 20_000)).code).toBe(2);
  }, 30_000);
});
