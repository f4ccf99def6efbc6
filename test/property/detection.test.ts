// The detection benchmark at test size (bench/detection.ts; `bun run bench` runs it at 1,000 series): seeded GBM
// series with Student-t(4) shocks, clean and with planted defects, through runChecks with the default config.
import { beforeAll, describe, expect, test } from "bun:test";
import { type DetectionReport, detectionLines, runDetection, SPLIT_FACTORS } from "../../bench/detection.ts";

let d: DetectionReport;
// A few seconds on an idle machine; the suite runs files in parallel on 2 cores, so allow for a busy one.
beforeAll(() => {
  d = runDetection({ series: 100, bars: 2500, seed: 1, nyseEvery: 5 });
  for (const line of detectionLines(d)) console.error(line);
}, 120_000); // hooks default to 5 s; on a busy 2-core machine this run takes longer

const rate = (t: { hit: number; of: number }) => t.hit / t.of;

describe("detection on 100 GBM series × 2,500 daily bars (σ 1–5 % a day, t₄ shocks; 80 crypto, 20 NYSE)", () => {
  test("clean data: no error finding of any code, fewer than 1 false_tick per 10,000 bars", () => {
    expect(d.bars).toBe(250_000);
    expect(d.series).toEqual({ crypto: 80, nyse: 20 });
    expect(d.clean.errorSeries).toEqual([]);
    expect(d.clean.errors).toBe(0);
    expect(d.clean.falseTickPer10k).toBeLessThan(1);
  });

  test("single-bar spikes of 8–16 robust σ that revert: false_tick recall ≥ 99 % at the bar", () => {
    for (const cls of ["crypto", "nyse"]) expect(rate(d.spikes.recall[cls]!)).toBeGreaterThanOrEqual(0.99);
  });

  test("unadjusted splits: split_suspected at the right bar for every factor and its inverse, in both calendars (at this size; README has the 1,000-series figures)", () => {
    for (const f of SPLIT_FACTORS) {
      for (const key of [`crypto ${f}:1`, `crypto 1:${f}`, `nyse ${f}:1`, `nyse 1:${f}`])
        expect(d.splits.recall[key]).toEqual({ hit: d.splits.recall[key]!.of, of: d.splits.recall[key]!.of });
    }
    const strong = d.splits.detectable["nyse ≥ 120 σ of gaps"]!;
    expect(strong.of).toBeGreaterThanOrEqual(5);
    expect(strong.hit).toBe(strong.of);
    // Where the price alone does not decide, the clean candidates' evidence stays below minEvidence and every planted split's reaches it.
    const sep = d.splits.separation;
    expect(sep.clean.nyse!.candidates).toBeGreaterThan(0);
    expect(sep.clean.nyse!.max).toBeLessThan(sep.minEvidence);
    for (const [k, v] of Object.entries(sep.planted)) expect([k, v.min >= sep.minEvidence]).toEqual([k, true]);
    // No other code names the split bar (no toxic_return for 10:1, no false_tick, no volume_spike).
    expect(d.splits.misattributed).toEqual({});
  });

  test("100× unit errors: toxic_return at the first bar, always", () => {
    for (const cls of ["crypto", "nyse"]) expect(rate(d.units.recall[cls]!)).toBe(1);
  });

  test("volume: a busy day (3, 5, 8 × the median) on the latest bar never vetoes the asset; 100 × mostly does", () => {
    for (const m of ["3x", "5x", "8x"]) expect(d.volume.toxic[m]!.hit).toBe(0);
    expect(rate(d.volume.toxic["100x"]!)).toBeGreaterThanOrEqual(0.9);
  });
});
