import { allocBars, type Bars } from "../../src/model/bars.ts";

/** Daily bars from `startIso` with the given closes; OHLC derived, volume 1000. */
export function dailyBars(closes: number[], startIso = "2024-01-01"): Bars {
  const b = allocBars(closes.length);
  const t0 = Date.parse(startIso);
  for (const [i, c] of closes.entries()) setBar(b, i, t0 + i * 86_400_000, c);
  return b;
}

/** Bar `i` at time `t` around close `c`: open = close, high and low 1 % either side, volume 1000. */
export function setBar(b: Bars, i: number, t: number, c: number): void {
  b.timestamp[i] = t;
  b.open[i] = c;
  b.high[i] = c * 1.01;
  b.low[i] = c * 0.99;
  b.close[i] = c;
  b.volume[i] = 1000;
}
