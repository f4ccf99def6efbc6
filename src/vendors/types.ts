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

/**
 * Why an answer may fall short of the window asked for:
 * - `history_cap`: the vendor serves less history than asked (a look-back limit, an account's bar limit);
 * - `page_limit`: paging stopped at a page or size limit before the window start;
 * - `partial`: a timeout or dropped connection cut the answer (the bars are known incomplete);
 * - `clipped`: the vendor answered a shorter range than asked (e.g. a compact output);
 * - `unconfirmed_end`: the answer stopped without the vendor saying its history ends there.
 */
export type IncompleteReason = "history_cap" | "page_limit" | "partial" | "clipped" | "unconfirmed_end";

/** A vendor's note that its answer may not reach as far back as asked. */
export interface Incomplete {
  reason: IncompleteReason;
  /** One line for people: what was cut, e.g. "1m bars are served 30 days back". */
  detail: string;
}

/** What a vendor returns: normalised bars (sorted, unique, daily bars at 00:00 UTC of the session date). */
export interface FetchResult {
  bars: Bars;
  /** Bars the vendor received for this answer before clipping it to the window (what was downloaded); absent: `bars`' count. */
  barsReceived?: number;
  /**
   * Set when this answer may not reach as far back as asked (or may miss bars inside the window), with the reason.
   * Absent means the vendor answered the whole window: only such an answer can prove a genesis.
   */
  incomplete?: Incomplete;
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
  /**
   * How a worker thread makes the same vendor (a local one: it shares no rate limit or connection with this one),
   * so its reads and decodes run in parallel; absent: fetches stay on the main thread.
   */
  readonly replica?: { name: string; source?: string };
}

/** What a vendor factory gets. */
export interface VendorContext {
  config: Config;
  log: Logger;
  env: Record<string, string | undefined>;
  /** file vendor: the --source path. */
  source?: string;
}
