import { existsSync } from "node:fs";
import { loadReference, type ReferenceOverrides } from "../calendar/reference.ts";
import type { Config } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";

export const DEFAULT_REFERENCE_DIR = "config/reference";

/** Reference overrides from `referenceDir` (must exist when configured) or ./config/reference when present. */
export function loadReferenceFor(config: Config): ReferenceOverrides | undefined {
  const dir = config.referenceDir ?? DEFAULT_REFERENCE_DIR;
  if (!existsSync(dir)) {
    if (config.referenceDir) throw new ConfigError(`referenceDir not found: ${dir}`, "fix referenceDir in the config, or remove it");
    return undefined;
  }
  return loadReference(dir);
}
