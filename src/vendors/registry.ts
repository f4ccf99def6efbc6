import { ConfigError } from "../errors.ts";
import { fileVendor } from "./file/index.ts";
import type { Vendor, VendorContext } from "./types.ts";

const FACTORIES: Record<string, (ctx: VendorContext) => Vendor> = {
  file: fileVendor,
};

/** Names of the vendors dqctl can ingest from. */
export const VENDOR_NAMES = Object.keys(FACTORIES);

/** Create a vendor by name. */
export function createVendor(name: string, ctx: VendorContext): Vendor {
  const f = FACTORIES[name];
  if (!f) throw new ConfigError(`unknown vendor "${name}"`, `use one of ${VENDOR_NAMES.join(", ")}`);
  return f(ctx);
}
