import { allocBars, BAR_COLUMNS, type Bars, normalizeBars } from "../model/bars.ts";

/** Grows typed-array bars row by row; `build()` returns them sorted and unique (last row wins). */
export class BarBuilder {
  private b: Bars;
  private n = 0;
  constructor(capacity = 256) {
    this.b = allocBars(Math.max(1, capacity));
  }

  /** Append one bar. */
  push(t: number, o: number, h: number, l: number, c: number, vol: number): void {
    if (this.n === this.b.timestamp.length) {
      const bigger = allocBars(this.n * 2);
      for (const col of BAR_COLUMNS) bigger[col].set(this.b[col]);
      this.b = bigger;
    }
    const i = this.n++;
    this.b.timestamp[i] = t;
    this.b.open[i] = o;
    this.b.high[i] = h;
    this.b.low[i] = l;
    this.b.close[i] = c;
    this.b.volume[i] = vol;
  }

  /** Rows pushed so far. */
  get length(): number {
    return this.n;
  }

  /** The bars, sorted ascending with unique timestamps. */
  build(): Bars {
    const out = allocBars(this.n);
    for (const col of BAR_COLUMNS) out[col].set(this.b[col].subarray(0, this.n));
    return normalizeBars(out);
  }
}

/** Keep bars whose timestamp lies in [fromMs, toMs] (either bound optional). */
export function clipBars(b: Bars, fromMs?: number, toMs?: number): Bars {
  const keep: number[] = [];
  for (let i = 0; i < b.timestamp.length; i++) {
    const t = b.timestamp[i]!;
    if ((fromMs === undefined || t >= fromMs) && (toMs === undefined || t <= toMs)) keep.push(i);
  }
  if (keep.length === b.timestamp.length) return b;
  const out = allocBars(keep.length);
  for (const col of BAR_COLUMNS) {
    for (let k = 0; k < keep.length; k++) out[col][k] = b[col][keep[k]!]!;
  }
  return out;
}

/** Concatenate series, then normalise (overlaps between request windows collapse, later part wins). */
export function concatBars(parts: readonly Bars[]): Bars {
  const n = parts.reduce((s, p) => s + p.timestamp.length, 0);
  const out = allocBars(n);
  let k = 0;
  for (const p of parts) {
    for (const col of BAR_COLUMNS) out[col].set(p[col], k);
    k += p.timestamp.length;
  }
  return normalizeBars(out);
}
