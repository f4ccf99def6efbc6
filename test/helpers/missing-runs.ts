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
