// Robust location and scale over a sliding window, shared by false_tick, volume_spike and split_suspected.

/** 1/Φ⁻¹(3/4): scales a MAD to a standard deviation for normal data, so z reads as "sigmas". */
export const MAD_TO_SD = 1.4826;
/** √(π/2): scales a mean absolute deviation to a standard deviation, the fallback when MAD is 0. */
export const MEAN_AD_TO_SD = 1.2533;

/** Median of an ascending-sorted array of length ≥ 1. */
export function medianOfSorted(s: ArrayLike<number>, n = s.length): number {
  const h = n >> 1;
  return n % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * Median absolute deviation of a sorted array without sorting the deviations: those left of the
 * median grow leftwards, those right of it grow rightwards, so merging the two runs reaches the
 * middle ranks in O(n). Same values as sorting |x − median| (fl(m − x) = |fl(x − m)|).
 */
export function madOfSorted(s: ArrayLike<number>, median: number, n = s.length): number {
  let l = 0;
  while (l < n && s[l]! < median) l++;
  let j = l; // next right-hand index (deviation s[j] − median)
  l--; // next left-hand index (deviation median − s[l])
  const h = n >> 1;
  let prev = 0;
  let cur = 0;
  for (let rank = 0; rank <= h; rank++) {
    prev = cur;
    if (l >= 0 && (j >= n || median - s[l]! <= s[j]! - median)) cur = median - s[l--]!;
    else cur = s[j++]! - median;
  }
  return n % 2 ? cur : (prev + cur) / 2;
}

/**
 * A lower bound on the MAD from two order statistics, a = (n − h) >> 1 and b = a + h (h = n >> 1):
 * only the b − a − 1 < h values strictly between them can deviate less than min(m − s[a], s[b] − m),
 * so the middle-ranked deviation cannot. Rounding is monotone, so the bound holds in floats too,
 * and a z computed from it can only overstate the real one: below a threshold, the MAD can be skipped.
 */
export function madLowerBound(s: ArrayLike<number>, n: number, median: number): number {
  const h = n >> 1;
  const a = (n - h) >> 1;
  if (a + h >= n) return 0;
  return Math.min(median - s[a]!, s[a + h]! - median);
}

/**
 * A standard-deviation estimate from the MAD. MAD is 0 whenever more than half the values are one
 * number (a quiet or rounded feed, a run of unchanged closes), which would make every z infinite:
 * then the mean absolute deviation stands in (the usual modified-z fallback), and `floor` keeps the
 * scale above 0 when every value is identical, where in effect only the materiality floors decide.
 */
export function robustScale(s: ArrayLike<number>, median: number, mad: number, floor: number, n = s.length): number {
  let spread = MAD_TO_SD * mad;
  if (mad === 0) {
    let sumDev = 0;
    for (let i = 0; i < n; i++) sumDev += Math.abs(s[i]! - median);
    spread = MEAN_AD_TO_SD * (sumDev / n);
  }
  return Math.max(spread, floor);
}

/** Median, MAD and scale of a window. */
export interface RobustStats {
  median: number;
  mad: number;
  /** The sd estimate a z divides by (never below the floor, so never 0 when the floor is positive). */
  scale: number;
}

/** Robust statistics of an unsorted sample (the checks' exact arithmetic, for tests and tools). */
export function robustStats(values: ArrayLike<number>, floor: number): RobustStats {
  const s = Float64Array.from(values).sort();
  const median = medianOfSorted(s);
  const mad = madOfSorted(s, median);
  return { median, mad, scale: robustScale(s, median, mad, floor) };
}

// JSON has no Infinity: the cap only matters for absurd inputs (a subnormal scale).
export function zOf(diff: number, scale: number): number {
  return Math.min(Math.abs(diff) / scale, Number.MAX_VALUE);
}

/**
 * The last `capacity` values pushed, kept sorted in place (no per-bar sort): a new value slides
 * in by insertion, and the oldest leaves by a slide between the two. NaN marks an empty slot (a
 * bar that has no value for this statistic, e.g. a zero volume): it takes a place in the window's
 * time span but not in its statistics, so `size` can be below the number of slots filled.
 */
export class SortedWindow {
  readonly sorted: Float64Array;
  private readonly ring: Float64Array;
  private head = 0;
  private slots = 0;
  size = 0;

  constructor(readonly capacity: number) {
    this.sorted = new Float64Array(capacity);
    this.ring = new Float64Array(capacity);
  }

  /** Slots filled (values and empty slots), at most `capacity`. */
  get filled(): number {
    return this.slots;
  }

  push(x: number): void {
    if (this.slots === this.capacity) {
      const old = this.ring[this.head]!;
      this.ring[this.head] = x;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      if (old === old && x === x) replace(this.sorted, this.size, old, x);
      else if (old === old) this.size = remove(this.sorted, this.size, old);
      else if (x === x) this.size = insert(this.sorted, this.size, x);
      return;
    }
    this.ring[(this.head + this.slots) % this.capacity] = x;
    this.slots++;
    if (x === x) this.size = insert(this.sorted, this.size, x);
  }

  clear(): void {
    this.head = 0;
    this.slots = 0;
    this.size = 0;
  }

  median(): number {
    return medianOfSorted(this.sorted, this.size);
  }

  /** Median, MAD and scale of the values held (size ≥ 1). */
  stats(floor: number): RobustStats {
    const median = this.median();
    const mad = madOfSorted(this.sorted, median, this.size);
    return { median, mad, scale: robustScale(this.sorted, median, mad, floor, this.size) };
  }
}

function insert(s: Float64Array, n: number, x: number): number {
  let k = n;
  for (; k > 0 && s[k - 1]! > x; k--) s[k] = s[k - 1]!;
  s[k] = x;
  return n + 1;
}

function indexOf(s: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (s[m]! < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

function remove(s: Float64Array, n: number, x: number): number {
  for (let k = indexOf(s, n, x); k + 1 < n; k++) s[k] = s[k + 1]!;
  return n - 1;
}

// Swap `old` for `x` by sliding only the values between them: consecutive values rarely move far in
// rank, so this is a few steps rather than a remove and an insert.
function replace(s: Float64Array, n: number, old: number, x: number): void {
  let k = indexOf(s, n, old);
  if (x > old) for (; k + 1 < n && s[k + 1]! < x; k++) s[k] = s[k + 1]!;
  else for (; k > 0 && s[k - 1]! > x; k--) s[k] = s[k - 1]!;
  s[k] = x;
}
