/** Nearest-rank percentile of a sample (p in 0..100); NaN for an empty sample. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50/p95/p99 and count of fetch latencies in ms (rounded to 0.1 ms). */
export function latencySummary(samples: readonly number[]): { count: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null } {
  const s = [...samples].sort((a, b) => a - b);
  const r = (p: number) => (s.length ? Math.round(percentile(s, p) * 10) / 10 : null);
  return { count: s.length, p50Ms: r(50), p95Ms: r(95), p99Ms: r(99) };
}
