// Build check inputs from plain arrays, so check tests read like the cases in the spec.
import type { Calendar } from "../../src/calendar/types.ts";
import { type CheckInput, type CheckOptions, checkOptions } from "../../src/checks/types.ts";
import type { Config } from "../../src/config/schema.ts";
import { allocBars, type Bars } from "../../src/model/bars.ts";

const DAY = 86_400_000;

/** Per-column overrides for `makeBars`: a number fills the column, an array gives it bar by bar. */
export interface MakeBarsOptions {
  open?: number | readonly number[];
  high?: number | readonly number[];
  low?: number | readonly number[];
  volume?: number | readonly number[];
  /** First bar open (default 2024-01-01). */
  start?: string;
  stepMs?: number;
}

/** Daily bars from 2024-01-01 with the given closes; open = high = low = close unless given, volume 1000 unless given. */
export function makeBars(closes: readonly number[], opts: MakeBarsOptions = {}): Bars {
  const b = allocBars(closes.length);
  const t0 = Date.parse(opts.start ?? "2024-01-01");
  const step = opts.stepMs ?? DAY;
  const pick = (col: number | readonly number[] | undefined, i: number, dflt: number) =>
    col === undefined ? dflt : typeof col === "number" ? col : (col[i] ?? dflt);
  closes.forEach((c, i) => {
    b.timestamp[i] = t0 + i * step;
    b.open[i] = pick(opts.open, i, c);
    b.high[i] = pick(opts.high, i, c);
    b.low[i] = pick(opts.low, i, c);
    b.close[i] = c;
    b.volume[i] = pick(opts.volume, i, 1000);
  });
  return b;
}

/** A CheckInput over `bars` (a crypto daily series unless overridden); the calendar is a stub these checks never call. */
export function makeInput(bars: Bars, overrides: Partial<CheckInput> & Record<string, unknown> = {}): CheckInput {
  const n = bars.timestamp.length;
  return {
    symbol: "BINANCE:BTCUSDT",
    interval: "1d",
    profile: "crypto",
    raw: bars,
    bars,
    calendar: { profile: "crypto" } as Calendar,
    nowMs: (n ? bars.timestamp[n - 1]! : Date.parse("2024-01-01")) + DAY,
    ...overrides,
  };
}

/** Options of check `code` as the config file would give them (`checks.<code>.*`). */
export function makeOptions(code: string, values: Record<string, unknown> = {}): CheckOptions {
  return checkOptions({ checks: { [code]: values } } as unknown as Config, code);
}
