import { type Bars, recordedSplit } from "../model/bars.ts";
import { iso } from "../model/finding.ts";
import { label } from "./split_suspected.ts";
import { type Check, type CheckMeta, finding, MAX_EVIDENCE, type SplitMark } from "./types.ts";

const usable = (x: number) => x > 0 && x !== Infinity;

/** A split the vendor recorded that the stored prices show as a step: they were not adjusted for it. */
export interface UnadjustedSplit extends SplitMark {
  /** Close ÷ previous close, and open ÷ previous close (NaN without a usable open). */
  ratio: number;
  gapRatio: number;
}

/**
 * Recorded splits that show in the prices. A split of factor f divides an unadjusted price by f on its bar; an
 * adjusted series moves there as on any other day. So the bar is judged between the two: its close-to-close log
 * return, and its open gap where there is an open (the less noisy of the two: a split happens before the open), must
 * both lie nearer −log f than 0. A 2:1 split adjusted in a −30 % crash keeps its open near the previous close; the
 * same split unadjusted opens at half of it. The first bar (no previous close) and bars without usable prices are
 * not judged.
 */
export function findUnadjustedSplits(b: Bars): UnadjustedSplit[] {
  const out: UnadjustedSplit[] = [];
  if (!b.actions) return out;
  const { open, close } = b;
  for (let i = 1; i < close.length; i++) {
    const factor = recordedSplit(b, i);
    if (factor === undefined) continue;
    const prev = close[i - 1]!;
    if (!usable(prev) || !usable(close[i]!)) continue;
    const lf = Math.log(factor);
    const nearer = (x: number) => Math.abs(x + lf) < Math.abs(x);
    const r = Math.log(close[i]! / prev);
    const hasOpen = usable(open[i]!);
    const g = hasOpen ? Math.log(open[i]! / prev) : Number.NaN;
    if (!nearer(r) || (hasOpen && !nearer(g))) continue;
    out.push({ index: i, factor, ratio: close[i]! / prev, gapRatio: hasOpen ? open[i]! / prev : Number.NaN });
  }
  return out;
}

const meta = {
  rule: "a split the vendor recorded (its Stock Splits column or split events, stored as split_factor) shows as a price step: the bar's open and close sit nearer the previous close ÷ the factor than the previous close, so the stored prices are not adjusted for it; a recorded split with no step means the series is adjusted (no finding)",
  severity: "error, toxic",
  options: {},
  example:
    "an unadjusted 5:1 split recorded on 2026-06-10 (close 1042.5 → 209.1, ratio 0.2006, expected 0.2); fetch split-adjusted bars or ingest with --price adjusted",
} as const satisfies CheckMeta;

/** `split_unadjusted`: a vendor-recorded split that shows as a step in the stored closes; error, asset toxic. */
export const splitUnadjusted: Check = {
  code: "split_unadjusted",
  meta,
  run(input, opts) {
    const b = input.bars;
    const splits = findUnadjustedSplits(b);
    if (!splits.length) return [];
    const evidence = splits.slice(0, MAX_EVIDENCE).map((s) => ({
      timestamp: iso(b.timestamp[s.index]!),
      factor: s.factor,
      split: label(s.factor),
      prevClose: b.close[s.index - 1]!,
      open: b.open[s.index]!,
      close: b.close[s.index]!,
      ratio: round(s.ratio),
      expectedRatio: round(1 / s.factor),
      ...(Number.isNaN(s.gapRatio) ? {} : { gapRatio: round(s.gapRatio) }),
    }));
    const first = evidence[0]!;
    const f = finding(
      input,
      "split_unadjusted",
      opts.severity("error"),
      `${splits.length === 1 ? "an unadjusted" : `${splits.length} unadjusted`} split${splits.length === 1 ? "" : "s"} recorded by the vendor: ${first.split} on ${first.timestamp.slice(0, 10)} (close ${first.prevClose} → ${first.close}, ratio ${first.ratio}, expected ${first.expectedRatio}); fetch split-adjusted bars or ingest with --price adjusted`,
      { splits: splits.length },
      { splits: evidence },
    );
    // Every return across the split is wrong by the factor, as with a suspected one.
    f.toxic = true;
    return [f];
  },
};

function round(x: number): number {
  return Number(x.toPrecision(6));
}
