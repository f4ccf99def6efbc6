import { existsSync } from "node:fs";
import { loadReference, type ReferenceOverrides } from "../calendar/reference.ts";
import type { Config } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";
import { loadInstruments, mergeInstruments } from "../reference/instruments.ts";

export const DEFAULT_REFERENCE_DIR = "config/reference";

/** The reference folder in use: `referenceDir` (must exist when configured), else ./config/reference when present. */
export function referenceDirFor(config: Config): string | undefined {
  const dir = config.referenceDir ?? DEFAULT_REFERENCE_DIR;
  if (!existsSync(dir)) {
    if (config.referenceDir) throw new ConfigError(`referenceDir not found: ${dir}`, "fix referenceDir in the config, or remove it");
    return undefined;
  }
  return dir;
}

/**
 * Load all reference data once: calendar overrides (holidays.json, sessions.json) and instruments.json merged under
 * `config.instruments` (config wins), so calendars, symbol mapping and checks all see the reference instruments.
 */
export function loadReferenceData(config: Config): { reference: ReferenceOverrides | undefined; config: Config } {
  const dir = referenceDirFor(config);
  if (dir === undefined) return { reference: undefined, config };
  const reference = loadReference(dir);
  const { instruments, file } = loadInstruments(dir);
  if (!file) return { reference, config };
  reference.files.push(file);
  return { reference, config: mergeInstruments(config, instruments) };
}
