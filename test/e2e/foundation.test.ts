// End to end through the CLI (the compiled binary when built): ingest + audit on the demo fixtures.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, DEMO, DEMO_NOW, dqctl, ROOT, tempDir, treeHash } from "../helpers/cli.ts";

const CANDIDATES = join(ROOT, "fixtures/demo-candidates.json");
let dir: string;
let cleanup: () => void;
let lh: string;
const base = () => ["--lakehouse", lh, "--now", DEMO_NOW];

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  lh = join(dir, "lakehouse");
});
afterAll(() => cleanup());

describe("ingest → audit on the demo fixtures", () => {
  test("ingest writes every clean series, cuts toxic bars into quarantine, quarantines a structural defect whole, JSON validates", async () => {
    const r = await dqctl(["ingest", "--vendor", "file", "--source", DEMO, "--candidates", CANDIDATES, "--json", ...base()]);
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    expect(doc.command).toBe("ingest");
    expect(doc.counts).toMatchObject({ symbols: 20, written: 17, quarantined: 3, failed: 0 });
    const row = (sym: string) => doc.symbols.find((s: any) => s.symbol === sym);
    expect(
      doc.symbols
        .filter((s: any) => s.status === "toxic")
        .map((s: any) => s.symbol)
        .sort(),
    ).toEqual(["BINANCE:XRPUSDT", "NASDAQ:GOOGL", "NYSE:WMT"]);
    // The ÷ 100 block (10 bars) and the × 8 spike (1 bar) are cut out; the rest of each series is golden.
    expect(row("KRAKEN:ADAUSD")).toMatchObject({ status: "degraded", rows: 720, barsQuarantined: 10, outcome: "written" });
    expect(row("BINANCE:SOLUSDT")).toMatchObject({ status: "degraded", rows: 729, barsQuarantined: 1 });
    // The busy latest bar waits for the next one; the series is committed without it.
    expect(row("BINANCE:DOGEUSDT")).toMatchObject({ rows: 729, end: "2026-11-19T00:00:00.000Z", heldBack: 1 });
    const cut = doc.findings.find((f: any) => f.symbol === "KRAKEN:ADAUSD" && f.code === "bars_quarantined");
    expect(cut).toMatchObject({ severity: "warning", metrics: { bars: 10 } });
    expect(cut.details.bars[0]).toEqual({ timestamp: "2026-02-01T00:00:00.000Z", codes: ["toxic_return"] });
    expect(doc.findings.find((f: any) => f.symbol === "BINANCE:DOGEUSDT" && f.code === "held_back")?.severity).toBe("warning");
    expect(existsSync(join(lh, "KRAKEN_ADAUSD_1d.parquet"))).toBe(true);
    expect(existsSync(join(lh, "BINANCE_XRPUSDT_1d.parquet"))).toBe(false);
    expect(readdirSync(join(lh, "quarantine")).filter((f) => f.endsWith(".reason.json")).length).toBe(5);
    const cat = JSON.parse(readFileSync(join(lh, "catalog.json"), "utf8"));
    expect(cat.entries.length).toBe(17);
    for (const e of cat.entries) {
      expect(
        createHash("sha256")
          .update(readFileSync(join(lh, e.path)))
          .digest("hex"),
      ).toBe(e.sha256);
    }
    const health = JSON.parse(readFileSync(join(lh, "foundation_health.json"), "utf8"));
    expect(health["KRAKEN:ADAUSD"].is_toxic).toBe(false);
    expect(health["KRAKEN:ADAUSD"].quarantined).toHaveLength(1);
    expect(health["BINANCE:XRPUSDT"]).toMatchObject({ is_toxic: true, reasons: ["price_stall"] });
    // The planted corporate actions and the vendor's NaN row, each at its bar.
    const found = (sym: string, code: string) => doc.findings.find((f: any) => f.symbol === sym && f.code === code);
    expect(found("NASDAQ:GOOGL", "split_unadjusted").details.splits).toMatchObject([{ timestamp: "2026-06-08T00:00:00.000Z", factor: 4, split: "4:1" }]);
    expect(found("NYSE:WMT", "split_suspected").details.splits).toMatchObject([{ timestamp: "2026-02-24T00:00:00.000Z", split: "3:1" }]);
    expect(health["NASDAQ:GOOGL"]).toMatchObject({ is_toxic: true, reasons: ["split_unadjusted"] });
    expect(health["NYSE:WMT"]).toMatchObject({ is_toxic: true, reasons: ["split_suspected"] });
    expect(found("NYSE:KO", "empty_rows")).toMatchObject({ severity: "warning", metrics: { rows: 1 }, details: { lines: [404] } });
    // Every other row of KO and every row of the volatile AVAX is committed; neither raised anything else.
    expect(doc.findings.filter((f: any) => f.symbol === "NYSE:KO").map((f: any) => f.code)).toEqual(["empty_rows"]);
    expect(doc.findings.filter((f: any) => f.symbol === "BINANCE:AVAXUSDT")).toEqual([]);
    const rows = Object.fromEntries(doc.symbols.map((s: any) => [s.symbol, s.rows]));
    expect(rows).toMatchObject({ "NYSE:KO": 501, "BINANCE:AVAXUSDT": 730 });
  });

  test("a second identical ingest changes nothing (same sha256, nothing rewritten)", async () => {
    const before = treeHash(lh);
    const r = await dqctl(["ingest", "--source", DEMO, "--candidates", CANDIDATES, "--json", ...base()]);
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    expect(doc.counts.written).toBe(0);
    // The toxic asset is re-judged on the vendor's (unchanged) answer: quarantined again, from the same file.
    expect(doc.counts.quarantined).toBe(3);
    const after = treeHash(lh);
    expect(Object.keys(after).filter((p) => p.includes("/quarantine/"))).toEqual(Object.keys(before).filter((p) => p.includes("/quarantine/")));
    for (const [p, h] of Object.entries(before)) if (p.endsWith(".parquet") || p.endsWith("catalog.json")) expect(after[p]).toBe(h);
  });

  test("audit: statuses and findings of the planted defects; foundation_health.json updated", async () => {
    const r = await dqctl(["audit", "--json", ...base()]);
    expect(r.code).toBe(0);
    const doc = assertSummary(r.json());
    const status = Object.fromEntries(doc.symbols.map((s: any) => [s.symbol, s.status]));
    expect(status).toMatchObject({
      "BINANCE:BTCUSDT": "healthy",
      "NASDAQ:AAPL": "healthy",
      "CME_MINI:ES1!": "healthy",
      "FX:EURUSD": "healthy",
      "NYSE:KO": "healthy",
      "BINANCE:AVAXUSDT": "healthy",
      "BINANCE:ETHUSDT": "degraded",
      "NASDAQ:NVDA": "degraded",
      "NASDAQ:MSFT": "degraded",
      "NYSE:XOM": "degraded",
      "NYMEX:CL1!": "degraded",
      "BINANCE:USDCUSDT": "degraded",
      "KRAKEN:ADAUSD": "degraded",
      "BINANCE:SOLUSDT": "degraded",
      "BINANCE:DOGEUSDT": "healthy",
      "BINANCE:XRPUSDT": "toxic",
      "FX:GBPUSD": "stale",
    });
    const codes = (sym: string) =>
      doc.findings
        .filter((f: any) => f.symbol === sym)
        .map((f: any) => f.code)
        .sort();
    expect(codes("BINANCE:ETHUSDT")).toEqual(["gap"]);
    expect(codes("NASDAQ:MSFT")).toEqual(["off_calendar"]);
    expect(codes("NYSE:XOM")).toEqual(["bad_value", "ohlc_inconsistent"]);
    expect(codes("NYMEX:CL1!")).toEqual(["false_tick"]);
    expect(codes("BINANCE:USDCUSDT")).toEqual(["flat_prices"]);
    expect(codes("FX:GBPUSD")).toEqual(["quality_score", "stale"]);
    // The holes sanitize cut are gaps like any other (repair refetches them).
    expect(codes("KRAKEN:ADAUSD")).toEqual(["gap"]);
    expect(codes("BINANCE:SOLUSDT")).toEqual(["gap"]);
    const gap = doc.findings.find((f: any) => f.symbol === "BINANCE:ETHUSDT" && f.code === "gap");
    expect(gap.details.ranges).toEqual([{ from: "2026-03-10T00:00:00.000Z", to: "2026-03-12T00:00:00.000Z", bars: 3 }]);
    expect(doc.status).toBe("error");
    expect(doc.quarantine.map((q: any) => [q.symbol, q.isToxic]).sort()).toEqual([
      ["BINANCE:SOLUSDT", false],
      ["BINANCE:XRPUSDT", true],
      ["KRAKEN:ADAUSD", false],
      ["NASDAQ:GOOGL", true],
      ["NYSE:WMT", true],
    ]);
    const health = JSON.parse(readFileSync(join(lh, "foundation_health.json"), "utf8"));
    expect(health["FX:GBPUSD"].status).toBe("stale");
    expect(health["FX:GBPUSD"].last_audit).toBe("2026-11-21T06:00:00.000Z");
    expect(health["FX:GBPUSD"].audit_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(health["BINANCE:XRPUSDT"].is_toxic).toBe(true);
    expect(health["KRAKEN:ADAUSD"].is_toxic).toBe(false);
  });

  test("--fail-on-quality gates: 2 on errors; =warning gives 1 when only warnings", async () => {
    expect((await dqctl(["audit", "--fail-on-quality", "--quiet", ...base()])).code).toBe(2);
    const warnOnly = await dqctl(["audit", "--symbols", "BINANCE:ETHUSDT", "--fail-on-quality=warning", "--json", ...base()]);
    expect(warnOnly.code).toBe(1);
    expect(assertSummary(warnOnly.json())).toMatchObject({ status: "warning", exitCode: 1 });
    expect((await dqctl(["audit", "--symbols", "BINANCE:ETHUSDT", "--fail-on-quality=error", ...base()])).code).toBe(0);
    expect((await dqctl(["audit", "--symbols", "BINANCE:BTCUSDT", "--fail-on-quality=warning", ...base()])).code).toBe(0);
  });

  test("a requested symbol without a file is `missing` (error)", async () => {
    const r = await dqctl(["audit", "--symbols", "BINANCE:NOPEUSDT", "--json", "--read-only", ...base()]);
    const doc = assertSummary(r.json());
    expect(doc.symbols[0].status).toBe("missing");
    expect(doc.findings[0]).toMatchObject({ code: "missing", severity: "error" });
  });

  test("stdout is only the document; logs go to stderr", async () => {
    const r = await dqctl(["audit", "--json", "--read-only", ...base()]);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toContain("audit");
    const q = await dqctl(["audit", "--json", "--read-only", "--quiet", ...base()]);
    expect(q.stderr).toBe("");
    const table = await dqctl(["audit", "--read-only", ...base()]);
    expect(table.stdout).toContain("BINANCE:BTCUSDT");
    expect(table.stdout).toMatch(/audit: error .* exit 0/);
  });

  test("intraday series: 1h and 1m ingest and audit on their calendars", async () => {
    const r = await dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT,NASDAQ:AAPL,OANDA:USDJPY", "--interval", "1h", "--json", ...base()]);
    expect(r.code).toBe(0);
    expect(r.json().symbols.map((s: any) => s.status)).toEqual(["healthy", "healthy", "healthy"]);
    const m = await dqctl(["ingest", "--source", DEMO, "--symbols", "AMEX:SPY", "--interval", "1m", "--json", ...base()]);
    const gap = m.json().findings.find((f: any) => f.code === "gap");
    expect(gap.details.ranges).toEqual([{ from: "2026-11-19T15:00:00.000Z", to: "2026-11-19T15:09:00.000Z", bars: 10 }]);
  });

  test("schema, --version and --help", async () => {
    const s = await dqctl(["schema"]);
    expect(s.code).toBe(0);
    expect(s.json().properties.schema.const).toBe("dqctl.summary/v1");
    const v = await dqctl(["--version"]);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    const h = await dqctl(["--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("audit");
    const ah = await dqctl(["audit", "--help"]);
    expect(ah.stdout).toContain("--fail-on-quality");
  });
});
