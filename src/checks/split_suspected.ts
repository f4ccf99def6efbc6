import { recordedSplit } from "../model/bars.ts";
import { iso } from "../model/finding.ts";
import { findSplits, SPLIT_SUSPECTED_DEFAULTS, splitParams } from "./split_evidence.ts";
import { type Check, type CheckMeta, finding, MAX_EVIDENCE } from "./types.ts";

const meta = {
  rule: "an unadjusted split: the open is a split factor away from the previous close (within the tolerance, at least minGapZ robust σ of the series' own open gaps), the close holds the factor and the next bar opens at the new level; a split when the volume does not contradict it (the mean log volume over volumeWindow bars each side, the split bar left out, steps the other way by at least factor^(1 − volumeTolerance) less volumeNoiseZ standard errors) and either the jump is ≥ strongGapZ σ or the evidence reaches minEvidence nats: the log-likelihood ratio of split over ordinary gap, from the gap (t₄ tails in robust σ: ln p(residual) − ln p(gap)) plus the volume step (Gaussian, its standard error from the volume's own sd and lag-1 autocorrelation); a short after-window gives little evidence, so the check waits for more bars; the split bar is reported once, as this",
  severity: "error, toxic",
  options: {
    factors: { default: SPLIT_SUSPECTED_DEFAULTS.factors, description: "split factors looked for, each also as a reverse split (a list of numbers)" },
    window: { default: SPLIT_SUSPECTED_DEFAULTS.window, min: 2, integer: true, description: "previous bars whose gaps and returns measure the series' noise" },
    minGapZ: { default: SPLIT_SUSPECTED_DEFAULTS.minGapZ, min: 0, description: "robust σ of open gaps the jump must reach, whatever the volume says" },
    strongGapZ: { default: SPLIT_SUSPECTED_DEFAULTS.strongGapZ, min: 0, description: "from this many σ the price alone is evidence enough" },
    minEvidence: {
      default: SPLIT_SUSPECTED_DEFAULTS.minEvidence,
      description: "below strongGapZ, the log-likelihood ratio (nats) of split over ordinary gap that price and volume must reach",
    },
    tolerance: { default: SPLIT_SUSPECTED_DEFAULTS.tolerance, min: 0, description: "floor of how far gap and close may sit from the factor (log units)" },
    residualZ: { default: SPLIT_SUSPECTED_DEFAULTS.residualZ, min: 0, description: "the residual tolerance in robust σ" },
    gapFloor: { default: SPLIT_SUSPECTED_DEFAULTS.gapFloor, min: 0, description: "floor of the gap scale in log units" },
    volumeWindow: {
      default: SPLIT_SUSPECTED_DEFAULTS.volumeWindow,
      min: 1,
      integer: true,
      description: "bars on each side (the split bar left out) whose mean log volumes give the step",
    },
    volumeTolerance: { default: SPLIT_SUSPECTED_DEFAULTS.volumeTolerance, min: 0, max: 1, description: "the volume must step by at least factor^(1 − this)" },
    volumeNoiseZ: { default: SPLIT_SUSPECTED_DEFAULTS.volumeNoiseZ, min: 0, description: "noise allowance of the volume step, in standard errors" },
  },
  example: "unadjusted 5:1 split suspected at 2024-06-10T00:00:00.000Z (close ratio 0.2031, volume × 4.9)",
} as const satisfies CheckMeta;

/** `split_suspected`: an unadjusted split (open and close × or ÷ a split factor, volume stepping the other way); error, asset toxic. */
export const splitSuspected: Check = {
  code: "split_suspected",
  meta,
  run(input, opts) {
    const b = input.bars;
    // runChecks found them for the split marks (scans.splits); a bar the vendor records as a split is judged by
    // split_unadjusted, which knows the factor.
    const found = input.scans?.splits ?? findSplits(b, splitParams(opts));
    const splits = found.filter((s) => recordedSplit(b, s.index) === undefined);
    if (!splits.length) return [];
    const evidence = splits.slice(0, MAX_EVIDENCE).map((s) => ({
      timestamp: iso(b.timestamp[s.index]!),
      prevClose: b.close[s.index - 1]!,
      open: b.open[s.index]!,
      close: b.close[s.index]!,
      ratio: round(s.ratio),
      gapRatio: round(s.gapRatio),
      nearestFactor: round(s.factor),
      split: label(s.factor),
      volumeRatio: round(s.volumeRatio),
      gapZ: round(s.gapZ),
      evidence: round(s.evidence),
    }));
    const first = evidence[0]!;
    const f = finding(
      input,
      "split_suspected",
      opts.severity("error"),
      `${splits.length === 1 ? "an unadjusted" : `${splits.length} unadjusted`} split${splits.length === 1 ? "" : "s"} suspected: ${first.split} on ${first.timestamp.slice(0, 10)} (close ${first.prevClose} → ${first.close}, ratio ${first.ratio}; volume × ${first.volumeRatio}); fetch split-adjusted bars`,
      { splits: splits.length },
      { splits: evidence },
    );
    // Every return across an unadjusted split is wrong by the factor: the series is not fit to be read as golden.
    f.toxic = true;
    return [f];
  },
};

/** "5:1" for a forward split of 5, "1:4" for a reverse split of 4, "3:2" for 1.5, "5:4" for 1.25. */
export function label(factor: number): string {
  const f = factor >= 1 ? factor : 1 / factor;
  let num = f;
  let den = 1;
  while (den < 100 && Math.abs(num - Math.round(num)) > 1e-9) {
    den++;
    num = f * den;
  }
  const [a, b] = [Math.round(num), den];
  return factor >= 1 ? `${a}:${b}` : `${b}:${a}`;
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
