// "Did you mean …?" for flags, commands, config keys and finding codes: the closest known name by edit distance.

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows = s.length + 1;
  const cols = t.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * The known name closest to `input`, when it is close enough to be a typo: at most 2 edits (a third of the
 * name's length for long names), or a shared stem of all but one letter of the shorter name (`retry` → `retries`).
 */
export function didYouMean(input: string, known: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    if (k === input) continue;
    const kl = k.toLowerCase();
    let score = editDistance(lower, kl);
    const limit = Math.max(2, Math.floor(Math.max(lower.length, kl.length) / 3));
    if (score > limit) {
      // A shared stem is a fair guess too: `retry` → `retries`, `lookback` → `lookback-days`.
      let common = 0;
      while (common < lower.length && common < kl.length && lower[common] === kl[common]) common++;
      if (common >= 3 && common >= Math.min(lower.length, kl.length) - 1) score = limit;
      else continue;
    }
    if (score < bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return best;
}

/** ` (did you mean X?)`, or "" when nothing is close. */
export function suggestion(input: string, known: Iterable<string>, prefix = ""): string {
  const m = didYouMean(input, known);
  return m === undefined ? "" : ` (did you mean ${prefix}${m}?)`;
}
