/** --price adjusted: scaling a candle by adjClose ÷ close keeps OHLC consistent, exactly, for any positive prices. */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ohlcInconsistent } from "../../src/checks/ohlc_inconsistent.ts";
import { allocActions, allocBars } from "../../src/model/bars.ts";
import { choosePrice } from "../../src/pipeline/price.ts";
import { makeInput, makeOptions } from "../helpers/bars.ts";

const SEED = 20261202;
const price = fc.double({ min: 1e-6, max: 1e9, noNaN: true, noDefaultInfinity: true });
const candle = fc.tuple(price, price, price, price, fc.double({ min: 1e-4, max: 1e4, noNaN: true })).map(([a, b, c, d, k]) => {
  const [low, x, y, high] = [a, b, c, d].sort((p, q) => p - q) as [number, number, number, number];
  return { open: x, close: y, high, low, adjFactor: k };
});

describe("choosePrice", () => {
  test("adjusted candles stay consistent (low ≤ open, close ≤ high), the close is the adjusted close, volume untouched", () => {
    fc.assert(
      fc.property(fc.array(candle, { minLength: 1, maxLength: 40 }), (candles) => {
        const n = candles.length;
        const b = allocBars(n);
        const a = allocActions(n);
        candles.forEach((c, i) => {
          b.timestamp[i] = Date.UTC(2024, 0, 1) + i * 86_400_000;
          b.open[i] = c.open;
          b.high[i] = c.high;
          b.low[i] = c.low;
          b.close[i] = c.close;
          b.volume[i] = 100 + i;
          a.adjClose[i] = c.close * c.adjFactor;
        });
        const adj = choosePrice({ ...b, actions: a }, "adjusted");
        for (let i = 0; i < n; i++) {
          expect(adj.low[i]!).toBeLessThanOrEqual(Math.min(adj.open[i]!, adj.close[i]!));
          expect(adj.high[i]!).toBeGreaterThanOrEqual(Math.max(adj.open[i]!, adj.close[i]!));
          expect(Math.abs(adj.close[i]! - a.adjClose[i]!)).toBeLessThanOrEqual(Math.abs(a.adjClose[i]!) * 4 * Number.EPSILON);
          expect(adj.volume[i]).toBe(b.volume[i]!);
        }
        expect(ohlcInconsistent.run(makeInput(adj), makeOptions("ohlc_inconsistent"))).toEqual([]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  test("raw, or a series without any adjusted close, is returned as sent; a bar missing its adjusted close gets NaN prices", () => {
    const b = allocBars(2);
    b.close.set([10, 20]);
    b.open.set([10, 20]);
    b.high.set([11, 21]);
    b.low.set([9, 19]);
    expect(choosePrice(b, "adjusted")).toBe(b);
    const a = allocActions(2);
    a.adjClose[0] = 5;
    const withAdj = { ...b, actions: a };
    expect(choosePrice(withAdj, "raw")).toBe(withAdj);
    const adj = choosePrice(withAdj, "adjusted");
    expect(Array.from(adj.close)).toEqual([5, Number.NaN]);
    expect(Array.from(adj.high)).toEqual([5.5, Number.NaN]);
  });
});
