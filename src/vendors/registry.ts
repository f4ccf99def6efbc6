import { fileVendor } from "./file/index.ts";
import { createVendor as createFromRegistry, type VendorFactory, vendorNames } from "./index.ts";
import type { Vendor, VendorContext } from "./types.ts";

const LOCAL: Record<string, VendorFactory> = { file: fileVendor };

/** Names of the vendors dqctl can ingest from: the network vendors and `file`. */
export const VENDOR_NAMES = vendorNames(LOCAL);

/** Create a vendor by name (`file` reads local files; the others speak their HTTP or WebSocket APIs). */
export function createVendor(name: string, ctx: VendorContext): Vendor {
  return createFromRegistry(name, ctx, LOCAL);
}
