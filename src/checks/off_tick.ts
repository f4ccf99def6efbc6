import { PRICE_COLUMNS } from "../model/bars.ts";
import { iso } from "../model/finding.ts";
import { type Check, type CheckMeta, finding } from "./types.ts";

/** Options under `checks.off_tick.*` and their defaults. */
export const OFF_TICK_DEFAULTS = {
  /** How far from the grid a price may sit, in ticks, before it is off-tick (see `offTicks`). */
  tolerance: 1e-3,
  /** Examples listed in `details.examples`. */
  examples: 10,
} as const;

/** 2⁻⁵⁰: the relative slack for the three roundings in price / tick (price, tick and the division, each ≤ 2⁻⁵³). */
const RELATIVE_SLACK = 2 ** -50;

/**
 * How far `price` sits from the nearest multiple of `tick`, in ticks, beyond what floating point explains; 0 when on the
 * grid. Prices and ticks arrive as decimals rounded to doubles, and the division rounds again, so k = price / tick
 * carries a relative error of a few 2⁻⁵³: |k − round(k)| up to |k|·2⁻⁵⁰ is rounding, not an off-grid price. On top,
 * `tolerance` (default 0.001 of a tick) absorbs vendors that store prices computed in binary (101.17999999999999)
 * or as 32-bit floats (about 7 significant digits: 101.18 → 101.18000030517578).
 */
export function offTicks(price: number, tick: number, tolerance: number = OFF_TICK_DEFAULTS.tolerance): number {
  const k = price / tick;
  const off = Math.abs(k - Math.round(k));
  return off > tolerance + Math.abs(k) * RELATIVE_SLACK ? off : 0;
}

const meta = {
  rule: "prices off the instrument's tick grid (tickSize from the config or instruments.json) by more than tolerance ticks, with the count and first examples; series without a tickSize are not judged",
  severity: "warning",
  options: {
    tolerance: { default: OFF_TICK_DEFAULTS.tolerance, min: 0, description: "how far from the grid a price may sit, in ticks" },
    examples: { default: OFF_TICK_DEFAULTS.examples, min: 0, integer: true, description: "examples listed in details.examples" },
  },
  example: "12 of 250 bars have prices off the 0.01 tick grid (first 2024-03-04T00:00:00.000Z: close 101.004)",
} as const satisfies CheckMeta;

/** `off_tick`: prices off the instrument's tick grid (`tickSize` from config.instruments or instruments.json); warning. */
export const offTick: Check = {
  code: "off_tick",
  meta,
  run(input, opts) {
    const tick = input.tickSize;
    if (tick === undefined || !(tick > 0) || tick === Infinity) return [];
    const tolerance = opts.number("tolerance", OFF_TICK_DEFAULTS.tolerance);
    const max = Math.max(0, Math.floor(opts.number("examples", OFF_TICK_DEFAULTS.examples)));
    const b = input.bars;
    const examples: Record<string, unknown>[] = [];
    let bars = 0;
    let prices = 0;
    for (let i = 0; i < b.timestamp.length; i++) {
      let hit = false;
      for (const col of PRICE_COLUMNS) {
        const p = b[col][i]!;
        if (!(p > 0) || p === Infinity) continue; // bad_value's finding
        const off = offTicks(p, tick, tolerance);
        if (!off) continue;
        prices++;
        hit = true;
        if (examples.length < max)
          examples.push({
            timestamp: iso(b.timestamp[i]!),
            column: col,
            price: p,
            nearest: Number((Math.round(p / tick) * tick).toPrecision(15)),
            offTicks: Number(off.toPrecision(4)),
          });
      }
      if (hit) bars++;
    }
    if (!bars) return [];
    const n = b.timestamp.length;
    // Mostly off the grid is rarely a bad print: split- or dividend-adjusted prices, or a tickSize that is wrong.
    const hint = bars * 2 > n ? "; most bars are off the grid: adjusted prices, or a wrong tickSize?" : "";
    const first = examples[0];
    const at = first ? ` (first ${first.column} ${first.price} on ${String(first.timestamp)})` : "";
    return [
      finding(
        input,
        "off_tick",
        opts.severity("warning"),
        `${bars} of ${n} bars have prices off the ${tick} tick grid${at}${hint}`,
        { bars, prices, tickSize: tick },
        { examples },
      ),
    ];
  },
};
