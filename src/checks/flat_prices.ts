import { type Check, type CheckMeta, finding } from "./types.ts";

/** `flat_prices`: every close identical (needs at least `minBars` bars, default 2). */
const meta = {
  rule: "every close of the series is identical",
  severity: "warning",
  options: { minBars: { default: 2, min: 1, integer: true, description: "judge only series with at least this many bars" } },
  example: "all 730 closes equal 1",
} as const satisfies CheckMeta;

export const flatPrices: Check = {
  code: "flat_prices",
  meta,
  run(input, opts) {
    const c = input.bars.close;
    const minBars = opts.number("minBars", meta.options.minBars.default);
    if (c.length < minBars) return [];
    for (let i = 1; i < c.length; i++) if (c[i] !== c[0]) return [];
    return [finding(input, "flat_prices", opts.severity("warning"), `all ${c.length} closes equal ${c[0]}`, { bars: c.length }, { close: c[0] })];
  },
};
