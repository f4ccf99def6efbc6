import type { Bars } from "../model/bars.ts";
import { iso } from "../model/finding.ts";
import type { Flagged, OhlcBar } from "./pushdown.ts";
import { type Check, type CheckMeta, finding, MAX_EVIDENCE } from "./types.ts";

/** `ohlc_inconsistent`: high below open/close, low above open/close, or high < low. */
const meta = {
  rule: "high below open or close, low above open or close, or high below low",
  severity: "warning",
  options: {},
  example: "1 bars with inconsistent OHLC",
} as const satisfies CheckMeta;

/** The inconsistent bars of `b` in order: the first MAX_EVIDENCE and the count. */
function scan(b: Bars): Flagged<OhlcBar> {
  const { timestamp, open, high, low, close } = b;
  const first: OhlcBar[] = [];
  let count = 0;
  for (let i = 0; i < timestamp.length; i++) {
    const o = open[i]!;
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    // NaN compares false everywhere: bad_value owns non-finite prices.
    if (h < o || h < c || l > o || l > c || h < l) {
      count++;
      if (first.length < MAX_EVIDENCE) first.push({ ts: timestamp[i]!, open: o, high: h, low: l, close: c });
    }
  }
  return { count, first };
}

export const ohlcInconsistent: Check = {
  code: "ohlc_inconsistent",
  meta,
  run(input, opts) {
    // The store's own query (pushdown.ts) when it answered for these bars, else a scan of them.
    const { count, first } = input.pushed?.ohlc_inconsistent ?? scan(input.bars);
    if (!count) return [];
    const bars = first.map((b) => ({ timestamp: iso(b.ts), open: b.open, high: b.high, low: b.low, close: b.close }));
    return [finding(input, "ohlc_inconsistent", opts.severity("warning"), `${count} bars with inconsistent OHLC`, { bars: count }, { bars })];
  },
};
