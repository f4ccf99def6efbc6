/** The oracle for missingRanges: runs of expected opens the keep-mask drops, computed naively, newest first. */
export function naiveMissingRuns(exp: ArrayLike<number>, keep: boolean[]): { fromMs: number; toMs: number; bars: number }[] {
  const runs: { fromMs: number; toMs: number; bars: number }[] = [];
  for (let i = 0; i < exp.length; i++) {
    if (keep[i]) continue;
    let j = i;
    while (j + 1 < exp.length && !keep[j + 1]) j++;
    runs.push({ fromMs: exp[i]!, toMs: exp[j]!, bars: j - i + 1 });
    i = j;
  }
  return runs.reverse();
}

/** Which of `n` expected opens survive the removals: each cut drops `len` bars from `at` (0–1) of the way in; the last bar always stays. */
export function keepMask(n: number, cuts: readonly { at: number; len: number }[]): boolean[] {
  const keep = new Array<boolean>(n).fill(true);
  for (const c of cuts) {
    const i0 = Math.floor(c.at * (n - 1));
    for (let i = i0; i < Math.min(i0 + c.len, n - 1); i++) keep[i] = false;
  }
  return keep;
}
