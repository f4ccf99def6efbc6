// End to end through the CLI: reference data feeds off_tick (tickSize from instruments.json), an unadjusted split is
// quarantined as split_suspected and nothing else, and per-interval check options are validated.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { plantSplit } from "../../bench/gbm.ts";
import type { Bars } from "../../src/model/bars.ts";
import { assertSummary, dqctl, tempDir } from "../helpers/cli.ts";
import { nyseSeries } from "../helpers/gbm-series.ts";

const NOW = "2026-11-21T06:00:00Z";
let dir: string;
let cleanup: () => void;

function csv(b: Bars): string {
  const rows = ["Date,Open,High,Low,Close,Volume"];
  for (let i = 0; i < b.timestamp.length; i++)
    rows.push([new Date(b.timestamp[i]!).toISOString().slice(0, 10), b.open[i], b.high[i], b.low[i], b.close[i], b.volume[i]].join(","));
  return `${rows.join("\n")}\n`;
}

const round2 = (b: Bars) => {
  for (const c of ["open", "high", "low", "close"] as const) for (let i = 0; i < b.timestamp.length; i++) b[c][i] = Math.round(b[c][i]! * 100) / 100;
  return b;
};

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  const series = (seed: number) => nyseSeries(250, 0.015, seed);
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "ref"));
  const offGrid = round2(series(1));
  offGrid.close[100] = offGrid.close[100]! + 0.005; // a half-cent print
  offGrid.high[100] = Math.max(offGrid.high[100]!, offGrid.close[100]!);
  writeFileSync(join(dir, "src", "NASDAQ_GRID_1d.csv"), csv(offGrid));
  writeFileSync(join(dir, "src", "NASDAQ_SPLT_1d.csv"), csv(round2(plantSplit(series(2), 200, 4))));
  writeFileSync(join(dir, "ref", "instruments.json"), JSON.stringify({ "NASDAQ:GRID": { tickSize: 0.01 } }));
  writeFileSync(join(dir, "dqctl.config.json"), JSON.stringify({ referenceDir: join(dir, "ref") }));
});
afterAll(() => cleanup());

const base = () => ["--lakehouse", join(dir, "lh"), "--now", NOW, "--config", join(dir, "dqctl.config.json")];

describe("the new checks through the CLI", () => {
  test("ingest: a 4:1 split is quarantined as split_suspected (no toxic_return); a half-cent print is off_tick", async () => {
    const r = await dqctl(["ingest", "--vendor", "file", "--source", join(dir, "src"), "--symbols", "NASDAQ:GRID,NASDAQ:SPLT", "--json", ...base()]);
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    const codes = (sym: string) =>
      doc.findings
        .filter((f: any) => f.symbol === sym)
        .map((f: any) => f.code)
        .sort();
    expect(codes("NASDAQ:SPLT")).toEqual(["split_suspected"]);
    const split = doc.findings.find((f: any) => f.code === "split_suspected");
    expect(split).toMatchObject({ severity: "error", details: { splits: [{ nearestFactor: 4, split: "4:1" }] } });
    expect(doc.symbols.find((s: any) => s.symbol === "NASDAQ:SPLT").status).toBe("toxic");
    const health = JSON.parse(readFileSync(join(dir, "lh", "foundation_health.json"), "utf8"));
    expect(health["NASDAQ:SPLT"].reasons).toEqual(["split_suspected"]);
    expect(codes("NASDAQ:GRID")).toEqual(["off_tick"]);
    const off = doc.findings.find((f: any) => f.code === "off_tick");
    expect(off.metrics).toMatchObject({ bars: 1, tickSize: 0.01 });
    expect(off.details.examples[0]).toMatchObject({ column: "close", offTicks: 0.5 });
  });

  test("a bad per-interval option is refused in one line naming the key (exit 3)", async () => {
    const cfg = join(dir, "bad.json");
    writeFileSync(cfg, JSON.stringify({ checks: { price_stall: { byInterval: { "2m": { minRun: 5 } } } } }));
    const r = await dqctl(["audit", "--lakehouse", join(dir, "lh"), "--now", NOW, "--config", cfg]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("checks.price_stall.byInterval.2m is not an interval (did you mean 1m?)");
  });

  test("a bad per-class option is refused in one line naming the key (exit 3); a class from instruments.json applies", async () => {
    const bad = join(dir, "bad-class.json");
    writeFileSync(bad, JSON.stringify({ checks: { off_tick: { byClass: { crypto: { tolerance: -1 } } } } }));
    const r = await dqctl(["audit", "--lakehouse", join(dir, "lh"), "--now", NOW, "--config", bad]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("checks.off_tick.byClass.crypto.tolerance: expected");
    // NASDAQ:GRID's assetClass comes from the reference data; turning off_tick off for that class silences it.
    writeFileSync(join(dir, "ref", "instruments.json"), JSON.stringify({ "NASDAQ:GRID": { tickSize: 0.01, assetClass: "stock" } }));
    const quiet = join(dir, "quiet.json");
    writeFileSync(quiet, JSON.stringify({ referenceDir: join(dir, "ref"), checks: { off_tick: { byClass: { stock: { severity: "off" } } } } }));
    const a = await dqctl(["audit", "--lakehouse", join(dir, "lh"), "--now", NOW, "--config", quiet, "--symbols", "NASDAQ:GRID", "--json"]);
    const doc = assertSummary(a.json());
    expect(doc.findings.map((f: any) => f.code)).not.toContain("off_tick");
    const loud = await dqctl([
      "audit",
      "--lakehouse",
      join(dir, "lh"),
      "--now",
      NOW,
      "--config",
      join(dir, "dqctl.config.json"),
      "--symbols",
      "NASDAQ:GRID",
      "--json",
    ]);
    expect(assertSummary(loud.json()).findings.map((f: any) => f.code)).toContain("off_tick");
  });
});
