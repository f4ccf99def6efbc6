/**
 * The timestamps dqctl accepts anywhere, on input and on decode: from 1900-01-01T00:00Z (inclusive) to
 * 2200-01-01T00:00Z (exclusive). Anything outside is a corrupt byte or a misread unit, never a bar: letting it
 * through makes calendars span millennia (out of memory) and ISO formatting throw (Invalid Date).
 */
export const MIN_TIMESTAMP_MS = Date.UTC(1900, 0, 1);
/** Exclusive upper bound of the window. */
export const MAX_TIMESTAMP_MS = Date.UTC(2200, 0, 1);
/** The window as error messages and the README write it. */
export const TIME_WINDOW_TEXT = "1900-01-01 … 2200-01-01 UTC";

/** True when `ms` (epoch milliseconds) lies in the window; NaN and ±Infinity never do. */
export function inTimeWindow(ms: number): boolean {
  return ms >= MIN_TIMESTAMP_MS && ms < MAX_TIMESTAMP_MS;
}

/** Largest |ms| a Date can hold (±275,760 years); beyond it `toISOString` throws. */
const DATE_LIMIT_MS = 8.64e15;

/** Epoch milliseconds as ISO text when a Date can show them, else as the number: safe for any value. */
export function describeMs(ms: number): string {
  if (Number.isFinite(ms) && Math.abs(ms) <= DATE_LIMIT_MS) return new Date(Math.trunc(ms)).toISOString();
  return `${ms} ms since 1970-01-01`;
}

/** Index of the first timestamp outside the window (or NaN), or -1 when all are inside. */
export function firstOutsideWindow(ts: ArrayLike<number>): number {
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (!(t >= MIN_TIMESTAMP_MS && t < MAX_TIMESTAMP_MS)) return i;
  }
  return -1;
}
