import { iso } from "../model/finding.ts";
import type { ToxicEvidence } from "./pushdown.ts";
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
    // The store's evidence (pushdown.ts) when it answered for these bars at this threshold and no split bar is to
    // be skipped (the store does not know the splits); else a scan of the closes.
    const ev = input.pushed?.toxic_return;
    const split = new Set((input.splits ?? []).map((s) => s.index));
    const m = ev && ev.maxRatio === maxRatio && !split.size ? fromEvidence(ev, maxRatio) : scan(b.close, b.timestamp, maxRatio, split);
    if (!m.count) return [];
    const f = finding(
      input,
      "toxic_return",
      opts.severity("error"),
      `${m.count} close-to-close moves beyond ×${maxRatio} or ÷${maxRatio} (ratios ${fmt(m.minSeen)}–${fmt(m.maxSeen)})`,
      // The extremes cover every usable pair, so a reader sees how far past the threshold the series went.
      { moves: m.count, maxRatio: m.maxSeen, minRatio: m.minSeen, threshold: maxRatio },
      { moves: m.moves },
    );
    f.toxic = true;
    return [f];
  },
};

/** What toxic_return reports: how many toxic moves, the first MAX_EVIDENCE, and the extreme ratios of all usable pairs. */
interface Moves {
  count: number;
  moves: Record<string, unknown>[];
  maxSeen: number;
  minSeen: number;
}

function scan(c: ArrayLike<number>, ts: ArrayLike<number>, maxRatio: number, split: ReadonlySet<number>): Moves {
  const m: Moves = { count: 0, moves: [], maxSeen: -Infinity, minSeen: Infinity };
  for (let i = 1; i < c.length; i++) {
    const prev = c[i - 1]!;
    const curr = c[i]!;
    if (!usable(prev) || !usable(curr) || split.has(i)) continue;
    const ratio = curr / prev;
    if (ratio > m.maxSeen) m.maxSeen = ratio;
    if (ratio < m.minSeen) m.minSeen = ratio;
    if (!isToxicMove(prev, curr, maxRatio)) continue;
    m.count++;
    if (m.moves.length < MAX_EVIDENCE) m.moves.push({ timestamp: iso(ts[i]!), prevClose: prev, close: curr, ratio });
  }
  return m;
}

/** The same from the store's candidate moves and near-extreme pairs: the exact test and ratios, computed here. */
function fromEvidence(ev: ToxicEvidence, maxRatio: number): Moves {
  const m: Moves = { count: 0, moves: [], maxSeen: -Infinity, minSeen: Infinity };
  for (const p of ev.extremes) {
    const ratio = p.close / p.prev;
    if (ratio > m.maxSeen) m.maxSeen = ratio;
    if (ratio < m.minSeen) m.minSeen = ratio;
  }
  for (const c of ev.candidates) {
    if (!isToxicMove(c.prev, c.close, maxRatio)) continue;
    m.count++;
    if (m.moves.length < MAX_EVIDENCE) m.moves.push({ timestamp: iso(c.ts), prevClose: c.prev, close: c.close, ratio: c.close / c.prev });
  }
  return m;
}

function fmt(x: number): string {
  return x >= 1 ? x.toPrecision(4) : x.toPrecision(3);
}
