// Which price a stored series holds: the vendor's close (raw) or its adjusted close (adjusted). Chosen per run
// (--price, config `price`), applied to what a vendor sends before it is merged, recorded in the catalog entry.
import { ConfigError, InputError } from "../errors.ts";
import type { CatalogEntry } from "../lakehouse/catalog.ts";
import type { Bars } from "../model/bars.ts";

export const PRICE_BASES = ["raw", "adjusted"] as const;
export type PriceBasis = (typeof PRICE_BASES)[number];

/** `--price` / config `price`: raw (the default) or adjusted. */
export function parsePriceBasis(value: string | undefined, where = "--price"): PriceBasis {
  if (value === undefined) return "raw";
  if ((PRICE_BASES as readonly string[]).includes(value)) return value as PriceBasis;
  throw new ConfigError(`${where}: "${value}" is not raw or adjusted`, "use --price raw (the vendor's close) or --price adjusted (its adjusted close)");
}

/** The basis a catalog entry records (entries written before the choice existed hold raw prices). */
export function storedBasis(entry: CatalogEntry | undefined): PriceBasis {
  return entry?.price ?? "raw";
}

/**
 * Bars on the chosen basis. Raw: as the vendor sent them. Adjusted: where the vendor gives an adjusted close, each bar
 * is scaled by adjClose ÷ close (open, high and low by the same factor, so the candle keeps its shape and OHLC stays
 * consistent; the close becomes c × (adjClose ÷ c): the adjusted close to within one ulp, not always the same double, as 49 × (1 ÷ 49) is 0.9999999999999999); a bar of such a series without an adjusted close gets NaN prices
 * (bad_value reports them) rather than a raw price among adjusted ones. A series without any adjusted close (a vendor
 * that sends none) is stored as sent. Volume, dividends and split factors are kept as they are.
 */
export function choosePrice(bars: Bars, basis: PriceBasis): Bars {
  const adj = bars.actions?.adjClose;
  if (basis === "raw" || !adj || !adj.some((x) => x === x)) return bars;
  const n = bars.timestamp.length;
  const out: Bars = {
    ...bars,
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const a = adj[i]!;
    const c = bars.close[i]!;
    const k = a === a && c > 0 && c !== Infinity ? a / c : Number.NaN;
    out.open[i] = bars.open[i]! * k;
    out.high[i] = bars.high[i]! * k;
    out.low[i] = bars.low[i]! * k;
    // c × k, not a: multiplying by one positive factor keeps every order (high ≥ close …) exactly, even after rounding.
    out.close[i] = c * k;
  }
  return out;
}

/**
 * Refuse to merge bars of one basis into a stored series of the other: the series would switch from raw to adjusted
 * prices at some bar, a step no check could tell from a real move. Only a stored file counts (a series whose file was
 * deleted is ingested afresh on the new basis).
 */
export function assertSameBasis(series: string, entry: CatalogEntry | undefined, hasStoredBars: boolean, basis: PriceBasis): void {
  const stored = storedBasis(entry);
  if (!hasStoredBars || stored === basis) return;
  throw new InputError(
    `${series}: stored with ${stored} prices, this run asks for ${basis} (--price): mixing them in one series is refused; nothing was changed`,
    `pass --price ${stored} (or set "price": "${stored}" in the config), or delete ${entry?.path ?? "the series' file"} to ingest it again with ${basis} prices`,
  );
}
