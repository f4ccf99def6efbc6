/**
 * Multi-source stitching: several vendors' bars of one symbol become one series.
 *
 * Decisions:
 * - Vendors are given in priority order. For each bar (timestamp) the primary source is the first vendor that
 *   delivered it; a vendor "delivers" a bar when at least one of open/high/low/close is a number (a row whose
 *   prices are all NaN is a placeholder, not a bar, so the next vendor becomes primary).
 * - Each field still NaN in the primary bar is filled from the next vendor, in priority order, that has it.
 *   Volume is filled the same way (a vendor that reports 0 volume has a volume; only NaN is missing).
 * - `sources` lists every vendor that delivered the bar, primary first: it says who vouches for the bar, which is
 *   what an analyst needs when two vendors disagree (the cross_source_drift check compares these vendors' closes).
 * - Each vendor's own series is kept, normalised, in `contributions`.
 */
import { allocBars, BAR_COLUMNS, type Bars, normalizeBars, PRICE_COLUMNS } from "../model/bars.ts";

/** One vendor's bars for one symbol (any order; repeated timestamps: the last row wins). */
export interface VendorSeries {
  vendor: string;
  bars: Bars;
}

/** The stitched series of one symbol. */
export interface StitchedSeries {
  /** Sorted, unique bars. */
  bars: Bars;
  /** Per row: the vendor whose bar was taken. */
  primarySource: string[];
  /** Per row: every vendor that delivered this bar, comma-joined, priority order. */
  sources: string[];
  /** Each vendor's normalised bars, priority order. */
  contributions: VendorSeries[];
}

/** True when row `i` carries at least one price (a row of NaN prices is a placeholder, not a bar). */
export function hasPrice(b: Bars, i: number): boolean {
  for (const c of PRICE_COLUMNS) if (!Number.isNaN(b[c][i]!)) return true;
  return false;
}

/** Stitch vendors' bars (priority order) into one series with `primary_source` and `sources` per row. */
export function stitch(parts: readonly VendorSeries[]): StitchedSeries {
  const contributions = parts.map((p) => ({ vendor: p.vendor, bars: normalizeBars(p.bars) }));
  // Index each vendor's bars by timestamp; placeholders (no price at all) are left out.
  const index = contributions.map((c) => {
    const m = new Map<number, number>();
    for (let i = 0; i < c.bars.timestamp.length; i++) if (hasPrice(c.bars, i)) m.set(c.bars.timestamp[i]!, i);
    return m;
  });
  const stamps = new Set<number>();
  for (const m of index) for (const t of m.keys()) stamps.add(t);
  const times = Float64Array.from(stamps).sort();

  const out = allocBars(times.length);
  const primarySource: string[] = [];
  const sources: string[] = [];
  times.forEach((t, row) => {
    out.timestamp[row] = t;
    for (const col of BAR_COLUMNS) if (col !== "timestamp") out[col][row] = Number.NaN;
    const who: string[] = [];
    contributions.forEach((c, v) => {
      const i = index[v]!.get(t);
      if (i === undefined) return;
      who.push(c.vendor);
      for (const col of BAR_COLUMNS) {
        if (col === "timestamp") continue;
        if (Number.isNaN(out[col][row]!)) out[col][row] = c.bars[col][i]!;
      }
    });
    primarySource.push(who[0]!);
    sources.push(who.join(","));
  });
  return { bars: out, primarySource, sources, contributions };
}
