/** Column-oriented OHLCV bars: timestamps are bar opens in UTC epoch milliseconds. */
export interface Bars {
  timestamp: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export const PRICE_COLUMNS = ["open", "high", "low", "close"] as const;
export const BAR_COLUMNS = ["timestamp", "open", "high", "low", "close", "volume"] as const;

/** Allocate a zeroed series of `n` bars. */
export function allocBars(n: number): Bars {
  return {
    timestamp: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
}

/** Number of bars. */
export function barCount(b: Bars): number {
  return b.timestamp.length;
}

/** Select rows by index into a new series. */
export function takeRows(b: Bars, idx: ArrayLike<number>): Bars {
  const out = allocBars(idx.length);
  for (const col of BAR_COLUMNS) {
    const src = b[col];
    const dst = out[col];
    for (let i = 0; i < idx.length; i++) dst[i] = src[idx[i]!]!;
  }
  return out;
}

/** Sort ascending by timestamp; on equal timestamps the later row wins (stable, last write wins). */
export function normalizeBars(b: Bars): Bars {
  const n = barCount(b);
  let sortedUnique = true;
  for (let i = 1; i < n; i++) {
    if (!(b.timestamp[i]! > b.timestamp[i - 1]!)) {
      sortedUnique = false;
      break;
    }
  }
  if (sortedUnique) return b;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((x, y) => b.timestamp[x]! - b.timestamp[y]! || x - y);
  const keep: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const next = order[k + 1];
    if (next !== undefined && b.timestamp[next] === b.timestamp[i]) continue;
    keep.push(i);
  }
  return takeRows(b, keep);
}

/** Merge stored and incoming bars: an incoming bar replaces the stored bar at the same timestamp. */
export function mergeBars(stored: Bars, incoming: Bars): Bars {
  const a = normalizeBars(stored);
  const b = normalizeBars(incoming);
  const na = barCount(a);
  const nb = barCount(b);
  const out = allocBars(na + nb);
  let i = 0;
  let j = 0;
  let k = 0;
  const copy = (src: Bars, r: number) => {
    for (const col of BAR_COLUMNS) out[col][k] = src[col][r]!;
    k++;
  };
  while (i < na || j < nb) {
    if (j >= nb || (i < na && a.timestamp[i]! < b.timestamp[j]!)) copy(a, i++);
    else if (i >= na || b.timestamp[j]! < a.timestamp[i]!) copy(b, j++);
    else {
      copy(b, j++);
      i++;
    }
  }
  return sliceBars(out, 0, k);
}

/** Rows [from, to) as views (no copy). */
export function sliceBars(b: Bars, from: number, to: number): Bars {
  return {
    timestamp: b.timestamp.subarray(from, to),
    open: b.open.subarray(from, to),
    high: b.high.subarray(from, to),
    low: b.low.subarray(from, to),
    close: b.close.subarray(from, to),
    volume: b.volume.subarray(from, to),
  };
}

/** True when both series hold identical values. */
export function barsEqual(a: Bars, b: Bars): boolean {
  if (barCount(a) !== barCount(b)) return false;
  for (const col of BAR_COLUMNS) {
    const x = a[col];
    const y = b[col];
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  return true;
}
