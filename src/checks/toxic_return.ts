import { iso } from "../model/finding.ts";
import { type Check, type CheckMeta, type CheckOptions, finding, MAX_EVIDENCE } from "./types.ts";

/** A close usable as a ratio operand: finite and positive (anything else is bad_value's finding). */
function usable(x: number): boolean {
  return x > 0 && x !== Infinity;
}

/**
 * True when the move `prev → curr` is toxic: curr/prev > maxRatio, or prev/curr > maxRatio.
 * The drop side divides the other way round so both sides compare against the same exact
 * number: `curr/prev < 1/maxRatio` would compare against a rounded 1/6 and break the mirror.
 */
export function isToxicMove(prev: number, curr: number, maxRatio = 6): boolean {
  return curr / prev > maxRatio || prev / curr > maxRatio;
}

/**
 * Indices of the bars whose close-to-close move is toxic (the bar the move reaches), skipping bars in `skip` (the
 * bars of splits, judged as splits) and pairs where either close is not a usable price.
 */
export function toxicMoveIndices(close: ArrayLike<number>, maxRatio: number, skip: ReadonlySet<number> = new Set()): number[] {
  const out: number[] = [];
  for (let i = 1; i < close.length; i++) {
    const prev = close[i - 1]!;
    const curr = close[i]!;
    if (usable(prev) && usable(curr) && !skip.has(i) && isToxicMove(prev, curr, maxRatio)) out.push(i);
  }
  return out;
}

/** The ratio threshold of `toxic_return` as the options set it. */
export function toxicRatio(opts: CheckOptions): number {
  return opts.number("maxRatio", meta.options.maxRatio.default);
}

const meta = {
  rule: "a close-to-close ratio above maxRatio or below 1/maxRatio (a unit error or a broken feed); a bar split_suspected explains is reported as that split instead; the asset is marked toxic and quarantined at ingest",
  severity: "error, toxic",
  options: { maxRatio: { default: 6, min: 1, description: "a move beyond × this or ÷ this is toxic" } },
  example: "2 close-to-close moves beyond ×6 or ÷6 (ratios 0.0100–100.0)",
} as const satisfies CheckMeta;

/**
 * `toxic_return`: a close-to-close ratio above `maxRatio` (default 6, a +500 % move) or below 1/maxRatio; error, asset toxic.
 * A bar split_suspected explains (a 10:1 split is a ÷10 move) is reported once, as that split: calling it a toxic
 * return would send someone looking for a bad print where the vendor only failed to adjust for the split.
 */
export const toxicReturn: Check = {
  code: "toxic_return",
  meta,
  run(input, opts) {
    const maxRatio = toxicRatio(opts);
    const b = input.bars;
    const c = b.close;
    const split = new Set((input.splits ?? []).map((s) => s.index));
    const moves: Record<string, unknown>[] = [];
    let count = 0;
    let maxSeen = -Infinity;
    let minSeen = Infinity;
    for (let i = 1; i < c.length; i++) {
      const prev = c[i - 1]!;
      const curr = c[i]!;
      if (!usable(prev) || !usable(curr) || split.has(i)) continue;
      const ratio = curr / prev;
      if (ratio > maxSeen) maxSeen = ratio;
      if (ratio < minSeen) minSeen = ratio;
      if (!isToxicMove(prev, curr, maxRatio)) continue;
      count++;
      if (moves.length < MAX_EVIDENCE) moves.push({ timestamp: iso(b.timestamp[i]!), prevClose: prev, close: curr, ratio });
    }
    if (!count) return [];
    const f = finding(
      input,
      "toxic_return",
      opts.severity("error"),
      `${count} close-to-close moves beyond ×${maxRatio} or ÷${maxRatio} (ratios ${fmt(minSeen)}–${fmt(maxSeen)})`,
      // The extremes cover every usable pair, so a reader sees how far past the threshold the series went.
      { moves: count, maxRatio: maxSeen, minRatio: minSeen, threshold: maxRatio },
      { moves },
    );
    f.toxic = true;
    return [f];
  },
};

function fmt(x: number): string {
  return x >= 1 ? x.toPrecision(4) : x.toPrecision(3);
}
