import { describe, expect, test } from "bun:test";
import { OFF_TICK_DEFAULTS, offTick, offTicks } from "../../../src/checks/off_tick.ts";
import type { CheckInput } from "../../../src/checks/types.ts";
import { makeBars, makeInput, makeOptions } from "../../helpers/bars.ts";

const run = (closes: number[], input: Partial<CheckInput>, opts: Record<string, unknown> = {}) =>
  offTick.run(makeInput(makeBars(closes), input), makeOptions("off_tick", opts));

describe("off_tick: prices off the instrument's tick grid", () => {
  test("defaults are the documented ones", () => {
    expect(OFF_TICK_DEFAULTS).toEqual({ tolerance: 1e-3, examples: 10 });
  });

  test("decimals that are on the grid stay on it after binary rounding, float32 storage and large prices", () => {
    for (const [p, t] of [
      [101.18, 0.01],
      [101.17999999999999, 0.01],
      [Math.fround(101.18), 0.01],
      [0.1 + 0.2, 0.1],
      [1.23456, 0.00001],
      [98765.43, 0.01],
      [4321.25, 0.25],
      [1e6 + 0.00001, 0.00001],
    ]) {
      expect(offTicks(p!, t!)).toBe(0);
    }
  });

  test("a price half a tick off is off by 0.5 ticks; a tenth of a cent on a cent grid by 0.1", () => {
    expect(offTicks(101.175, 0.01)).toBeCloseTo(0.5, 6);
    expect(offTicks(101.181, 0.01)).toBeCloseTo(0.1, 6);
    expect(offTicks(4321.3, 0.25)).toBeCloseTo(0.2, 6);
  });

  test("a warning with the count and the first examples; nothing without a tickSize", () => {
    const closes = [100.01, 100.02, 100.025, 100.03, 100.0333, 100.04];
    expect(run(closes, {})).toEqual([]);
    const [f] = run(closes, { tickSize: 0.01 });
    expect(f!.severity).toBe("warning");
    // Every price column of a bar is judged (makeBars sets open = high = low = close): 2 bars, 8 prices.
    expect(f!.metrics).toEqual({ bars: 2, prices: 8, tickSize: 0.01 });
    const ex = f!.details!.examples as { timestamp: string; column: string; price: number; nearest: number; offTicks: number }[];
    expect(ex[0]).toEqual({ timestamp: "2024-01-03T00:00:00.000Z", column: "open", price: 100.025, nearest: 100.03, offTicks: 0.5 });
    expect(f!.message).toBe("2 of 6 bars have prices off the 0.01 tick grid (first open 100.025 on 2024-01-03T00:00:00.000Z)");
    expect(run(closes, { tickSize: 0.01 }, { examples: 1 })[0]!.details!.examples).toHaveLength(1);
  });

  test("mostly off the grid hints at adjusted prices or a wrong tickSize", () => {
    const [f] = run([100.013, 100.027, 100.031], { tickSize: 0.01 });
    expect(f!.message).toContain("adjusted prices, or a wrong tickSize?");
  });

  test("tolerance is configurable", () => {
    expect(run([100.0101], { tickSize: 0.01 })).toHaveLength(1);
    expect(run([100.0101], { tickSize: 0.01 }, { tolerance: 0.02 })).toEqual([]);
  });
});
