// IEEE-754 stepping for boundary properties: a threshold is tested at the first double that crosses it and the one before.

const view = new DataView(new ArrayBuffer(8));

function bits(x: number): bigint {
  view.setFloat64(0, x);
  return view.getBigUint64(0);
}

function fromBits(b: bigint): number {
  view.setBigUint64(0, b);
  return view.getFloat64(0);
}

/** The next representable double above x (x finite). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  return fromBits(x > 0 ? bits(x) + 1n : bits(x) - 1n);
}

/** The next representable double below x (x finite). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/**
 * The smallest positive double in (lo, hi] where the monotone predicate `pred` holds, given pred(lo) false and
 * pred(hi) true: a bisection over the bit patterns (ordered like the values for positive doubles), so the answer
 * is exact, not a tolerance.
 */
export function firstTrue(lo: number, hi: number, pred: (x: number) => boolean): number {
  if (!(lo > 0 && hi > lo)) throw new Error(`firstTrue: need 0 < lo < hi, got ${lo}, ${hi}`);
  if (pred(lo) || !pred(hi)) throw new Error(`firstTrue: pred(${lo}) must be false and pred(${hi}) true`);
  let a = bits(lo);
  let b = bits(hi);
  while (b - a > 1n) {
    const m = (a + b) / 2n;
    if (pred(fromBits(m))) b = m;
    else a = m;
  }
  return fromBits(b);
}
