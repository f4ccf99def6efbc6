// Commit behaviour through the binary: one series' failure stays its own, golden holds only finished bars,
// corrupt files are reported and never laundered, and snapshots refuse unfit prices.
import { describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, DEMO, DEMO_NOW, dqctl, tempDir } from "../helpers/cli.ts";

const catalog = (lh: string) => JSON.parse(readFileSync(join(lh, "catalog.json"), "utf8")).entries as any[];

function csv(rows: [string, number][]): string {
  return `timestamp,open,high,low,close,volume\n${rows.map(([t, c]) => `${t},${c},${c * 1.01},${c * 0.99},${c},1000`).join("\n")}\n`;
}

function dailyRows(from: string, n: number, px = 100, step = 0.5): [string, number][] {
  return Array.from({ length: n }, (_, i) => [new Date(Date.parse(from) + i * 86_400_000).toISOString(), px + ((i * 7) % 5) * step]);
}

describe("per-series failure isolation", () => {
  test("a series whose file cannot be written fails alone, with one line naming the path; the others are committed", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const lh = join(dir, "lh");
      mkdirSync(join(lh, "BINANCE_ETHUSDT_1d.parquet"), { recursive: true }); // a folder where the file must go
      const r = await dqctl([
        "ingest",
        "--json",
        "--source",
        DEMO,
        "--symbols",
        "BINANCE:BTCUSDT,BINANCE:ETHUSDT,NASDAQ:AAPL",
        "--lakehouse",
        lh,
        "--now",
        DEMO_NOW,
      ]);
      expect(r.code).toBe(3);
      const doc = assertSummary(r.json());
      expect(doc.counts).toMatchObject({ symbols: 3, written: 2, failed: 1 });
      expect(doc.errors).toHaveLength(1);
      expect(doc.errors[0].message).toContain("BINANCE_ETHUSDT_1d.parquet is not a regular file");
      expect(
        r.stderr
          .trim()
          .split("\n")
          .filter((l) => l.startsWith("dqctl:")),
      ).toHaveLength(1);
      expect(
        catalog(lh)
          .map((e) => e.symbol)
          .sort(),
      ).toEqual(["BINANCE:BTCUSDT", "NASDAQ:AAPL"]);
      expect(readdirSync(lh).filter((f) => f.endsWith(".tmp") || f.includes("journal"))).toEqual([]);
    } finally {
      cleanup();
    }
  });
});

describe("golden means fit", () => {
  test("bars after --now and the bar still in progress are not committed; a later run commits them", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const src = join(dir, "src");
      mkdirSync(src);
      writeFileSync(join(src, "BINANCE_BTCUSDT_1d.csv"), csv(dailyRows("2026-11-01T00:00:00Z", 23))); // through 11-23
      const lh = join(dir, "lh");
      const args = (now: string) => ["ingest", "--json", "--source", src, "--symbols", "BINANCE:BTCUSDT", "--lakehouse", lh, "--now", now];
      const first = await dqctl(args("2026-11-21T06:00:00Z"));
      expect(first.code).toBe(0);
      const doc = assertSummary(first.json());
      const future = doc.findings.filter((f: any) => f.code === "future_bar");
      expect(future).toHaveLength(1);
      expect(future[0]).toMatchObject({ severity: "warning", metrics: { bars: 2 }, details: { first: "2026-11-22T00:00:00.000Z" } });
      expect(doc.symbols[0]).toMatchObject({ end: "2026-11-20T00:00:00.000Z", heldBack: 3 });
      expect(catalog(lh)[0]).toMatchObject({ rows: 20, end: "2026-11-20T00:00:00.000Z" });
      const later = await dqctl(args("2026-11-24T01:00:00Z"));
      expect(later.code).toBe(0);
      expect(catalog(lh)[0]).toMatchObject({ rows: 23, end: "2026-11-23T00:00:00.000Z" });
    } finally {
      cleanup();
    }
  });

  test("a close of 0 is kept in golden and reported, and blocks the snapshot", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const src = join(dir, "src");
      mkdirSync(src);
      const rows = dailyRows("2026-10-01T00:00:00Z", 50);
      rows[30]![1] = 0;
      writeFileSync(join(src, "BINANCE_BTCUSDT_1d.csv"), csv(rows));
      const lh = join(dir, "lh");
      const now = "2026-11-20T06:00:00Z";
      expect((await dqctl(["ingest", "--source", src, "--symbols", "BINANCE:BTCUSDT", "--quiet", "--lakehouse", lh, "--now", now])).code).toBe(0);
      const snap = await dqctl([
        "snapshot",
        "--json",
        "--symbols",
        "BINANCE:BTCUSDT",
        "--run-id",
        "r1",
        "--out",
        join(dir, "runs"),
        "--lakehouse",
        lh,
        "--now",
        now,
      ]);
      expect(snap.code).toBe(2);
      const blocked = assertSummary(snap.json()).findings.find((f: any) => f.code === "snapshot_blocked");
      expect(blocked.details.reasons).toContain("bad_value");
    } finally {
      cleanup();
    }
  });
});

describe("corruption is reported, never laundered", () => {
  test("a flipped byte in a golden file: audit reports `corrupt`, the catalog keeps its hash, ingest and repair refuse the series", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const lh = join(dir, "lh");
      const base = ["--lakehouse", lh, "--now", DEMO_NOW];
      expect((await dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT,NASDAQ:AAPL", "--quiet", ...base])).code).toBe(0);
      const before = catalog(lh);
      const p = join(lh, "NASDAQ_AAPL_1d.parquet");
      const bytes = readFileSync(p);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      writeFileSync(p, bytes);
      for (let round = 0; round < 2; round++) {
        const a = await dqctl(["audit", "--json", ...base]);
        const doc = assertSummary(a.json());
        expect(doc.symbols.find((s: any) => s.symbol === "NASDAQ:AAPL").status).toBe("corrupt");
        expect(doc.findings.find((f: any) => f.symbol === "NASDAQ:AAPL")).toMatchObject({
          code: "corrupt",
          details: { expected: before.find((e) => e.symbol === "NASDAQ:AAPL").sha256 },
        });
        expect(catalog(lh)).toEqual(before.map((e) => ({ ...e, qualityScore: catalog(lh).find((x) => x.symbol === e.symbol).qualityScore })));
      }
      const ing = await dqctl(["ingest", "--source", DEMO, "--symbols", "NASDAQ:AAPL", "--refresh", ...base]);
      expect(ing.code).toBe(3);
      expect(ing.stderr).toContain("NASDAQ_AAPL_1d.parquet: content changed outside dqctl");
      const rep = await dqctl(["repair", "--json", "--source", DEMO, "--symbols", "NASDAQ:AAPL", ...base]);
      expect(assertSummary(rep.json()).findings.map((f: any) => f.code)).toContain("corrupt");
      expect(readFileSync(p)).toEqual(bytes);
      // Deleting the damaged file is the documented way out: the next ingest fetches the series again.
      const restored = join(dir, "restored");
      mkdirSync(restored);
      copyFileSync(join(lh, "catalog.json"), join(restored, "catalog.json"));
      const again = await dqctl(["ingest", "--source", DEMO, "--symbols", "NASDAQ:AAPL", "--quiet", "--lakehouse", restored, "--now", DEMO_NOW]);
      expect(again.code).toBe(0);
      expect(catalog(restored).find((e) => e.symbol === "NASDAQ:AAPL").sha256).toBe(before.find((e) => e.symbol === "NASDAQ:AAPL").sha256);
    } finally {
      cleanup();
    }
  });
});
