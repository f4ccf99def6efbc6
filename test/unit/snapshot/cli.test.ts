import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, ROOT, tempDir } from "../../helpers/cli.ts";
import { buildLakehouse, PAIR_NOW, pair } from "./fixture.ts";

// The command from the sources (the compiled binary is the e2e suite's concern), with every vendor pointed at a closed port.
const CLOSED = "http://127.0.0.1:9";
const VENDOR_ENV = {
  DQCTL_YAHOO_BASE_URL: CLOSED,
  DQCTL_BINANCE_BASE_URL: CLOSED,
  DQCTL_ALPHAVANTAGE_BASE_URL: CLOSED,
  DQCTL_FRED_BASE_URL: CLOSED,
  DQCTL_TRADINGVIEW_SCANNER_URL: CLOSED,
  DQCTL_TRADINGVIEW_WS_URL: "ws://127.0.0.1:9",
  ALPHAVANTAGE_API_KEY: "x",
  FRED_API_KEY: "x",
  HTTP_PROXY: CLOSED,
  HTTPS_PROXY: CLOSED,
};

async function dq(args: string[], cwd: string) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("DQCTL_")) env[k] = v;
  Object.assign(env, { NO_COLOR: "1" }, VENDOR_ENV);
  const proc = Bun.spawn([process.execPath, join(ROOT, "src/cli.ts"), ...args], { cwd, env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

const { dir, cleanup } = tempDir("dqctl-snap-cli-");
beforeAll(async () => {
  await buildLakehouse(join(dir, "data/lakehouse"), pair());
});
afterAll(() => cleanup());

const SYMS = ["--symbols", "BINANCE:BTCUSDT,NASDAQ:AAPL"];

describe("dqctl snapshot (CLI, no network)", () => {
  test("snapshot passes with every vendor at a closed port; verify passes, then names an edited file", async () => {
    const r = await dq(["snapshot", ...SYMS, "--run-id", "r1", "--now", PAIR_NOW, "--json"], dir);
    expect(r.stderr).not.toContain("127.0.0.1:9");
    expect(r.code).toBe(0);
    const doc = assertSummary(JSON.parse(r.stdout));
    expect(doc).toMatchObject({ command: "snapshot", exitCode: 0, counts: { copied: 2, blocked: 0 } });
    expect(doc.snapshot.snapshotId).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(dir, "artifacts/runs/r1/manifest.json"))).toBe(true);

    const v = await dq(["snapshot", "verify", "artifacts/runs/r1", "--json"], dir);
    expect(v.code).toBe(0);
    expect(assertSummary(JSON.parse(v.stdout))).toMatchObject({ command: "snapshot verify", status: "ok", snapshot: { intact: true } });

    const f = join(dir, "artifacts/runs/r1/data/BINANCE_BTCUSDT_1d.parquet");
    chmodSync(f, 0o644);
    const bytes = readFileSync(f);
    bytes[64] = bytes[64]! ^ 1;
    writeFileSync(f, bytes);
    const bad = await dq(["snapshot", "verify", "artifacts/runs/r1"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain("snapshot_changed");
    expect(bad.stdout).toContain("data/BINANCE_BTCUSDT_1d.parquet");
  });

  test("stale inputs exit 2 and write nothing; an existing run id and a missing --run-id exit 3", async () => {
    const stale = await dq(["snapshot", ...SYMS, "--run-id", "r2", "--now", "2024-06-01T00:00:00Z", "--json"], dir);
    expect(stale.code).toBe(2);
    const doc = assertSummary(JSON.parse(stale.stdout));
    expect(doc.findings.map((f: { code: string; symbol: string }) => `${f.code} ${f.symbol}`)).toEqual([
      "snapshot_blocked BINANCE:BTCUSDT",
      "snapshot_blocked NASDAQ:AAPL",
    ]);
    expect(existsSync(join(dir, "artifacts/runs/r2"))).toBe(false);

    await dq(["snapshot", ...SYMS, "--run-id", "r3", "--now", PAIR_NOW, "--out", "elsewhere"], dir);
    const again = await dq(["snapshot", ...SYMS, "--run-id", "r3", "--now", PAIR_NOW, "--out", "elsewhere"], dir);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain("run folder already exists");
    expect(again.stderr).toContain(join(dir, "elsewhere/r3"));

    const noId = await dq(["snapshot", ...SYMS], dir);
    expect(noId.code).toBe(3);
    expect(noId.stderr).toContain("--run-id");
  });

  test("verify without a run folder, or on a folder without a manifest, exits 3", async () => {
    const r = await dq(["snapshot", "verify", "data/lakehouse"], dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("no manifest.json");
    const none = await dq(["snapshot", "verify"], dir);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain("DIR is required for snapshot verify — write e.g. dqctl snapshot verify artifacts/runs/");
  });
});
