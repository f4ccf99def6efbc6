import { iso } from "../model/finding.ts";
import { type Check, type CheckMeta, finding, MAX_EVIDENCE } from "./types.ts";

/** `ohlc_inconsistent`: high below open/close, low above open/close, or high < low. */
const meta = {
  rule: "high below open or close, low above open or close, or high below low",
  severity: "warning",
  options: {},
  example: "1 bars with inconsistent OHLC",
} as const satisfies CheckMeta;

export const ohlcInconsistent: Check = {
  code: "ohlc_inconsistent",
  meta,
  run(input, opts) {
    const { timestamp, open, high, low, close } = input.bars;
    const bars: Record<string, unknown>[] = [];
    let count = 0;
    for (let i = 0; i < timestamp.length; i++) {
      const o = open[i]!;
      const h = high[i]!;
      const l = low[i]!;
      const c = close[i]!;
      // NaN compares false everywhere: bad_value owns non-finite prices.
      if (h < o || h < c || l > o || l > c || h < l) {
        count++;
        if (bars.length < MAX_EVIDENCE) bars.push({ timestamp: iso(timestamp[i]!), open: o, high: h, low: l, close: c });
      }
    }
    if (!count) return [];
    return [finding(input, "ohlc_inconsistent", opts.severity("warning"), `${count} bars with inconsistent OHLC`, { bars: count }, { bars })];
  },
};
