// Bad input: exit 3, one line naming the file, row or field and what to do; nothing already stored changes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, DEMO, DEMO_NOW, dqctl, tempDir, treeHash } from "../helpers/cli.ts";

let dir: string;
let cleanup: () => void;
let lh: string;
const base = () => ["--lakehouse", lh, "--now", DEMO_NOW];

/** Exit 3 and, with --quiet, exactly one line on stderr naming `what` with advice; the lakehouse unchanged. */
async function expectRefused(args: string[], what: RegExp) {
  const before = treeHash(lh);
  const r = await dqctl([...args, "--quiet"]);
  expect(r.code).toBe(3);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(what);
  expect(lines[0]).toMatch(/^dqctl: .+ — .+/); // the problem, then what to do
  // The run itself is recorded in runs.jsonl; every data, catalog and registry file is byte-identical.
  const { "/runs.jsonl": _after, ...after } = treeHash(lh);
  const { "/runs.jsonl": _before, ...prior } = before;
  expect(after).toEqual(prior);
  return r;
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  lh = join(dir, "lakehouse");
  const r = await dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT,NASDAQ:AAPL", "--quiet", ...base()]);
  expect(r.code).toBe(0);
});
afterAll(() => cleanup());

describe("operational errors", () => {
  test("missing lakehouse folder", async () => {
    await expectRefused(["audit", "--lakehouse", join(dir, "nope"), "--now", DEMO_NOW], /lakehouse folder not found: .*nope/);
  });

  test("a CSV with a bad row names file and line; nothing is written", async () => {
    const src = join(dir, "badcsv");
    mkdirSync(src);
    writeFileSync(join(src, "BINANCE_BTCUSDT_1d.csv"), "timestamp,open,high,low,close,volume\n2026-11-21,1,2,0.5,1.5,10\n2026-11-22,1,2,0.5,oops,10\n");
    await expectRefused(
      ["ingest", "--source", src, "--symbols", "BINANCE:BTCUSDT", "--refresh", ...base()],
      /BINANCE_BTCUSDT_1d\.csv:3:20: column close: "oops" is not a number/,
    );
  });

  test("a truncated Parquet source file", async () => {
    const src = join(dir, "truncated");
    mkdirSync(src);
    const good = readFileSync(join(lh, "BINANCE_BTCUSDT_1d.parquet"));
    writeFileSync(join(src, "BINANCE_BTCUSDT_1d.parquet"), good.subarray(0, good.length - 100));
    await expectRefused(["ingest", "--source", src, "--symbols", "BINANCE:BTCUSDT", "--refresh", ...base()], /BINANCE_BTCUSDT_1d\.parquet: not a Parquet file/);
  });

  test("random bytes named .parquet", async () => {
    const src = join(dir, "random");
    mkdirSync(src);
    writeFileSync(join(src, "BINANCE_BTCUSDT_1d.parquet"), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256)));
    await expectRefused(
      ["ingest", "--source", src, "--symbols", "BINANCE:BTCUSDT", "--refresh", ...base()],
      /random\/BINANCE_BTCUSDT_1d\.parquet: not a Parquet file/,
    );
  });

  test("a Parquet file with the wrong columns", async () => {
    const src = join(dir, "wrongcols");
    mkdirSync(src);
    // A Parquet file whose columns are not bars: the lakehouse catalog has none, so use DuckDB to write one.
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const con = await (await DuckDBInstance.create(":memory:")).connect();
    await con.run(`COPY (SELECT 1 AS a, 'x' AS b) TO '${join(src, "BINANCE_BTCUSDT_1d.parquet")}' (FORMAT parquet)`);
    await expectRefused(["ingest", "--source", src, "--symbols", "BINANCE:BTCUSDT", "--refresh", ...base()], /no timestamp column .*found a, b/);
  });

  test.each([["../x"], ["A/B"], ["BTC;rm"]])("bad symbol %p is refused before any path is built", async (bad) => {
    const fresh = join(dir, `never-${Math.random().toString(36).slice(2)}`);
    const r = await dqctl(["ingest", "--source", DEMO, "--symbols", bad, "--lakehouse", fresh]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`invalid symbol "${bad}"`);
    expect(existsSync(fresh)).toBe(false);
  });

  test("malformed config JSON names the file", async () => {
    const cfg = join(dir, "bad.json");
    writeFileSync(cfg, '{ "lakehouse": "x", }');
    await expectRefused(["audit", "--config", cfg, ...base()], /bad\.json:1:21: malformed JSON: a trailing comma before "}"/);
  });

  test("a config field of the wrong type names the field", async () => {
    const cfg = join(dir, "badfield.json");
    writeFileSync(cfg, JSON.stringify({ checks: { gap: { maxGapDays: "five" } } }));
    await expectRefused(["audit", "--config", cfg, ...base()], /checks\.gap\.maxGapDays: expected a number/);
    writeFileSync(cfg, JSON.stringify({ vendors: { yahoo: { retries: -1 } } }));
    await expectRefused(["audit", "--config", cfg, ...base()], /badfield\.json: vendors\.yahoo\.retries: expected a whole number ≥ 0, got -1/);
    writeFileSync(cfg, JSON.stringify({ checks: { gapp: {} } }));
    await expectRefused(["audit", "--config", cfg, ...base()], /checks\.gapp is not a check \(did you mean gap\?\)/);
  });

  test("an unknown flag", async () => {
    await expectRefused(["audit", "--fail-on-qualty", ...base()], /unknown flag --fail-on-qualty for `dqctl audit`/);
  });

  test("an unknown command and a bad interval", async () => {
    await expectRefused(["audti"], /unknown command "audti"/);
    await expectRefused(["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT", "--interval", "2d", ...base()], /unknown interval "2d"/);
  });

  test("--json still prints one document on an operational error", async () => {
    const r = await dqctl(["audit", "--json", "--lakehouse", join(dir, "nope")]);
    expect(r.code).toBe(3);
    expect(assertSummary(r.json())).toMatchObject({ status: "error", exitCode: 3 });
  });

  test("a live lock makes a writer exit 3 naming the holder; --wait-lock waits", async () => {
    const holder = Bun.spawn(["sleep", "30"]);
    try {
      writeFileSync(
        join(lh, ".dqctl.lock"),
        JSON.stringify({ pid: holder.pid, host: require("node:os").hostname(), command: "ingest", since: "2026-11-21T06:00:00Z" }),
      );
      const r = await dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT", ...base()]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`locked by pid ${holder.pid} (ingest`);
      const w = await dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT", "--wait-lock", "300ms", ...base()]);
      expect(w.code).toBe(3);
      expect(w.stderr).toContain("raise --wait-lock");
    } finally {
      holder.kill();
      await holder.exited;
    }
    // The holder is dead now: its lock is stale and taken over.
    const r = await dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT", "--quiet", ...base()]);
    expect(r.code).toBe(0);
    expect(existsSync(join(lh, ".dqctl.lock"))).toBe(false);
  });
});

describe("corrupt files inside the lakehouse", () => {
  test("a truncated lakehouse file is one `corrupt` finding naming both hashes; the others are audited", async () => {
    const copy = join(dir, "lh-corrupt");
    mkdirSync(copy);
    for (const f of ["catalog.json", "BINANCE_BTCUSDT_1d.parquet", "NASDAQ_AAPL_1d.parquet"]) copyFileSync(join(lh, f), join(copy, f));
    const p = join(copy, "NASDAQ_AAPL_1d.parquet");
    writeFileSync(p, readFileSync(p).subarray(0, 12));
    const r = await dqctl(["audit", "--json", "--lakehouse", copy, "--now", DEMO_NOW]);
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    const aapl = doc.findings.filter((f: any) => f.symbol === "NASDAQ:AAPL");
    expect(aapl).toHaveLength(1);
    expect(aapl[0]).toMatchObject({ code: "corrupt", severity: "error" });
    expect(aapl[0].message).toContain("NASDAQ_AAPL_1d.parquet");
    const cat = JSON.parse(readFileSync(join(copy, "catalog.json"), "utf8"));
    expect(aapl[0].details.expected).toBe(cat.entries.find((e: any) => e.symbol === "NASDAQ:AAPL").sha256);
    expect(doc.symbols.find((s: any) => s.symbol === "NASDAQ:AAPL").status).toBe("corrupt");
    expect(doc.symbols.find((s: any) => s.symbol === "BINANCE:BTCUSDT").status).toBe("healthy");
    expect((await dqctl(["audit", "--fail-on-quality", "--quiet", "--lakehouse", copy, "--now", DEMO_NOW])).code).toBe(2);
  });

  test("ingest refuses to merge into an unreadable stored file and leaves it as it is", async () => {
    const copy = join(dir, "lh-corrupt2");
    mkdirSync(copy);
    copyFileSync(join(lh, "catalog.json"), join(copy, "catalog.json"));
    writeFileSync(join(copy, "BINANCE_BTCUSDT_1d.parquet"), "garbage");
    const r = await dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT", "--lakehouse", copy, "--now", DEMO_NOW]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("BINANCE_BTCUSDT_1d.parquet: content changed outside dqctl");
    expect(readFileSync(join(copy, "BINANCE_BTCUSDT_1d.parquet"), "utf8")).toBe("garbage");
  });

  test("a file that is what the catalog recorded but cannot be decoded is `unreadable`; ingest leaves it alone", async () => {
    const copy = join(dir, "lh-corrupt3");
    mkdirSync(copy);
    const cat = JSON.parse(readFileSync(join(lh, "catalog.json"), "utf8"));
    const e = cat.entries.find((x: any) => x.symbol === "BINANCE:BTCUSDT");
    e.sha256 = createHash("sha256").update("garbage").digest("hex");
    cat.entries = [e];
    writeFileSync(join(copy, "catalog.json"), JSON.stringify(cat));
    writeFileSync(join(copy, "BINANCE_BTCUSDT_1d.parquet"), "garbage");
    const audit = await dqctl(["audit", "--json", "--lakehouse", copy, "--now", DEMO_NOW]);
    const f = assertSummary(audit.json()).findings.filter((x: any) => x.symbol === "BINANCE:BTCUSDT");
    expect(f.map((x: any) => x.code)).toEqual(["unreadable"]);
    expect(f[0].message).toContain("BINANCE_BTCUSDT_1d.parquet: not a Parquet file");
    const r = await dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT", "--lakehouse", copy, "--now", DEMO_NOW]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("BINANCE_BTCUSDT_1d.parquet: not a Parquet file");
    expect(readFileSync(join(copy, "BINANCE_BTCUSDT_1d.parquet"), "utf8")).toBe("garbage");
  });
});
