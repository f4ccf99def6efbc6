// Issue 22 parts 1 and 2 through the compiled binary: `scan` records the screener's metadata as SCD-2 history,
// `dqctl symbols --as-of` answers from it, snapshots carry their members' as-of metadata, and `features ingest`
// writes the technicals partitioned by date, idempotently, validated, and crash-safe (SIGKILL at each commit step).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO, DEMO_NOW, dqctl, tempDir } from "../helpers/cli.ts";
import { checkLakehouse, problems } from "../helpers/lakehouse-check.ts";
import type { TestServer } from "../vendors/servers/http.ts";
import { startScanner, type Universe } from "../vendors/servers/scanner.ts";

let server: TestServer & { universe: Universe };
let initial: [string, Record<string, unknown>][] = [];
const { dir, cleanup } = tempDir("dqctl-e2e-symbols-");
const scanner = join(dir, "tv.yaml");
const env = () => ({ DQCTL_TRADINGVIEW_SCANNER_URL: server.url, DQCTL_HTTP_BACKOFF_MS: "1" });
const run = (args: string[], extra: Record<string, string> = {}) => dqctl(args, { env: { ...env(), ...extra } });

beforeAll(() => {
  server = startScanner(["NASDAQ:AAPL", "BINANCE:BTCUSDT"]);
  initial = structuredClone([...server.universe]);
  writeFileSync(scanner, "name: tv\nsource: tradingview\nmarket: america\ncolumns: [close, volume]\nlimit: 3\n");
});
afterAll(() => {
  server.stop();
  cleanup();
});
beforeEach(() => {
  server.universe.clear();
  for (const [k, v] of structuredClone(initial)) server.universe.set(k, v);
  server.fault = undefined;
});

describe("dqctl symbols", () => {
  test("scan records versions; a replay writes nothing; a rename is answered as of either side of it", async () => {
    const lh = join(dir, "scan-lh");
    const scan = (now: string) => run(["scan", "--scanner", scanner, "--export", join(dir, "export"), "--lakehouse", lh, "--now", now, "--json"]);
    const first = await scan("2026-11-02T15:00:00Z");
    expect(first.code).toBe(0);
    expect(first.json().counts).toMatchObject({ candidates: 3, symbolVersionsOpened: 3 });
    const bytes = readFileSync(join(lh, "symbols.parquet"));
    expect((await scan("2026-11-03T15:00:00Z")).json().counts.symbolVersionsOpened).toBe(0);
    expect(readFileSync(join(lh, "symbols.parquet")).equals(bytes)).toBe(true);
    server.universe.get("NASDAQ:T001")!.description = "Tee One Inc";
    expect((await scan("2026-11-04T15:00:00Z")).json().counts).toMatchObject({ symbolVersionsOpened: 1, symbolVersionsClosed: 1 });

    const asOf = async (date: string) => (await run(["symbols", "--as-of", date, "--symbols", "NASDAQ:T001", "--lakehouse", lh, "--json"])).json();
    expect((await asOf("2026-11-03")).symbolCatalog.map((r: any) => r.description)).toEqual(["T001 Corp"]);
    expect((await asOf("2026-11-05")).symbolCatalog.map((r: any) => r.description)).toEqual(["Tee One Inc"]);
    const before = await asOf("2026-11-01");
    expect(before.symbolCatalog).toEqual([]);
    expect(before.unknownSymbols).toEqual(["NASDAQ:T001"]);

    const all = await run(["symbols", "--lakehouse", lh, "--now", "2026-11-05T00:00:00Z"]);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("as of 2026-11-05T00:00:00.000Z");
    expect(all.stdout.trim().split("\n").length).toBe(5); // the as-of line, the header, three symbols
    const history = (await run(["symbols", "--history", "--symbols", "NASDAQ:T001", "--lakehouse", lh, "--json"])).json();
    expect(history.symbolCatalog.map((r: any) => [r.isCurrent, r.validTo])).toEqual([
      [false, "2026-11-04T15:00:00.000Z"],
      [true, null],
    ]);
    expect(problems(checkLakehouse(lh))).toEqual([]);
  }, 60_000);

  test("bad input is one line naming the flag, exit 3", async () => {
    const lh = join(dir, "bad-lh");
    const r = await run(["symbols", "--as-of", "yesterday-ish", "--lakehouse", lh]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n").length).toBe(1);
    expect(r.stderr).toContain("--as-of");
    const f = await run(["features", "ingest", "--lakehouse", lh]);
    expect(f.code).toBe(3);
    expect(f.stderr).toContain("--symbols");
    const c = await run(["features", "ingest", "--symbols", "NASDAQ:AAPL", "--columns", "RSI,sector", "--lakehouse", lh]);
    expect(c.code).toBe(3);
    expect(c.stderr).toContain('"sector"');
  });
});

describe("dqctl features ingest", () => {
  const syms = "NASDAQ:AAPL,BINANCE:BTCUSDT";
  const ingest = (lh: string, extra: string[] = [], kill?: string) =>
    run(["features", "ingest", "--symbols", syms, "--lakehouse", lh, "--now", DEMO_NOW, "--json", ...extra], kill ? { DQCTL_KILL_AT: kill } : {});

  test("partitioned by date, idempotent, findings gate the exit code; snapshots carry the members' metadata", async () => {
    const lh = join(dir, "feat-lh");
    expect((await dqctl(["ingest", "--source", DEMO, "--symbols", syms, "--lakehouse", lh, "--now", DEMO_NOW, "--quiet"])).code).toBe(0);
    const r1 = await ingest(lh);
    expect(r1.code).toBe(0);
    const d1 = r1.json();
    expect(d1.counts).toMatchObject({ symbols: 2, written: 2, unchanged: 0 });
    // Saturday 06:00Z: Nasdaq's session is Friday the 20th; the crypto day is the 21st.
    expect(d1.features.dates).toEqual(["2026-11-20", "2026-11-21"]);
    expect(readdirSync(join(lh, "features", "tv_technicals_1d")).sort()).toEqual(["date=2026-11-20", "date=2026-11-21"]);
    const part = join(lh, "features/tv_technicals_1d/date=2026-11-20/part.parquet");
    const bytes = readFileSync(part);
    expect((await ingest(lh)).json().counts).toMatchObject({ written: 0, unchanged: 2 });
    expect(readFileSync(part).equals(bytes)).toBe(true);

    server.universe.get("NASDAQ:AAPL")!["Stoch.K"] = -3;
    const bad = await ingest(lh, ["--fail-on-quality"]);
    expect(bad.code).toBe(2);
    const f = bad.json().findings.find((x: any) => x.code === "feature_out_of_range");
    expect(f.message).toBe("NASDAQ:AAPL 2026-11-20: Stoch.K = -3 outside 0…100");
    expect((await dqctl(["explain", "feature_out_of_range"])).stdout).toContain("RSI and Stoch in 0–100");

    const lineage = await dqctl(["lineage", "--lakehouse", lh, "--now", DEMO_NOW, "--json"]);
    expect(lineage.code).toBe(0);
    const node = lineage.json().lineage.nodes.find((x: any) => x.id === "feature_store");
    // Measured from the last features ingest's run record: as of now, every requested symbol returned a row.
    expect(node.measured.freshness).toMatchObject({ value: 0, met: true });
    expect(node.measured.completeness).toMatchObject({ value: 1, met: true });

    const snap = await dqctl(["snapshot", "--symbols", syms, "--run-id", "s1", "--out", join(dir, "runs"), "--lakehouse", lh, "--now", DEMO_NOW, "--quiet"]);
    expect(snap.code).toBe(0);
    const meta = JSON.parse(readFileSync(join(dir, "runs/s1/symbols.json"), "utf8"));
    expect(meta.rows.map((r: any) => [r.symbol, r.description])).toEqual([
      ["BINANCE:BTCUSDT", "BTCUSDT Corp"],
      ["NASDAQ:AAPL", "AAPL Corp"],
    ]);
    expect((await dqctl(["snapshot", "verify", join(dir, "runs/s1")])).code).toBe(0);
    expect(problems(checkLakehouse(lh))).toEqual([]);
  }, 60_000);

  test("config features.columns chooses the columns; a password in the screener URL is never printed or recorded", async () => {
    const lh = join(dir, "cfg-lh");
    const config = join(dir, "features.json");
    writeFileSync(config, JSON.stringify({ features: { columns: ["RSI", "ADX"] } }));
    const r = await ingest(lh, ["--config", config]);
    expect(r.code).toBe(0);
    expect(r.json().features.columns).toEqual(["RSI", "ADX"]);
    writeFileSync(config, JSON.stringify({ features: { columns: ["RSI", "sector"] } }));
    const bad = await ingest(lh, ["--config", config]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("config features.columns");

    const secret = "s3cr3t-pw-22";
    const url = server.url.replace("http://", `http://feeduser:${secret}@`);
    server.fault = { kind: "truncate", times: 10 };
    const failed = await dqctl(["features", "ingest", "--symbols", syms, "--lakehouse", lh, "--now", DEMO_NOW, "--json", "--verbose"], {
      env: { DQCTL_TRADINGVIEW_SCANNER_URL: url, DQCTL_HTTP_BACKOFF_MS: "1" },
    });
    expect(failed.code).toBe(3);
    expect(failed.stdout + failed.stderr).not.toContain(secret);
    server.fault = undefined;
    const ok = await dqctl(["features", "ingest", "--symbols", syms, "--lakehouse", lh, "--now", DEMO_NOW, "--json", "--verbose"], {
      env: { DQCTL_TRADINGVIEW_SCANNER_URL: url, DQCTL_HTTP_BACKOFF_MS: "1" },
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain(secret);
    expect(readFileSync(join(lh, "runs.jsonl"), "utf8")).not.toContain(secret);
  }, 60_000);

  test("SIGKILL at each commit step: the next run leaves what one uninterrupted run leaves", async () => {
    const ref = join(dir, "crash-ref");
    expect((await ingest(ref)).code).toBe(0);
    const refRows = (await dqctl(["symbols", "--history", "--lakehouse", ref, "--json"])).json().symbolCatalog;
    for (const point of ["commit-staged", "commit-synced", "commit-journal", "commit-rename", "commit-catalog"]) {
      const lh = join(dir, `crash-${point}`);
      const killed = await ingest(lh, [], point);
      expect({ point, code: killed.code }).toEqual({ point, code: 137 });
      expect({ point, problems: problems(checkLakehouse(lh, { settled: false })) }).toEqual({ point, problems: [] });
      const again = await ingest(lh);
      expect({ point, code: again.code }).toEqual({ point, code: 0 });
      for (const date of ["2026-11-20", "2026-11-21"]) {
        const rel = `features/tv_technicals_1d/date=${date}/part.parquet`;
        expect({ point, date, exists: existsSync(join(lh, rel)) }).toEqual({ point, date, exists: true });
      }
      const rows = (await dqctl(["symbols", "--history", "--lakehouse", lh, "--json"])).json().symbolCatalog;
      expect(rows).toEqual(refRows);
      expect({ point, problems: problems(checkLakehouse(lh)) }).toEqual({ point, problems: [] });
    }
  }, 120_000);
});
