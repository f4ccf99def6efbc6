// The one list of vendors. Each describes itself in its own file (descriptor.ts says how); everything that
// names vendors derives from this list: createVendor, --vendor help and completion, the config's
// `vendors.<name>` keys, the key variables secrets are read from, reference data's `tickers.<vendor>` keys and
// the lineage graph. Adding a vendor is its file plus one line below. Each derivation takes the list as a
// parameter (defaulting to VENDORS), so tests can prove a new descriptor flows through all of them.
import { ConfigError } from "../errors.ts";
import { suggestion } from "../suggest.ts";
import { ALPHAVANTAGE } from "./alphavantage.ts";
import { BINANCE } from "./binance.ts";
import type { BarsDescriptor, Descriptor } from "./descriptor.ts";
import { FILE } from "./file/index.ts";
import { FRED } from "./fred.ts";
import { type VendorSettings, vendorSettings } from "./settings.ts";
import { TRADINGVIEW } from "./tradingview/chart.ts";
import { TRADINGVIEW_SCANNER } from "./tradingview/screener.ts";
import type { Vendor, VendorContext } from "./types.ts";
import { YAHOO } from "./yahoo.ts";

/** Every vendor and endpoint dqctl knows, in the order help, completion and the lineage graph list them. */
export const VENDORS: readonly Descriptor[] = [YAHOO, BINANCE, ALPHAVANTAGE, FRED, TRADINGVIEW, FILE, TRADINGVIEW_SCANNER];

/**
 * Push sources `ingest --vendor` takes beside the bar vendors: bars arrive on a broker as they are produced instead
 * of being fetched (`stream`: a NATS JetStream subject, src/stream/consume.ts; its settings live under `stream`).
 */
export const STREAM_SOURCES: readonly string[] = ["stream"];

/** True when `name` is a push source (`--vendor stream`). */
export function isStreamSource(name: string): boolean {
  return STREAM_SOURCES.includes(canonicalVendorName(name));
}

/** A vendor name as typed, reduced for matching (`Alpha_Vantage` and `alphavantage` are the same vendor). */
export function canonicalVendorName(name: string): string {
  return name.trim().toLowerCase().replace(/[_-]/g, "");
}

/** The vendors that serve bars (every descriptor but the screener). */
export function barVendors(list: readonly Descriptor[] = VENDORS): BarsDescriptor[] {
  return list.filter((d): d is BarsDescriptor => d.kind === "bars");
}

/** Names accepted by --vendor (also completion's values and the valid `tickers.<vendor>` keys). */
export function vendorNames(list: readonly Descriptor[] = VENDORS): string[] {
  return barVendors(list).map((d) => d.name);
}

/** Names of the vendors dqctl can ingest from. */
export const VENDOR_NAMES: readonly string[] = vendorNames();

/** The bar vendor a typed name means (case, `_` and `-` ignored), if any. */
export function findVendor(name: string, list: readonly Descriptor[] = VENDORS): BarsDescriptor | undefined {
  const key = canonicalVendorName(name);
  return barVendors(list).find((d) => canonicalVendorName(d.name) === key);
}

/** An unknown vendor name: a ConfigError with the closest name and the valid ones. */
export function unknownVendor(name: string, list: readonly Descriptor[] = VENDORS, what = "unknown vendor"): ConfigError {
  const names = vendorNames(list);
  return new ConfigError(`${what} "${name.trim()}"${suggestion(name.trim(), names)}`, `use one of ${names.join(", ")}`);
}

/** Create the vendor called `name` (`file` reads local files; the others speak their HTTP or WebSocket APIs). */
export function createVendor(name: string, ctx: VendorContext, list: readonly Descriptor[] = VENDORS): Vendor {
  const d = findVendor(name, list);
  if (!d) throw unknownVendor(name, list);
  return d.create(ctx);
}

/** `--vendor` help: the names, `a | b | c`. */
export function vendorChoices(list: readonly Descriptor[] = VENDORS, separator = " | "): string {
  return vendorNames(list).join(separator);
}

/** Descriptors that take settings under `vendors.<name>` in the config: the network ones, the screener too. */
export function configurableVendors(list: readonly Descriptor[] = VENDORS): string[] {
  return list.filter((d) => d.network).map((d) => d.name);
}

/** Every environment variable an endpoint reads a credential from (ALPHAVANTAGE_API_KEY, FRED_API_KEY, …). */
export function apiKeyEnvs(list: readonly Descriptor[] = VENDORS): string[] {
  return list.flatMap((d) => (d.network && d.settings.apiKeyEnv ? [d.settings.apiKeyEnv] : []));
}

/** Resolved settings of the network vendor or endpoint called `name` (exact config key, e.g. `tradingview-scanner`). */
export function settingsFor(name: string, ctx: Pick<VendorContext, "config" | "env">, list: readonly Descriptor[] = VENDORS): VendorSettings {
  const d = list.find((x) => x.name === name) ?? findVendor(name, list);
  if (!d?.network)
    throw new ConfigError(
      `${d ? `vendor ${d.name} takes no network settings` : `unknown vendor "${name}"`}`,
      `network vendors: ${configurableVendors(list).join(", ")}`,
    );
  return vendorSettings(d, ctx);
}
