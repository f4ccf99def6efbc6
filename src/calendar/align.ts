import type { Interval } from "../model/interval.ts";
import type { Calendar } from "./types.ts";

/** A run of consecutive expected bars that are absent: bar opens `fromMs`..`toMs` inclusive. */
export interface MissingRange {
  fromMs: number;
  toMs: number;
  bars: number;
}

/** Sorted unique bar opens compared with the calendar's expected opens over a window. */
export interface Alignment {
  /** Expected bar opens in the window. */
  expected: number;
  /** Bars in the window that are expected (each counted once). */
  observed: number;
  /** Missing runs, oldest first. */
  missing: MissingRange[];
  /** Bars in the window the calendar does not expect (weekends, holidays, off-grid), ascending. */
  offCalendar: number[];
}

/**
 * The window a series is judged over: from its first bar (or the recorded genesis when that is earlier, so a hole
 * between genesis and the first bar counts) to its last bar. Undefined for an empty series.
 */
export function seriesWindow(timestamps: Float64Array, genesisMs?: number): { fromMs: number; toMs: number } | undefined {
  if (timestamps.length === 0) return undefined;
  const first = timestamps[0]!;
  const fromMs = genesisMs !== undefined && Number.isFinite(genesisMs) && genesisMs < first ? genesisMs : first;
  return { fromMs, toMs: timestamps[timestamps.length - 1]! };
}

/**
 * Walk sorted unique timestamps against the expected opens in [fromMs, toMs] in one merge pass (O(n + m):
 * a year of 1m bars takes a few milliseconds, no per-bar calendar lookups).
 */
export function align(calendar: Calendar, interval: Interval, timestamps: Float64Array, fromMs: number, toMs: number): Alignment {
  const exp = calendar.expected(interval, fromMs, toMs);
  const missing: MissingRange[] = [];
  const offCalendar: number[] = [];
  let observed = 0;
  let j = 0;
  const n = timestamps.length;
  while (j < n && timestamps[j]! < fromMs) j++;
  let runStart = -1;
  for (let i = 0; i < exp.length; i++) {
    const e = exp[i]!;
    while (j < n && timestamps[j]! < e) offCalendar.push(timestamps[j++]!);
    if (j < n && timestamps[j] === e) {
      observed++;
      j++;
      if (runStart >= 0) {
        missing.push({ fromMs: exp[runStart]!, toMs: exp[i - 1]!, bars: i - runStart });
        runStart = -1;
      }
    } else if (runStart < 0) runStart = i;
  }
  if (runStart >= 0) missing.push({ fromMs: exp[runStart]!, toMs: exp[exp.length - 1]!, bars: exp.length - runStart });
  while (j < n && timestamps[j]! <= toMs) offCalendar.push(timestamps[j++]!);
  return { expected: exp.length, observed, missing, offCalendar };
}
