import type { Config } from "../config/schema.ts";
import type { Logger } from "../context.ts";
import type { Bars } from "../model/bars.ts";
import type { Interval } from "../model/interval.ts";
import type { Profile } from "../model/profile.ts";
import type { SymbolId } from "../model/symbol.ts";

/** One request for bars of one symbol. Times are UTC epoch ms; `toMs` inclusive. */
export interface FetchRequest {
  symbol: SymbolId;
  profile: Profile;
  interval: Interval;
  fromMs?: number;
  toMs?: number;
}

/** What a vendor returns: normalised bars (sorted, unique, daily bars at 00:00 UTC of the session date). */
export interface FetchResult {
  bars: Bars;
  /** True when the vendor stopped early (timeout, dropped socket) and the bars are known incomplete. */
  partial?: boolean;
  /** True when the request asked further back than the vendor serves (an empty answer then proves nothing about genesis). */
  capped?: boolean;
  /** Vendor-side identifier actually requested (e.g. `EURUSD=X`). */
  ticker?: string;
  /** Wall time spent, ms (for latency percentiles). */
  latencyMs?: number;
  /** Rows the source held with every OHLCV cell empty (file vendor): dropped, reported by ingest as `empty_rows`. */
  emptyRows?: { file: string; lines: number[]; unit: "line" | "row" };
}

/** A bar source. Vendors never write files. */
export interface Vendor {
  readonly name: string;
  fetch(req: FetchRequest, signal?: AbortSignal): Promise<FetchResult>;
}

/** What a vendor factory gets. */
export interface VendorContext {
  config: Config;
  log: Logger;
  env: Record<string, string | undefined>;
  /** file vendor: the --source path. */
  source?: string;
}
