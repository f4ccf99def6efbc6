// Sanitize (issue 17): toxic bars are cut out of what ingest commits and kept in quarantine; a whole series is
// quarantined only for a structural defect. Properties over random plantings (fast-check, fixed seed).
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { calendarFor } from "../../src/calendar/index.ts";
import { type RunContext, silentLogger, silentProgress } from "../../src/context.ts";
import { decodeBars, initParquet } from "../../src/lakehouse/parquet.ts";
import { Lakehouse } from "../../src/lakehouse/store.ts";
import { allocBars, type Bars, barCount, takeRows } from "../../src/model/bars.ts";
import { parseSymbol } from "../../src/model/symbol.ts";
import { runIngest } from "../../src/pipeline/ingest.ts";
import type { StepResult } from "../../src/report/summary.ts";
import { tempDir } from "../helpers/cli.ts";
import { memoryVendor } from "../helpers/memory-vendor.ts";

const SEED = 20261203;
const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 20);
const SYM = parseSymbol("BINANCE:BTCUSDT");

const ctxAt = (dir: string, lastBar = END): RunContext => ({
  config: {},
  store: new Lakehouse(dir),
  now: new Date(lastBar + DAY * 1.25),
  log: silentLogger,
  progress: silentProgress,
  waitLockMs: 0,
  runId: "t",
});

/** A calm daily crypto series of `n` bars ending at END: a slow wave, steady volumes. */
function calm(n: number, end = END): Bars {
  const ts = calendarFor("crypto").expected("1d", end - (n - 1) * DAY, end);
  const b = allocBars(ts.length);
  for (let i = 0; i < ts.length; i++) {
    b.timestamp[i] = ts[i]!;
    b.open[i] = b.high[i] = b.low[i] = b.close[i] = 100 + 5 * Math.sin(i / 9);
    b.volume[i] = 1000 + (i % 7) * 10;
  }
  return b;
}

/** Multiply the prices of bars [from, from + len) by `factor` (a unit error block, or a spike when len is 1). */
function plant(b: Bars, from: number, len: number, factor: number): Bars {
  const out = takeRows(b, [...Array(barCount(b)).keys()]);
  for (let i = from; i < from + len && i < barCount(out); i++) {
    out.open[i]! *= factor;
    out.high[i]! *= factor;
    out.low[i]! *= factor;
    out.close[i]! *= factor;
  }
  return out;
}

/** Every quarantined bar of the series (all quarantine files), by timestamp. */
function quarantined(dir: string): Map<number, number> {
  const out = new Map<number, number>();
  let names: string[] = [];
  try {
    names = readdirSync(join(dir, "quarantine")).filter((f) => f.endsWith(".parquet"));
  } catch {
    return out;
  }
  for (const f of names) {
    const b = decodeBars(readFileSync(join(dir, "quarantine", f)), f);
    for (let i = 0; i < barCount(b); i++) out.set(b.timestamp[i]!, b.close[i]!);
  }
  return out;
}

async function golden(dir: string): Promise<Map<number, number>> {
  const s = await new Lakehouse(dir).readFile(SYM, "1d");
  const out = new Map<number, number>();
  if (s) for (let i = 0; i < barCount(s.bars); i++) out.set(s.bars.timestamp[i]!, s.bars.close[i]!);
  return out;
}

const ingest = (dir: string, data: Bars, lastBar = END): Promise<StepResult> =>
  runIngest(ctxAt(dir, lastBar), { vendor: memoryVendor(data), symbols: [SYM], interval: "1d" });

const report = (r: StepResult) => r.symbols.find((s) => s.symbol === SYM.id)!;

describe("sanitize", () => {
  test("golden ∪ quarantined = ingested: planted unit-error blocks and spikes are cut out, bar for bar, the rest stays golden", async () => {
    await initParquet();
    await fc.assert(
      fc.asyncProperty(
        // Up to 3 blocks of 1–3 bars at least 3 bars apart, inside the series (not the first or last bars).
        fc.uniqueArray(fc.integer({ min: 1, max: 38 }), { maxLength: 3 }).map((xs) => xs.map((x) => x * 5)),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
        fc.constantFrom(100, 0.01, 8, 1 / 8),
        async (starts, lens, factor) => {
          const { dir, cleanup } = tempDir();
          try {
            const clean = calm(500); // at most 9 planted bars: within maxToxicShare (2 % of 500)
            let data = clean;
            const planted = new Set<number>();
            starts.forEach((s, k) => {
              data = plant(data, s, lens[k]!, factor);
              for (let i = s; i < s + lens[k]!; i++) planted.add(clean.timestamp[i]!);
            });
            const r = await ingest(dir, data);
            const g = await golden(dir);
            const q = quarantined(dir);
            // Nothing lost, nothing twice: every ingested bar is golden or quarantined, never both.
            for (let i = 0; i < barCount(data); i++) {
              const ts = data.timestamp[i]!;
              expect(g.has(ts) !== q.has(ts)).toBe(true);
              expect(g.get(ts) ?? q.get(ts)).toBe(data.close[i]!);
            }
            expect(g.size + q.size).toBe(barCount(data));
            // Exactly the planted bars are quarantined; the asset is not toxic.
            expect([...q.keys()].sort()).toEqual([...planted].sort());
            expect(report(r).status).not.toBe("toxic");
            expect(report(r).barsQuarantined ?? 0).toBe(planted.size);
            expect(r.findings.some((f) => f.code === "bars_quarantined")).toBe(planted.size > 0);
          } finally {
            cleanup();
          }
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  test("a toxic latest bar is held back, not quarantined; the next bar decides: undone → the bar is cut, kept → structural", async () => {
    await initParquet();
    for (const nextFactor of [1, 100]) {
      const { dir, cleanup } = tempDir();
      try {
        const day1 = plant(calm(120), 119, 1, 100);
        const r1 = await ingest(dir, day1);
        expect(report(r1).heldBack).toBe(1);
        expect(r1.findings.map((f) => f.code)).toContain("held_back");
        const g1 = await golden(dir);
        expect(g1.size).toBe(119);
        expect(g1.has(END)).toBe(false);
        expect(quarantined(dir).size).toBe(0);
        // One day later the vendor has one more bar: back to the level (the spike was a bad print) or still × 100.
        const day2 = plant(plant(calm(121, END + DAY), 119, 1, 100), 120, 1, nextFactor);
        const r2 = await ingest(dir, day2, END + DAY);
        if (nextFactor === 1) {
          expect([...quarantined(dir).keys()]).toEqual([END]);
          expect((await golden(dir)).size).toBe(120);
          expect(report(r2).status).not.toBe("toxic");
        } else {
          // Two bars at × 100 and counting: a level shift, not a bad print. The golden file stays as it was.
          expect(report(r2).status).toBe("toxic");
          expect(await golden(dir)).toEqual(g1);
        }
      } finally {
        cleanup();
      }
    }
  });

  test("a busy latest bar (volume × 100) is held back, and committed as history once the next bar arrives", async () => {
    await initParquet();
    const { dir, cleanup } = tempDir();
    try {
      const busy = (b: Bars, i: number) => {
        b.volume[i] = b.volume[i]! * 100;
        return b;
      };
      const r1 = await ingest(dir, busy(calm(120), 119));
      expect(report(r1).status).not.toBe("toxic");
      expect(report(r1).heldBack).toBe(1);
      expect((await golden(dir)).has(END)).toBe(false);
      const r2 = await ingest(dir, busy(calm(121, END + DAY), 119), END + DAY);
      expect(report(r2).status).not.toBe("toxic");
      expect((await golden(dir)).size).toBe(121);
      expect(r2.findings.find((f) => f.code === "volume_spike")?.severity).toBe("warning");
      expect(quarantined(dir).size).toBe(0);
    } finally {
      cleanup();
    }
  });

  test("structural defects quarantine the whole series: a level shift that never comes back, or more than maxToxicShare of the bars", async () => {
    await initParquet();
    const cases: [string, Bars, NonNullable<RunContext["config"]["checks"]>][] = [
      ["level shift", plant(calm(200), 120, 80, 100), {}],
      ["share", [20, 60, 100, 140].reduce((b, s) => plant(b, s, 2, 100), calm(200)), { bars_quarantined: { maxToxicShare: 0.02 } }],
    ];
    for (const [what, data, checks] of cases) {
      const { dir, cleanup } = tempDir();
      try {
        const r = await runIngest({ ...ctxAt(dir), config: { checks } }, { vendor: memoryVendor(data), symbols: [SYM], interval: "1d" });
        expect({ what, status: report(r).status, outcome: report(r).outcome }).toEqual({ what, status: "toxic", outcome: undefined });
        expect((await golden(dir)).size).toBe(0);
        expect(quarantined(dir).size).toBe(200);
      } finally {
        cleanup();
      }
    }
  });

  test("a toxic mark is re-judged by the next ingest: clean data clears it without --force", async () => {
    await initParquet();
    const { dir, cleanup } = tempDir();
    try {
      const r1 = await ingest(dir, plant(calm(200), 120, 80, 100));
      expect(report(r1).status).toBe("toxic");
      expect(new Lakehouse(dir).health().isToxic(SYM.id)).toBe(true);
      // The vendor corrected its history.
      const r2 = await ingest(dir, calm(200));
      expect(report(r2).status).not.toBe("toxic");
      expect(new Lakehouse(dir).health().isToxic(SYM.id)).toBe(false);
      expect((await golden(dir)).size).toBe(200);
    } finally {
      cleanup();
    }
  });
});
