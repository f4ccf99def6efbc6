// What the windowed scanners (split_suspected's findSplits, false_tick's findFalseTicks, volume_spike's
// findVolumeSpikes) found, kept beside one run of the checks. Within a run it lets split_suspected reuse the splits
// runChecks found for the split marks instead of scanning again; across runs it lets the incremental audit resume
// each scanner where the last audit's bars ended: each one's decisions about bars far enough from the old end are
// those of the last audit, so only the tail and its look-back are scanned again (see each scanner's `prior`).
import type { Tick } from "./false_tick.ts";
import type { Split } from "./split_evidence.ts";
import type { SplitMark } from "./types.ts";
import type { Spike } from "./volume_spike.ts";

/** A scanner's events over the first `rows` bars of a series whose bars since only grew at the end. */
export interface Resume<T> {
  rows: number;
  events: readonly T[];
}

/** What the scanners found over a series' first `rows` bars (the last audit's, with the same options). */
export interface PriorScans {
  rows: number;
  /** The split marks runChecks handed every check (split_unadjusted's and split_suspected's). */
  marks: SplitMark[];
  splits: Split[];
  ticks: Tick[];
  spikes: Spike[];
}

/** One run's memo: the prior scans (set only when the bars extend the ones they were taken from) and this run's. */
export interface ScanMemo {
  prior?: PriorScans;
  marks?: SplitMark[];
  splits?: Split[];
  ticks?: Tick[];
  spikes?: Spike[];
}

const sameMarks = (a: readonly SplitMark[], b: readonly SplitMark[]) =>
  a.length === b.length && a.every((m, i) => m.index === b[i]!.index && m.factor === b[i]!.factor);

/**
 * The prior events of a scanner that reads split-adjusted values (false_tick, volume_spike): usable only when the
 * split marks are those the prior run had, since a new mark re-adjusts every bar before it.
 */
export function adjustedPrior<K extends "ticks" | "spikes">(memo: ScanMemo | undefined, key: K): Resume<PriorScans[K][number]> | undefined {
  const p = memo?.prior;
  if (!p || !memo.marks || !sameMarks(p.marks, memo.marks)) return undefined;
  return { rows: p.rows, events: p[key] };
}

/** The scans a run leaves for the next (empty lists for scanners that did not run). */
export function scansOf(memo: ScanMemo, rows: number): PriorScans {
  return { rows, marks: memo.marks ?? [], splits: memo.splits ?? [], ticks: memo.ticks ?? [], spikes: memo.spikes ?? [] };
}

/** True when every number in the scans survives JSON exactly (finite, not −0): only then can they be stored. */
export function storable(s: PriorScans): boolean {
  const ok = (v: unknown): boolean => {
    if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0);
    if (Array.isArray(v)) return v.every(ok);
    if (v && typeof v === "object") return Object.values(v).every(ok);
    return true;
  };
  return ok(s);
}
