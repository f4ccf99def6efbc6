// Reference data (seed 004): instruments.json here; holidays.json and sessions.json live with the calendars.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadReference } from "../calendar/reference.ts";
import { ConfigError } from "../errors.ts";
import { INSTRUMENTS_FILE, loadInstruments } from "./instruments.ts";

export { applyReference, loadInstruments, mergeInstruments } from "./instruments.ts";

/** The three reference files, in the order `reference check` reports them. */
export const REFERENCE_FILES = [INSTRUMENTS_FILE, "sessions.json", "holidays.json"] as const;

/** What `reference check` found in a folder. */
export interface ReferenceCheck {
  dir: string;
  files: { file: string; path: string; present: boolean; entries: number }[];
  instruments: string[];
}

/** Validate every reference file in `dir` (each optional); the first bad one throws a ConfigError naming file, key and field. */
export function checkReference(dir: string): ReferenceCheck {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError(`reference folder not found: ${dir}`, "pass --reference-dir DIR (default config/reference), or set referenceDir in the config");
  }
  const { instruments } = loadInstruments(dir);
  const ref = loadReference(dir);
  const count: Record<string, number> = {
    [INSTRUMENTS_FILE]: Object.keys(instruments).length,
    "sessions.json": Object.keys(ref.sessions).length,
    "holidays.json": Object.keys(ref.holidays).length,
  };
  return {
    dir,
    files: REFERENCE_FILES.map((file) => {
      const path = join(dir, file);
      return { file, path, present: existsSync(path), entries: count[file] ?? 0 };
    }),
    instruments: Object.keys(instruments).sort(),
  };
}
