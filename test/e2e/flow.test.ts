// The data cycle end to end: scan → ingest → repair → audit, twice (idempotent), through the binary.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, DEMO, DEMO_NOW, dqctl, ROOT, tempDir, treeHash } from "../helpers/cli.ts";

const SCANNERS = ["crypto.yaml", "tradfi.yaml"].map((f) => join(ROOT, "fixtures/scanners", f)).join(",");
let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

describe("scan", () => {
  test("static scanners with base_preset: deduplicated candidates in export/<run-id>/candidates.json", async () => {
    const r = await dqctl(["scan", "--scanner", SCANNERS, "--run-id", "s1", "--json", "--lakehouse", join(dir, "empty"), "--export", join(dir, "export")], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    expect(doc.counts).toMatchObject({ scanners: 2, found: 21, candidates: 20 });
    const cands = JSON.parse(readFileSync(join(dir, "export/s1/candidates.json"), "utf8"));
    expect(cands).toHaveLength(20);
    const btc = cands.find((c: any) => c.symbol === "BINANCE:BTCUSDT");
    expect(btc).toMatchObject({ exchange: "BINANCE", profile: "crypto", asset_type: "spot", direction: "long" });
    expect(btc.metadata).toMatchObject({ universe: "demo", scanners: ["demo_crypto", "demo_tradfi"] });
    expect(cands.find((c: any) => c.symbol === "CME_MINI:ES1!").profile).toBe("futures");
  });

  test("a child's list replaces the parent's; a cycle and a bad field are clear errors", async () => {
    const d = join(dir, "presets");
    mkdirSync(d);
    writeFileSync(join(d, "parent.json"), JSON.stringify({ source: "static", symbols: ["NASDAQ:AAPL", "NASDAQ:MSFT"], metadata: { a: 1 } }));
    writeFileSync(join(d, "child.yaml"), "base_preset: parent.json\nsymbols: [NYSE:JPM]\nmetadata: { b: 2 }\n");
    const r = await dqctl([
      "scan",
      "--scanner",
      join(d, "child.yaml"),
      "--run-id",
      "c",
      "--json",
      "--lakehouse",
      join(dir, "empty"),
      "--export",
      join(dir, "export"),
    ]);
    const cands = JSON.parse(readFileSync(join(dir, "export/c/candidates.json"), "utf8"));
    expect(r.code).toBe(0);
    expect(cands.map((c: any) => c.symbol)).toEqual(["NYSE:JPM"]);
    expect(cands[0].metadata).toMatchObject({ a: 1, b: 2 });
    writeFileSync(join(d, "loop.yaml"), "base_preset: loop.yaml\n");
    const loop = await dqctl(["scan", "--scanner", join(d, "loop.yaml"), "--quiet", "--export", join(dir, "export")]);
    expect(loop.code).toBe(3);
    expect(loop.stderr).toContain("base_preset cycle");
    writeFileSync(join(d, "bad.yaml"), "source: static\nsymbols: [NASDAQ:AAPL]\nlimit: many\n");
    const bad = await dqctl(["scan", "--scanner", join(d, "bad.yaml"), "--quiet", "--export", join(dir, "export")]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/bad\.yaml: field limit/);
  });
});

describe("flow", () => {
  test("twice in a row: the second run fetches only what is behind and changes no file", async () => {
    const lh = join(dir, "lh");
    const args = (id: string) => [
      "flow",
      "--scanner",
      SCANNERS,
      "--source",
      DEMO,
      "--run-id",
      id,
      "--json",
      "--lakehouse",
      lh,
      "--export",
      join(dir, "export"),
      "--now",
      DEMO_NOW,
    ];
    const first = await dqctl(args("f1"));
    expect(first.code).toBe(0);
    const doc = assertSummary(first.json());
    // Sanitize: the unit-error block (ADAUSD) and the spike (SOLUSDT) are cut out bar by bar and the rest is
    // committed; only structural defects are quarantined whole: the series that ends stalled (XRPUSDT) and the two unadjusted splits (GOOGL, WMT).
    expect(doc.stages.ingest.counts).toMatchObject({ written: 17, quarantined: 3 });
    expect(doc.stages.repair.counts.genesisRecorded).toBe(17);
    expect(doc.counts).toMatchObject({ symbols: 20, healthy: 8, degraded: 8, stale: 1, toxic: 3, missing: 0 });
    expect(doc.quarantine.map((q: any) => [q.symbol, q.isToxic])).toEqual([
      ["BINANCE:SOLUSDT", false],
      ["BINANCE:XRPUSDT", true],
      ["KRAKEN:ADAUSD", false],
      ["NASDAQ:GOOGL", true],
      ["NYSE:WMT", true],
    ]);
    const before = treeHash(lh);
    const second = assertSummary((await dqctl(args("f2"))).json());
    expect(second.stages.scan.counts.droppedToxic).toBe(3);
    // Refetched: the stale series (FX:GBPUSD, last bar 2026-11-06), the one whose latest bar is held back
    // (DOGEUSDT), and the toxic ones the scan dropped (re-judged: the same answer, quarantined again, not rewritten).
    expect(second.stages.ingest.counts).toMatchObject({ fresh: 15, stale: 2, missing: 3, quarantined: 3, written: 0 });
    // No backfill is asked again once genesis is known; only the unfixable gaps are retried (the two the vendor
    // lacks, and the two holes sanitize cut, which the vendor still answers with the same toxic bars).
    expect(second.stages.repair.counts).toMatchObject({ fetches: 4, gapsFilled: 0, remainingBars: 16 });
    const after = treeHash(lh);
    for (const [p, h] of Object.entries(before)) if (p.endsWith(".parquet") || p === "/catalog.json") expect(after[p]).toBe(h);
    // The gate: audit errors exit 2 with --fail-on-quality.
    expect((await dqctl([...args("f3"), "--fail-on-quality"])).code).toBe(2);
    // repair on its own: --dry-run prints the plan (the four unfixable gaps) and writes nothing.
    const plan = await dqctl(["repair", "--source", DEMO, "--dry-run", "--json", "--lakehouse", lh, "--now", DEMO_NOW]);
    expect(plan.code).toBe(0);
    const p = assertSummary(plan.json());
    expect(p.counts.planned).toBe(4);
    expect(p.plan.filter((x: any) => x.fetches.length).map((x: any) => [x.symbol, x.fetches[0].kind, x.fetches[0].from])).toEqual([
      ["BINANCE:ETHUSDT", "gap", "2026-03-10T00:00:00.000Z"],
      ["BINANCE:SOLUSDT", "gap", "2026-06-15T00:00:00.000Z"],
      ["KRAKEN:ADAUSD", "gap", "2026-02-01T00:00:00.000Z"],
      ["NASDAQ:NVDA", "gap", "2026-10-05T00:00:00.000Z"],
    ]);
    expect(treeHash(lh)["/catalog.json"]).toBe(before["/catalog.json"]);
    const runs = readFileSync(join(lh, "runs.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(runs.filter((r) => r.command === "flow").map((r) => r.runId)).toEqual(["f1", "f2", "f3"]);
  }, 60_000);
});

describe("calendar", () => {
  test("lists sessions, holidays and early closes", async () => {
    const r = await dqctl(["calendar", "--profile", "equity", "--from", "2024-07-01", "--to", "2024-07-05", "--json"]);
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    expect(doc.counts).toEqual({ sessions: 4, holidays: 1, earlyCloses: 1 });
    expect(doc.calendar.sessions.map((s: any) => s.date)).toEqual(["2024-07-01", "2024-07-02", "2024-07-03", "2024-07-05"]);
    expect(doc.calendar.holidays.map((h: any) => h.date)).toEqual(["2024-07-04"]);
    expect(doc.calendar.earlyCloses.map((e: any) => e.date)).toEqual(["2024-07-03"]);
    const t = await dqctl(["calendar", "--profile", "futures", "--from", "2024-03-29", "--to", "2024-04-01"]);
    expect(t.stdout).toContain("Good Friday");
    expect((await dqctl(["calendar", "--profile", "moon", "--from", "2024-01-01", "--to", "2024-01-02", "--quiet"])).code).toBe(3);
  });
});
