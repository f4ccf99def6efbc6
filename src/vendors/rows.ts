import { ACTION_COLUMNS, allocActions, allocBars, BAR_COLUMNS, type Bars, type CorporateActions, normalizeBars, takeRows } from "../model/bars.ts";

/** Grows typed-array bars row by row; `build()` returns them sorted and unique (last row wins). */
export class BarBuilder {
  private b: Bars;
  private n = 0;
  /** Set by `withActions()`: every bar then carries corporate-action values (NaN where none). */
  private acts: CorporateActions | undefined;
  constructor(capacity = 256) {
    this.b = allocBars(Math.max(1, capacity));
  }

  /** Record corporate actions beside the bars (call before the first push). */
  withActions(): this {
    this.acts = allocActions(this.b.timestamp.length);
    return this;
  }

  /** Append one bar (with its adjusted close, dividend and split factor when the builder records actions). */
  push(t: number, o: number, h: number, l: number, c: number, vol: number, act?: { adjClose: number; dividend: number; split: number }): void {
    if (this.n === this.b.timestamp.length) {
      const bigger = allocBars(this.n * 2);
      for (const col of BAR_COLUMNS) bigger[col].set(this.b[col]);
      this.b = bigger;
      if (this.acts) {
        const more = allocActions(this.n * 2);
        for (const col of ACTION_COLUMNS) more[col].set(this.acts[col]);
        this.acts = more;
      }
    }
    const i = this.n++;
    this.b.timestamp[i] = t;
    this.b.open[i] = o;
    this.b.high[i] = h;
    this.b.low[i] = l;
    this.b.close[i] = c;
    this.b.volume[i] = vol;
    if (this.acts && act) for (const col of ACTION_COLUMNS) this.acts[col][i] = act[col];
  }

  /** Rows pushed so far. */
  get length(): number {
    return this.n;
  }

  /** The bars, sorted ascending with unique timestamps. */
  build(): Bars {
    const out = allocBars(this.n);
    for (const col of BAR_COLUMNS) out[col].set(this.b[col].subarray(0, this.n));
    if (this.acts) {
      out.actions = allocActions(this.n);
      for (const col of ACTION_COLUMNS) out.actions[col].set(this.acts[col].subarray(0, this.n));
    }
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
  return takeRows(b, keep);
}

/** Concatenate series, then normalise (overlaps between request windows collapse, later part wins). */
export function concatBars(parts: readonly Bars[]): Bars {
  const n = parts.reduce((s, p) => s + p.timestamp.length, 0);
  const out = allocBars(n);
  if (parts.some((p) => p.actions)) out.actions = allocActions(n);
  let k = 0;
  for (const p of parts) {
    for (const col of BAR_COLUMNS) out[col].set(p[col], k);
    if (p.actions) for (const col of ACTION_COLUMNS) out.actions![col].set(p.actions[col], k);
    k += p.timestamp.length;
  }
  return normalizeBars(out);
}
