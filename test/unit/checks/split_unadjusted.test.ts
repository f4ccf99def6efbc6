/** split_unadjusted: a split the vendor recorded that shows as a price step; a recorded split without a step is adjusted. */
import { describe, expect, test } from "bun:test";
import { plantSplit } from "../../../bench/gbm.ts";
import { calendarFor } from "../../../src/calendar/index.ts";
import { resolveCheckOptions, runChecks } from "../../../src/checks/index.ts";
import { findUnadjustedSplits, splitUnadjusted } from "../../../src/checks/split_unadjusted.ts";
import { allocActions, type Bars } from "../../../src/model/bars.ts";
import { makeInput, makeOptions } from "../../helpers/bars.ts";
import { nyseSeries } from "../../helpers/gbm-series.ts";

const nyse = (n: number, sigma = 0.02, seed = 11) => nyseSeries(n, sigma, seed);

/** Record a split of `factor` on bar `i` (as a vendor's Stock Splits column or split event would). */
function recordSplit(b: Bars, i: number, factor: number): Bars {
  const a = allocActions(b.timestamp.length);
  a.split[i] = factor;
  return { ...b, actions: a };
}

const equity = (b: Bars) => makeInput(b, { profile: "equity", symbol: "NASDAQ:X", calendar: calendarFor("equity") });
const run = (b: Bars) => splitUnadjusted.run(makeInput(b, { profile: "equity", symbol: "NASDAQ:X" }), makeOptions("split_unadjusted"));

describe("split_unadjusted", () => {
  test.each([2, 3, 5, 10, 1.25, 0.5, 0.1])("a recorded %p split the prices show as a step: error, toxic, with bar, factor and observed ratio", (factor) => {
    const base = nyse(300);
    const i = 200;
    const b = recordSplit(plantSplit(base, i, factor), i, factor);
    const [f] = run(b);
    expect(f).toMatchObject({ code: "split_unadjusted", severity: "error", toxic: true, metrics: { splits: 1 } });
    const ev = (f!.details!.splits as Record<string, number | string>[])[0]!;
    expect(ev.timestamp).toBe(new Date(b.timestamp[i]!).toISOString());
    expect(ev.factor).toBe(factor);
    expect(ev.expectedRatio).toBeCloseTo(1 / factor, 5);
    expect(ev.ratio as number).toBeCloseTo(b.close[i]! / b.close[i - 1]!, 5);
  });

  test("a recorded split with no step (the series is adjusted) raises nothing, even on a −30 % day", () => {
    const base = nyse(300);
    expect(run(recordSplit(base, 200, 2))).toEqual([]);
    // An adjusted 2:1 split on a crash day: the close is nearer ½ than 1, but the open sits at the previous close.
    const crash = { ...base, close: base.close.slice(), low: base.low.slice() };
    crash.close[200] = base.open[200]! * 0.7;
    crash.low[200] = Math.min(crash.low[200]!, crash.close[200]!);
    expect(findUnadjustedSplits(recordSplit(crash, 200, 2))).toEqual([]);
  });

  test("no recorded split, no judgement; a split on the first bar or next to a bad close is not judged", () => {
    const base = nyse(100);
    expect(run(plantSplit(base, 50, 5))).toEqual([]);
    expect(run(recordSplit(plantSplit(base, 0, 5), 0, 5))).toEqual([]);
    const bad = recordSplit(plantSplit(base, 50, 5), 50, 5);
    bad.close[49] = Number.NaN;
    expect(run(bad)).toEqual([]);
  });

  test("through runChecks: reported once, as split_unadjusted — not also as split_suspected or toxic_return", () => {
    const base = nyse(300, 0.01);
    const b = recordSplit(plantSplit(base, 200, 10), 200, 10);
    const codes = runChecks(equity(b), resolveCheckOptions({})).map((f) => f.code);
    expect(codes).toContain("split_unadjusted");
    expect(codes).not.toContain("split_suspected");
    expect(codes).not.toContain("toxic_return");
    // Without the vendor's record the same series is split_suspected's.
    const plain = runChecks(equity(plantSplit(base, 200, 10)), resolveCheckOptions({})).map((f) => f.code);
    expect(plain).toContain("split_suspected");
    expect(plain).not.toContain("split_unadjusted");
  });

  test("severity off silences it; the option is validated like every check's", () => {
    const b = recordSplit(plantSplit(nyse(100), 50, 5), 50, 5);
    const codes = runChecks(equity(b), resolveCheckOptions({ checks: { split_unadjusted: { severity: "off" } } })).map((f) => f.code);
    expect(codes).not.toContain("split_unadjusted");
  });
});
