/** Column-oriented OHLCV bars: timestamps are bar opens in UTC epoch milliseconds. */
export interface Bars {
  timestamp: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Corporate actions, when the vendor gives them (absent: the vendor says nothing about them). */
  actions?: CorporateActions;
}

/**
 * Corporate actions beside the bars, one value per bar, NaN where nothing is recorded (stored as null):
 * `adjClose` the vendor's adjusted close (splits and dividends), `dividend` the cash dividend going ex on that bar,
 * `split` the split factor taking effect on that bar (new shares per old share: 5 for 5:1, 0.1 for a 1:10 reverse split).
 */
export interface CorporateActions {
  adjClose: Float64Array;
  dividend: Float64Array;
  split: Float64Array;
}

export const PRICE_COLUMNS = ["open", "high", "low", "close"] as const;
export const BAR_COLUMNS = ["timestamp", "open", "high", "low", "close", "volume"] as const;
export const ACTION_COLUMNS = ["adjClose", "dividend", "split"] as const;

/** Allocate corporate-action columns of `n` bars, every value NaN (nothing recorded). */
export function allocActions(n: number): CorporateActions {
  return { adjClose: new Float64Array(n).fill(Number.NaN), dividend: new Float64Array(n).fill(Number.NaN), split: new Float64Array(n).fill(Number.NaN) };
}

/** True when any bar records a corporate action or an adjusted close. */
export function hasActions(a: CorporateActions | undefined): a is CorporateActions {
  if (!a) return false;
  for (const col of ACTION_COLUMNS) for (const x of a[col]) if (x === x) return true;
  return false;
}

/** The split factor the vendor recorded on bar `i` (new shares per old), or undefined when it recorded none. */
export function recordedSplit(b: Bars, i: number): number | undefined {
  const f = b.actions?.split[i];
  return f !== undefined && f > 0 && f !== 1 && f !== Infinity ? f : undefined;
}

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

/** Select rows by index into a new series (corporate actions travel with their bars). */
export function takeRows(b: Bars, idx: ArrayLike<number>): Bars {
  const out = allocBars(idx.length);
  for (const col of BAR_COLUMNS) {
    const src = b[col];
    const dst = out[col];
    for (let i = 0; i < idx.length; i++) dst[i] = src[idx[i]!]!;
  }
  if (b.actions) {
    const a = allocActions(idx.length);
    for (const col of ACTION_COLUMNS) for (let i = 0; i < idx.length; i++) a[col][i] = b.actions[col][idx[i]!]!;
    out.actions = a;
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
  // Either side's corporate actions are kept; rows of a side without them record none.
  const acts = a.actions || b.actions ? allocActions(na + nb) : undefined;
  if (acts) out.actions = acts;
  let i = 0;
  let j = 0;
  let k = 0;
  const copy = (src: Bars, r: number) => {
    for (const col of BAR_COLUMNS) out[col][k] = src[col][r]!;
    if (acts && src.actions) for (const col of ACTION_COLUMNS) acts[col][k] = src.actions[col][r]!;
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

/** How many incoming bars replace a stored bar at the same timestamp with different values (a vendor's revision). */
export function revisedBars(stored: Bars, incoming: Bars): number {
  const a = normalizeBars(stored);
  const b = normalizeBars(incoming);
  let i = 0;
  let n = 0;
  for (let j = 0; j < barCount(b); j++) {
    const t = b.timestamp[j]!;
    while (i < barCount(a) && a.timestamp[i]! < t) i++;
    if (i >= barCount(a) || a.timestamp[i] !== t) continue;
    // A value missing (NaN) on both sides is no revision.
    if (BAR_COLUMNS.some((col) => col !== "timestamp" && a[col][i] !== b[col][j] && !(Number.isNaN(a[col][i]!) && Number.isNaN(b[col][j]!)))) n++;
  }
  return n;
}

/** Rows [from, to) as views (no copy). */
export function sliceBars(b: Bars, from: number, to: number): Bars {
  const out: Bars = {
    timestamp: b.timestamp.subarray(from, to),
    open: b.open.subarray(from, to),
    high: b.high.subarray(from, to),
    low: b.low.subarray(from, to),
    close: b.close.subarray(from, to),
    volume: b.volume.subarray(from, to),
  };
  if (b.actions)
    out.actions = {
      adjClose: b.actions.adjClose.subarray(from, to),
      dividend: b.actions.dividend.subarray(from, to),
      split: b.actions.split.subarray(from, to),
    };
  return out;
}

/** Rows [from, to) as a copy (its own buffers: writing to it leaves `b` as it was); `to` defaults to the end. */
export function copyBars(b: Bars, from = 0, to = barCount(b)): Bars {
  const v = sliceBars(b, from, to);
  const out: Bars = {
    timestamp: v.timestamp.slice(),
    open: v.open.slice(),
    high: v.high.slice(),
    low: v.low.slice(),
    close: v.close.slice(),
    volume: v.volume.slice(),
  };
  if (v.actions) out.actions = { adjClose: v.actions.adjClose.slice(), dividend: v.actions.dividend.slice(), split: v.actions.split.slice() };
  return out;
}

/** True when both series hold identical values (corporate actions included; absent ones are all NaN). */
export function barsEqual(a: Bars, b: Bars): boolean {
  return barCount(a) === barCount(b) && sameRows(a, b, barCount(a));
}

/** True when `longer` is `base` with rows after it: its first rows are `base`'s, identical (as barsEqual judges). */
export function extendsBars(base: Bars, longer: Bars): boolean {
  return barCount(longer) > barCount(base) && sameRows(base, longer, barCount(base));
}

/** The first `n` rows of both are identical (corporate actions included; absent ones are all NaN). */
function sameRows(a: Bars, b: Bars, n: number): boolean {
  for (const col of BAR_COLUMNS) {
    const x = a[col];
    const y = b[col];
    for (let i = 0; i < n; i++) if (!Object.is(x[i], y[i])) return false;
  }
  if (!a.actions && !b.actions) return true;
  for (const col of ACTION_COLUMNS) {
    const x = a.actions?.[col];
    const y = b.actions?.[col];
    for (let i = 0; i < n; i++) if (!Object.is(x ? x[i] : Number.NaN, y ? y[i] : Number.NaN)) return false;
  }
  return true;
}
