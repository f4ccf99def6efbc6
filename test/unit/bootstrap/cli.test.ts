// `dqctl bootstrap` end to end: the CLI spawned from sources, vendors served by local 127.0.0.1 servers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, dqctl, tempDir } from "../../helpers/cli.ts";
import type { TestServer } from "../../vendors/servers/http.ts";
import { startYahooBars, weekdays } from "./_servers.ts";

const CLOSED = "http://127.0.0.1:9";
const NOW = "2024-06-12T12:00:00Z";
let yahoo: TestServer;
let tmp: { dir: string; cleanup: () => void };
let runner: string | undefined;

beforeAll(() => {
  // These tests exercise the sources (a previously built dist/dqctl may predate the command).
  runner = process.env.DQCTL_TEST_RUNNER;
  process.env.DQCTL_TEST_RUNNER = "source";
  tmp = tempDir("dqctl-bootstrap-cli-");
  yahoo = startYahooBars({ "EURUSD=X": weekdays("2023-12-01", "2024-06-30", 1.08), "GBPUSD=X": weekdays("2023-12-01", "2024-06-30", 1.27) });
});
afterAll(() => {
  if (runner === undefined) delete process.env.DQCTL_TEST_RUNNER;
  else process.env.DQCTL_TEST_RUNNER = runner;
  yahoo.stop();
  tmp.cleanup();
});

const seedArgs = ["bootstrap", "--symbols", "EURUSD=X,GBPUSD=X", "--vendor", "yahoo", "--lookback-days", "120", "--cache-retention-days", "7"];
const run = (args: string[], env: Record<string, string> = {}) =>
  dqctl([...args, "--now", NOW, "--json"], { cwd: tmp.dir, env: { DQCTL_HTTP_BACKOFF_MS: "1", DQCTL_HTTP_RETRIES: "0", ...env } });

describe("dqctl bootstrap", () => {
  test("the runbook's command against the local Yahoo server, then again from the cache with no network", async () => {
    const cacheDir = join(tmp.dir, "data_foundation/cache/pricing");
    const first = await run(seedArgs, { DQCTL_YAHOO_BASE_URL: yahoo.url });
    expect(first.stderr).not.toContain("unexpected");
    expect(first.code).toBe(0);
    const s = assertSummary(first.json());
    expect(s.status).toBe("ok");
    expect(s.symbolsSeen).toEqual(["FX:EURUSD", "FX:GBPUSD"]);
    expect(s.window).toEqual({ start: "2024-02-13T00:00:00.000Z", end: "2024-06-11T00:00:00.000Z", interval: "1d" });
    expect(s.vendors).toEqual({ requested: ["yahoo"], used: ["yahoo"] });
    // 120 calendar days (17 weeks and a Tuesday) hold 86 weekdays; weekends are not missing bars.
    expect(s.symbols.map((r: any) => [r.symbol, r.rows, r.coverage, r.status])).toEqual([
      ["FX:EURUSD", 86, 1, "healthy"],
      ["FX:GBPUSD", 86, 1, "healthy"],
    ]);
    expect(s.rows).toBe(172);
    expect(s.cache).toMatchObject({ hit: false, stored: true, pruned: [] });
    expect(s.dataset.path).toBe(join(cacheDir, s.dataset.file));
    expect(readdirSync(cacheDir).sort()).toEqual(
      [s.dataset.file, s.dataset.file.replace(".parquet", "_issues.json"), s.dataset.file.replace(".parquet", "_metadata.json")].sort(),
    );
    const meta = JSON.parse(readFileSync(join(cacheDir, s.dataset.file.replace(".parquet", "_metadata.json")), "utf8"));
    expect(meta).toMatchObject({
      rows: 172,
      symbols: ["FX:EURUSD", "FX:GBPUSD"],
      sha256: s.dataset.sha256,
      vendors: ["yahoo"],
      window: { start: s.window.start, end: s.window.end },
    });
    expect(s.lineage.outputs[0]).toMatchObject({ kind: "dataset", sha256: s.dataset.sha256 });
    // No lakehouse in this folder: bootstrap does not create one just to log its run.
    expect(existsSync(join(tmp.dir, "data/lakehouse"))).toBe(false);

    const closed = { DQCTL_YAHOO_BASE_URL: CLOSED, DQCTL_ALPHAVANTAGE_BASE_URL: CLOSED, DQCTL_FRED_BASE_URL: CLOSED, DQCTL_BINANCE_BASE_URL: CLOSED };
    const served = yahoo.requests.length;
    const second = await run(seedArgs, closed);
    expect(second.code).toBe(0);
    const h = assertSummary(second.json());
    expect(h.counts.cacheHit).toBe(1);
    expect(h.cache).toMatchObject({ hit: true, key: s.cache.key });
    expect(h.dataset.sha256).toBe(s.dataset.sha256);
    expect(h.symbols).toEqual(s.symbols);
    expect(yahoo.requests.length).toBe(served);
  });

  test("a header-only CSV with --fail-on-quality: exit 2, no_data, nothing cached", async () => {
    const src = join(tmp.dir, "empty-src");
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, "FX_EURUSD_1d.csv"), "timestamp,open,high,low,close,volume\n");
    const cacheDir = join(tmp.dir, "empty-cache");
    const r = await run([
      "bootstrap",
      "--symbols",
      "EURUSD=X",
      "--vendor",
      "file",
      "--source-path",
      src,
      "--cache-dir",
      cacheDir,
      "--fail-on-quality",
      "--lookback-days",
      "30",
    ]);
    expect(r.code).toBe(2);
    const s = assertSummary(r.json());
    expect(s.findings.map((f: any) => `${f.code}:${f.severity}`)).toEqual(["no_data:error"]);
    expect(s.dataset).toBeNull();
    expect(s.cache.stored).toBe(false);
    expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
  });

  test("two runs of the file vendor into one cache dir both succeed; the second is a hit", async () => {
    const src = join(tmp.dir, "src");
    mkdirSync(src, { recursive: true });
    const lines = weekdays("2024-05-01", "2024-06-11", 1.1).map((r) => `${r.date},${r.open},${r.high},${r.low},${r.close},0`);
    writeFileSync(join(src, "FX_EURUSD_1d.csv"), `timestamp,open,high,low,close,volume\n${lines.join("\n")}\n`);
    const cacheDir = join(tmp.dir, "twice");
    const args = [
      "bootstrap",
      "--symbols",
      "FX:EURUSD",
      "--vendor",
      "file",
      "--source-path",
      src,
      "--cache-dir",
      cacheDir,
      "--lookback-days",
      "30",
      "--format",
      "csv",
    ];
    const a = await run(args);
    const b = await run(args);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect([a.json().counts.cacheHit, b.json().counts.cacheHit]).toEqual([0, 1]);
    expect(a.json().dataset.file).toEndWith(".csv");
  });

  test("bad flags are operational errors (exit 3) naming the value", async () => {
    const bad = await run(["bootstrap", "--symbols", "EURUSD=X", "--vendor", "yahoo,bloomberg"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('unknown vendor "bloomberg"');
    const fmt = await run(["bootstrap", "--symbols", "EURUSD=X", "--format", "xlsx"]);
    expect(fmt.code).toBe(3);
    expect(fmt.stderr).toContain('--format: "xlsx"');
  });
});
