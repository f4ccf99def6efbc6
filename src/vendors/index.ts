import { ConfigError } from "../errors.ts";
import { alphaVantageVendor } from "./alphavantage.ts";
import { binanceVendor } from "./binance.ts";
import { fredVendor } from "./fred.ts";
import { tradingviewVendor } from "./tradingview/chart.ts";
import type { Vendor, VendorContext } from "./types.ts";
import { yahooVendor } from "./yahoo.ts";

/** Builds one vendor instance (its HTTP client, limits and caches live as long as the instance). */
export type VendorFactory = (ctx: VendorContext) => Vendor;

/**
 * The network vendors, by name. src/vendors/registry.ts adds the `file` vendor (which needs no network).
 */
export const VENDORS: Record<string, VendorFactory> = {
  yahoo: (ctx) => yahooVendor(ctx),
  binance: (ctx) => binanceVendor(ctx),
  alphavantage: (ctx) => alphaVantageVendor(ctx),
  fred: (ctx) => fredVendor(ctx),
  tradingview: (ctx) => tradingviewVendor(ctx),
};

/** Names accepted by createVendor (registry plus `extra`). */
export function vendorNames(extra: Record<string, VendorFactory> = {}): string[] {
  return [...new Set([...Object.keys(VENDORS), ...Object.keys(extra)])];
}

/** Create the vendor called `name` (`extra` adds or replaces factories); an unknown name is a ConfigError listing the valid ones. */
export function createVendor(name: string, ctx: VendorContext, extra: Record<string, VendorFactory> = {}): Vendor {
  const key = name.trim().toLowerCase().replace(/[_-]/g, "");
  const factory = extra[key] ?? VENDORS[key];
  if (!factory) {
    throw new ConfigError(`unknown vendor "${name}"`, `use one of ${vendorNames(extra).join(", ")}`);
  }
  return factory(ctx);
}

;
;
;
;
