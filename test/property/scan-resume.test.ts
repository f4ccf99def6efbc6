// The windowed scanners resumed from a prefix's scans find exactly what a scan of the whole series finds (the
// incremental audit's contract, audit-tail.ts): seeded GBM series with planted false ticks, splits, unit errors and
// volume spikes on both sides of the cut, runChecks over the prefix then over the grown series, finding by finding.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { makeSeries, plantSpike, plantSplit, plantUnitError } from "../../bench/gbm.ts";
import { calendarFor } from "../../src/calendar/index.ts";
import { resolveCheckOptions, runChecks } from "../../src/checks/index.ts";
import { type ScanMemo, scansOf } from "../../src/checks/scans.ts";
import type { CheckInput } from "../../src/checks/types.ts";
import { type Bars, barCount, copyBars } from "../../src/model/bars.ts";

const DAY = 86_400_000;
const START = Date.UTC(2020, 0, 1);
const options = resolveCheckOptions({});

const input = (bars: Bars, profile: "crypto" | "equity", scans: ScanMemo): CheckInput => ({
  symbol: profile === "crypto" ? "BINANCE:XUSDT" : "NASDAQ:X",
  interval: "1d",
  profile,
  raw: bars,
  bars,
  calendar: calendarFor(profile === "crypto" ? "crypto" : "XNAS"),
  nowMs: START + 4000 * DAY,
  scans,
});

type Defect = { kind: "spike" | "split" | "unit" | "volume"; at: number; factor: number };

const defect: fc.Arbitrary<Defect> = fc.record({
  kind: fc.constantFrom("spike" as const, "split" as const, "unit" as const, "volume" as const),
  at: fc.nat(1999),
  factor: fc.constantFrom(2, 3, 0.5, 10, 0.2, 1.25),
});

function plant(b: Bars, d: Defect): Bars {
  const at = d.at % barCount(b);
  if (d.kind === "spike") return plantSpike(b, at, d.factor);
  if (d.kind === "split") return plantSplit(b, at, d.factor);
  if (d.kind === "unit") return plantUnitError(b, at, 3, d.factor);
  const out = copyBars(b);
  out.volume[at] = out.volume[at]! * 60 * d.factor;
  return out;
}

describe("resumed scans", () => {
  test("a series grown at the end: runChecks with the prefix's scans reports what a whole scan reports", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1 << 30 }),
        fc.integer({ min: 40, max: 1400 }),
        fc.integer({ min: 1, max: 700 }),
        fc.array(defect, { maxLength: 5 }),
        fc.constantFrom("crypto" as const, "equity" as const),
        (seed, head, grow, defects, profile) => {
          const n = head + grow;
          const timestamps = Float64Array.from({ length: n }, (_, i) => START + i * DAY);
          let bars = makeSeries({ seed, timestamps, sigma: 0.02, overnight: profile === "crypto" ? 0 : 0.3 }).bars;
          // Half the defects land near the cut, where the resumed look-back must see them.
          for (const [k, d] of defects.entries()) bars = plant(bars, k % 2 ? { ...d, at: Math.max(0, head - 3 + (d.at % 8)) } : d);
          const first: ScanMemo = {};
          runChecks(input(copyBars(bars, 0, head), profile, first), options);
          const whole = runChecks(input(bars, profile, {}), options);
          const resumed = runChecks(input(bars, profile, { prior: scansOf(first, head) }), options);
          expect(resumed).toEqual(whole);
        },
      ),
      { seed: 1818, numRuns: 250 },
    );
  }, 120_000);
});
