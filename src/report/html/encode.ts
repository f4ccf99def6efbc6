// Compact, lossy-where-harmless encodings of bars for the HTML report: prices as integers of five significant digits,
// closes delta-coded, timestamps as deltas in the series' own time unit. A 10-year daily series is a few kB this way.
import { lowerBound } from "../../calendar/sessions.ts";
import type { Bars } from "../../model/bars.ts";

/**
 * Bars packed for the page (see unpack in client.ts): value = integer × scale, time = t0 + Σ dt × unit (ms), with
 * `dt` run-length coded as [delta, times, delta, times, …] (regular bars make it a handful of numbers). Every integer
 * list is a varint string (see varints).
 */
export interface PackedBars {
  t0: number;
  unit: number;
  dt: string;
  scale: number;
  /** Closes, delta-coded from the previous finite close (null: not a finite number). */
  c: string;
  /** Open, high and low as offsets from the bar's close; absent for close-only series. */
  o?: string;
  h?: string;
  l?: string;
}

/** 64 characters that need no escaping in JSON or HTML: 0–31 end a number, 32–63 carry 5 more bits of it. */
export const VARINT_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/** Integers as a string: zigzag (sign in the low bit), 5 bits per character, low bits first; null is `~`. */
export function varints(values: readonly (number | null)[]): string {
  let out = "";
  for (const v of values) {
    if (v === null) {
      out += "~";
      continue;
    }
    let z = v < 0 ? -2 * v - 1 : 2 * v;
    while (z >= 32) {
      out += VARINT_ALPHABET[32 + (z % 32)];
      z = Math.floor(z / 32);
    }
    out += VARINT_ALPHABET[z];
  }
  return out;
}

/** True when every bar has open = high = low = close (a close-only feed such as FRED): drawn as a line. */
export function closeOnly(b: Bars): boolean {
  for (let i = 0; i < b.close.length; i++) {
    const c = b.close[i]!;
    if (b.open[i] !== c || b.high[i] !== c || b.low[i] !== c) return false;
  }
  return true;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The price step that keeps `digits` significant digits of the largest price. */
function priceScale(b: Bars, digits: number): number {
  let max = 0;
  for (const col of [b.open, b.high, b.low, b.close]) for (const x of col) if (Number.isFinite(x) && Math.abs(x) > max) max = Math.abs(x);
  return max > 0 ? 10 ** (Math.floor(Math.log10(max)) - digits + 1) : 1;
}

/** Pack bars (ascending timestamps) for the page, prices to `digits` significant digits of the largest. */
export function packBars(b: Bars, withOhlc: boolean, digits: number): PackedBars {
  const n = b.timestamp.length;
  const t0 = n ? b.timestamp[0]! : 0;
  let unit = 0;
  for (let i = 1; i < n; i++) unit = gcd(unit, Math.round(b.timestamp[i]! - t0));
  unit = Math.max(1, unit);
  const scale = priceScale(b, digits);
  const q = (x: number) => (Number.isFinite(x) ? Math.round(x / scale) : null);
  const dt: number[] = [];
  const c: (number | null)[] = [];
  const o: (number | null)[] = [];
  const h: (number | null)[] = [];
  const l: (number | null)[] = [];
  let prevT = t0;
  let prevC = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.round((b.timestamp[i]! - prevT) / unit);
    if (dt.length && dt[dt.length - 2] === d) dt[dt.length - 1]!++;
    else dt.push(d, 1);
    prevT = b.timestamp[i]!;
    const qc = q(b.close[i]!);
    c.push(qc === null ? null : qc - prevC);
    if (qc !== null) prevC = qc;
    if (withOhlc) {
      const base = qc ?? prevC;
      const off = (x: number) => {
        const v = q(x);
        return v === null ? null : v - base;
      };
      o.push(off(b.open[i]!));
      h.push(off(b.high[i]!));
      l.push(off(b.low[i]!));
    }
  }
  const packed: PackedBars = { t0, unit, dt: varints(dt), scale, c: varints(c) };
  return withOhlc ? { ...packed, o: varints(o), h: varints(h), l: varints(l) } : packed;
}

/** Aggregate bars into at most `buckets` candles (first open, highest high, lowest low, last close) for the overview. */
export function downsample(b: Bars, buckets: number): Bars {
  const n = b.timestamp.length;
  const k = Math.ceil(n / buckets);
  const m = Math.ceil(n / k);
  const out = { timestamp: new Float64Array(m), open: new Float64Array(m), high: new Float64Array(m), low: new Float64Array(m), close: new Float64Array(m) };
  for (let j = 0; j < m; j++) {
    const from = j * k;
    const to = Math.min(n, from + k);
    let hi = Number.NEGATIVE_INFINITY;
    let lo = Number.POSITIVE_INFINITY;
    let close = Number.NaN;
    let open = Number.NaN;
    for (let i = from; i < to; i++) {
      if (Number.isFinite(b.high[i]!)) hi = Math.max(hi, b.high[i]!);
      if (Number.isFinite(b.low[i]!)) lo = Math.min(lo, b.low[i]!);
      if (Number.isFinite(b.close[i]!)) close = b.close[i]!;
      if (open !== open && Number.isFinite(b.open[i]!)) open = b.open[i]!;
    }
    out.timestamp[j] = b.timestamp[from]!;
    out.open[j] = open;
    out.high[j] = hi === Number.NEGATIVE_INFINITY ? Number.NaN : hi;
    out.low[j] = lo === Number.POSITIVE_INFINITY ? Number.NaN : lo;
    out.close[j] = close;
  }
  return { ...out, volume: new Float64Array(m) };
}

/**
 * Index ranges [from, to) of full-detail windows: `radius` bars either side of each timestamp, overlapping windows
 * merged, at most `max` of them (the earliest timestamps first).
 */
export function detailWindows(b: Bars, timestamps: readonly number[], radius: number, max: number): [number, number][] {
  const n = b.timestamp.length;
  const idx = [...new Set(timestamps.map((t) => Math.min(n - 1, lowerBound(b.timestamp, t))))].sort((x, y) => x - y);
  const out: [number, number][] = [];
  for (const i of idx) {
    const from = Math.max(0, i - radius);
    const to = Math.min(n, i + radius + 1);
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else if (out.length < max) out.push([from, to]);
  }
  return out;
}
