import { iso } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import type { StallEvidence } from "./pushdown.ts";
import { type Check, type CheckMeta, type CheckOptions, finding, MAX_EVIDENCE } from "./types.ts";

/** Default stablecoin assets (option `stablecoins`): a pair whose base is one of these is exempt from price_stall. */
export const DEFAULT_STABLECOINS: readonly string[] = ["USDT", "USDC", "DAI", "FDUSD", "TUSD", "USDP", "BUSD", "PYUSD", "USDE"];

// Fiat quotes a stablecoin base trades against (USDCEUR, USDTTRY): the remainder of the ticker must be one
// of these or a stablecoin, so a prefix match alone ("USDE" + "UR") does not exempt an unrelated ticker.
const FIAT_QUOTES = new Set([
  "USD",
  "EUR",
  "GBP",
  "TRY",
  "BRL",
  "ARS",
  "JPY",
  "AUD",
  "CAD",
  "CHF",
  "MXN",
  "NGN",
  "UAH",
  "ZAR",
  "IDR",
  "PLN",
  "RUB",
  "KRW",
  "INR",
]);

/**
 * True when `symbol` (EXCHANGE:TICKER or a bare ticker) is a stablecoin or a pair whose base asset
 * is one: USDT, USDCUSDT, FDUSDUSDT, USDC-USD, USDTTRY; not BTCUSDT (the stablecoin is the quote).
 */
export function isStablecoin(symbol: string, list: readonly string[] = DEFAULT_STABLECOINS): boolean {
  const colon = symbol.lastIndexOf(":");
  // Drop contract suffixes (BTCUSDT.P) and separators (USDC-USD, USDC/USDT) before matching.
  const ticker = symbol
    .slice(colon + 1)
    .toUpperCase()
    .split(".")[0]!
    .replace(/[-_/]/g, "");
  const coins = new Set(list.map((s) => s.toUpperCase()));
  if (coins.has(ticker)) return true;
  for (const base of coins) {
    if (!base || !ticker.startsWith(base)) continue;
    const quote = ticker.slice(base.length);
    if (coins.has(quote) || FIAT_QUOTES.has(quote)) return true;
  }
  return false;
}

/** One run of zero close changes: `length` zero changes spanning length + 1 bars, bar indexes [from, to]. */
export interface StallRun {
  from: number;
  to: number;
  length: number;
  price: number;
}

/** Runs of at least `minRun` consecutive zero close changes; non-finite or non-positive closes break a run (bad_value owns them). */
export function stallRuns(close: ArrayLike<number>, minRun = 3): StallRun[] {
  const runs: StallRun[] = [];
  let start = -1; // index of the first bar of the current run
  const flush = (end: number) => {
    if (start >= 0 && end - start >= minRun) runs.push({ from: start, to: end, length: end - start, price: close[start]! });
    start = -1;
  };
  for (let i = 1; i < close.length; i++) {
    const p = close[i - 1]!;
    const x = close[i]!;
    if (x === p && x > 0 && x !== Infinity) {
      if (start < 0) start = i - 1;
    } else flush(i - 1);
  }
  flush(close.length - 1);
  return runs;
}

/** The runs as price_stall reports them: how many, the longest, the last MAX_EVIDENCE. */
function summarise(runs: readonly StallRun[], minRun: number): StallEvidence {
  return { minRun, count: runs.length, longest: runs.reduce((m, r) => Math.max(m, r.length), 0), last: runs.slice(-MAX_EVIDENCE) };
}

/** `minRun` of price_stall as the options set it for bars of `interval`. */
export function priceStallMinRun(opts: CheckOptions, interval: Interval): number {
  return Math.max(1, Math.floor(opts.number("minRun", DEFAULT_MIN_RUN[interval] ?? 3)));
}

/**
 * Default `minRun` by interval. The seed's 3 unchanged closes is a frozen feed on daily bars, but routine on 1-minute bars
 * of a thin market, where a price often sits on one tick for minutes; so the run grows as bars shorten, while the time
 * it spans stays in hours: 60 × 1m (1 h), 24 × 5m (2 h), 16 × 15m (4 h), 12 × 30m (6 h), 8 × 1h, 6 × 4h (1 day), 3 × 1d.
 */
export const DEFAULT_MIN_RUN: Readonly<Record<Interval, number>> = { "1m": 60, "5m": 24, "15m": 16, "30m": 12, "1h": 8, "4h": 6, "1d": 3 };

const meta = {
  rule: "at least minRun consecutive zero close changes (instruments marked stablecoin and the stablecoins list are exempt)",
  severity: "error and toxic when the series ends stalled; warning for an earlier stall",
  options: {
    minRun: {
      defaultText: "by interval: 60 on 1m, 24 on 5m, 16 on 15m, 12 on 30m, 8 on 1h, 6 on 4h, 3 on 1d",
      min: 1,
      integer: true,
      description: "zero close changes in a row that make a stall",
    },
    stablecoins: { default: DEFAULT_STABLECOINS, description: "tickers exempt from the check (pinned by design)" },
  },
  example: "close unchanged at 0.52 for the last 4 changes (since 2026-11-16T00:00:00.000Z)",
} as const satisfies CheckMeta;

/** `price_stall`: ≥ `minRun` consecutive zero close changes (3 on 1d, more on shorter bars); error and toxic when the series ends stalled, warning earlier; stablecoins exempt. */
export const priceStall: Check = {
  code: "price_stall",
  meta,
  run(input, opts) {
    if (input.stablecoin === true) return [];
    if (isStablecoin(input.symbol, opts.strings("stablecoins", DEFAULT_STABLECOINS))) return [];
    const minRun = priceStallMinRun(opts, input.interval);
    const b = input.bars;
    // The store's run lengths (pushdown.ts) when it answered for these bars at this minRun, else a scan of the closes.
    const ev = input.pushed?.price_stall;
    const runs = ev?.minRun === minRun ? ev : summarise(stallRuns(b.close, minRun), minRun);
    if (!runs.count) return [];
    const last = runs.last[runs.last.length - 1]!;
    // A feed frozen now is a zombie asset; one that froze and recovered is only a blemish in its history.
    const endsStalled = last.to === b.close.length - 1;
    const { longest } = runs;
    const evidence = runs.last.map((r) => ({ from: iso(b.timestamp[r.from]!), to: iso(b.timestamp[r.to]!), length: r.length, price: r.price }));
    const message = endsStalled
      ? `close unchanged at ${last.price} for the last ${last.length} changes (since ${iso(b.timestamp[last.from]!)})`
      : `${runs.count} stalls of ${minRun}+ zero close changes (longest ${longest})`;
    const f = finding(
      input,
      "price_stall",
      endsStalled ? "error" : opts.severity("warning"),
      message,
      { runs: runs.count, longest, minRun },
      { runs: evidence },
    );
    if (endsStalled) f.toxic = true;
    return [f];
  },
};
