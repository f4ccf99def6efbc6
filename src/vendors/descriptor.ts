// What a vendor says about itself, once, in its own file (the model: ccxt's `describe()`). The registry
// (registry.ts) lists the descriptors; createVendor, the config's `vendors.<name>` keys, the key variables
// secrets are read from, the --vendor help, completion and the reference data's `tickers` keys derive from it.
import type { VendorOptions } from "../config/schema.ts";
import type { Interval } from "../model/interval.ts";
import type { EndpointDefaults } from "./settings.ts";
import type { Screener } from "./tradingview/screener.ts";
import type { Vendor, VendorContext } from "./types.ts";

/** What a bar vendor can serve. */
export interface Capabilities {
  /** Intervals it serves; any other is refused with a ConfigError before a request is made. */
  intervals: readonly Interval[];
  /** Whether it honours a request's fromMs/toMs (returns only bars inside the window). */
  range: boolean;
  /** How far back it serves, in days, per interval (absent: as far as its history goes). */
  historyDays?: Partial<Record<Interval, number>>;
  /** Whether a request reaching further back than it serves is clamped and marked `incomplete` (so an empty answer proves no genesis). */
  capsHistory: boolean;
  /** Whether prices come adjusted for corporate actions (splits). */
  corporateActions: boolean;
  /** Whether an API key is needed (`optional`: used when present, e.g. a login token). */
  apiKey: "required" | "optional" | "none";
}

interface Described {
  /** The name used by --vendor, `vendors.<name>` in the config and `tickers.<name>` in reference data. */
  name: string;
  /** One line saying what it is. */
  description: string;
}

/** A vendor over the network: its settings defaults (config `vendors.<name>` and the environment override them). */
export interface NetworkTransport {
  network: true;
  settings: EndpointDefaults;
}

/** A vendor that reads local data: no network settings, only the `vendors.<name>` keys it lists (none: no entry). */
export interface LocalTransport {
  network: false;
  configKeys: readonly (keyof typeof VendorOptions.entries)[];
}

/** A source of bars (`ingest --vendor`, `bootstrap --vendor`). */
export type BarsDescriptor = Described &
  (NetworkTransport | LocalTransport) & {
    kind: "bars";
    capabilities: Capabilities;
    /** Build one instance (its HTTP client, limits and caches live as long as the instance). */
    create(ctx: VendorContext): Vendor;
  };

/** A screener endpoint (`scan` with `source: tradingview`): it has settings, but serves no bars. */
export type ScreenerDescriptor = Described &
  NetworkTransport & {
    kind: "screener";
    create(ctx: Pick<VendorContext, "config" | "env" | "log">): Screener;
  };

/** A bar vendor over the network (what a vendor file declares its descriptor as). */
export type NetworkVendorDescriptor = BarsDescriptor & NetworkTransport;

/** A bar vendor over local data. */
export type LocalVendorDescriptor = BarsDescriptor & LocalTransport;

/** Anything the registry lists. */
export type Descriptor = BarsDescriptor | ScreenerDescriptor;
