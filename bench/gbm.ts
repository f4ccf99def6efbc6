// Seeded synthetic daily series for the detection benchmark and its test: geometric random walks with
// Student-t(4) shocks, lognormal persistent volumes, and defects planted into copies of them.
import { allocBars, type Bars, copyBars } from "../src/model/bars.ts";

/** mulberry32: a tiny seeded PRNG, so every figure reproduces. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal (Box–Muller). */
export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() || 1e-300)) * Math.cos(2 * Math.PI * r());
}

/** Student-t with 4 degrees of freedom scaled to unit variance (t₄ has variance 2). */
export function t4(r: () => number): number {
  const chi2 = -2 * Math.log((r() || 1e-300) * (r() || 1e-300)); // χ²₄ as the sum of two exponentials ×2
  return gauss(r) / Math.sqrt(chi2 / 4) / Math.SQRT2;
}

/** One generated series and what it was generated from. */
export interface Series {
  bars: Bars;
  /** Daily volatility of the log return (sd of the shocks). */
  sigma: number;
  /** sd of the log volume. */
  volSigma: number;
}

export interface SeriesSpec {
  seed: number;
  timestamps: Float64Array;
  sigma: number;
  /** Share of the return's variance that falls between sessions (0 for 24/7 markets: open = previous close). */
  overnight: number;
}

/**
 * A GBM with t₄ shocks: log return = drift + σ·ε split into an overnight and an intraday part; high and low
 * reach past open and close by a half-normal of the intraday σ. Log volume is an AR(1) around a base level
 * (ρ 0.5, sd 0.3–0.7), plus 0.15·|ε| so large moves come with more volume, as they do in real data.
 */
export function makeSeries(spec: SeriesSpec): Series {
  const r = rng(spec.seed);
  const n = spec.timestamps.length;
  const b = allocBars(n);
  const sigma = spec.sigma;
  const drift = (r() - 0.4) * 0.002;
  const volSigma = 0.3 + 0.4 * r();
  const baseLogVol = Math.log(1e4 + r() * 1e7);
  const on = Math.sqrt(spec.overnight) * sigma;
  const id = Math.sqrt(1 - spec.overnight) * sigma;
  let prev = 20 + r() * 500;
  let lv = 0;
  for (let i = 0; i < n; i++) {
    const eOn = t4(r);
    const eId = t4(r);
    const open = prev * Math.exp(on * eOn);
    const close = open * Math.exp(drift - (sigma * sigma) / 2 + id * eId);
    b.timestamp[i] = spec.timestamps[i]!;
    b.open[i] = open;
    b.close[i] = close;
    b.high[i] = Math.max(open, close) * Math.exp(Math.abs(gauss(r)) * id * 0.5);
    b.low[i] = Math.min(open, close) * Math.exp(-Math.abs(gauss(r)) * id * 0.5);
    lv = 0.5 * lv + Math.sqrt(1 - 0.25) * volSigma * gauss(r);
    const shock = Math.abs(Math.sqrt(spec.overnight) * eOn + Math.sqrt(1 - spec.overnight) * eId);
    b.volume[i] = Math.round(Math.exp(baseLogVol + lv + 0.15 * shock));
    prev = close;
  }
  return { bars: b, sigma, volSigma };
}

const PRICES = ["open", "high", "low", "close"] as const;

/** One bar's whole candle moved by `factor` (a bad print that the next bar does not share). */
export function plantSpike(b: Bars, i: number, factor: number): Bars {
  const out = copyBars(b);
  for (const c of PRICES) out[c][i] = b[c][i]! * factor;
  return out;
}

/** An unadjusted split at bar `i`: prices from it on divided by `factor`, volumes multiplied (factor < 1: a reverse split). */
export function plantSplit(b: Bars, i: number, factor: number): Bars {
  const out = copyBars(b);
  for (let k = i; k < b.timestamp.length; k++) {
    for (const c of PRICES) out[c][k] = b[c][k]! / factor;
    out.volume[k] = Math.round(b.volume[k]! * factor);
  }
  return out;
}

/** A unit error: prices of bars [i, i + length) multiplied by `factor` (e.g. 1/100: quoted in cents as dollars). */
export function plantUnitError(b: Bars, i: number, length: number, factor: number): Bars {
  const out = copyBars(b);
  for (let k = i; k < Math.min(i + length, b.timestamp.length); k++) for (const c of PRICES) out[c][k] = b[c][k]! * factor;
  return out;
}

/**
 * A plain random walk of `n` daily bars from `from` (a Lehmer generator seeded with `seed`): close moves ±2 % a day,
 * open is the previous close, high and low 1 % beyond, volume 1,000–1,500. The benchmark lakehouse and the
 * incremental-audit property test are made of these.
 */
export function randomWalk(n: number, from: number, seed: number, p0 = 100, stepMs = 86_400_000): Bars {
  const b = allocBars(n);
  let s = seed % 2147483647 || 1;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  let p = p0;
  for (let i = 0; i < n; i++) {
    b.timestamp[i] = from + i * stepMs;
    const c = p * (1 + (rnd() - 0.5) * 0.04);
    b.open[i] = p;
    b.close[i] = c;
    b.high[i] = Math.max(p, c) * 1.01;
    b.low[i] = Math.min(p, c) * 0.99;
    b.volume[i] = 1000 + rnd() * 500;
    p = c;
  }
  return b;
}
