import { type Check, finding } from "./types.ts";

/** `flat_prices`: every close identical (needs at least `minBars` bars, default 2). */
export const flatPrices: Check = {
  code: "flat_prices",
  run(input, opts) {
    const c = input.bars.close;
    const minBars = opts.number("minBars", 2);
    if (c.length < minBars) return [];
    for (let i = 1; i < c.length; i++) if (c[i] !== c[0]) return [];
    return [finding(input, "flat_prices", opts.severity("warning"), `all ${c.length} closes equal ${c[0]}`, { bars: c.length }, { close: c[0] })];
  },
};
