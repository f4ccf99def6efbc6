// Seeded GBM daily bars (bench/gbm.ts: Student-t(4) shocks, persistent lognormal volumes) on a real calendar, ending
// 2026-11-20, for the check tests: the same seed gives the same bars in every test that asks for them.
import { makeSeries } from "../../bench/gbm.ts";
import { calendarFor } from "../../src/calendar/index.ts";
import type { Bars } from "../../src/model/bars.ts";

const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 20);

/** `n` daily bars of a 24/7 market (every day a session; each bar opens at the previous close). */
export function cryptoSeries(n: number, sigma: number, seed: number): Bars {
  return makeSeries({ seed, timestamps: calendarFor("crypto").expected("1d", END - (n - 1) * DAY, END), sigma, overnight: 0 }).bars;
}

/** The last `n` NYSE sessions up to END, 30 % of the return's variance overnight (real open gaps). */
export function nyseSeries(n: number, sigma: number, seed: number): Bars {
  const sessions = calendarFor("equity")
    .expected("1d", END - 2 * n * DAY, END)
    .slice(-n);
  return makeSeries({ seed, timestamps: sessions, sigma, overnight: 0.3 }).bars;
}
