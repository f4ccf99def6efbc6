import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as v from "valibot";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../errors.ts";
import { validate } from "../lakehouse/catalog.ts";

const Filter = v.object({ left: v.string(), operation: v.string(), right: v.optional(v.unknown()) });

/** A scanner config after `base_preset` inheritance. */
export const ScannerSchema = v.object({
  name: v.optional(v.string()),
  source: v.optional(v.picklist(["static", "tradingview"]), "static"),
  symbols: v.optional(v.array(v.string())),
  market: v.optional(v.string()),
  markets: v.optional(v.array(v.string())),
  filters: v.optional(v.array(Filter)),
  columns: v.optional(v.array(v.string())),
  sort: v.optional(v.object({ sortBy: v.string(), sortOrder: v.optional(v.picklist(["asc", "desc"])) })),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  pageSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  direction: v.optional(v.picklist(["long", "short", "both"])),
  asset_type: v.optional(v.string()),
  profile: v.optional(v.picklist(["crypto", "equity", "futures", "forex"])),
  metadata: v.optional(v.record(v.string(), v.unknown())),
});
export type ScannerConfig = v.InferOutput<typeof ScannerSchema> & { file: string };

type Json = Record<string, unknown>;

/** Deep merge for presets: objects merge key by key, a child's list (or scalar) replaces the parent's. */
export function deepMerge(parent: Json, child: Json): Json {
  const out: Json = { ...parent };
  for (const [k, cv] of Object.entries(child)) {
    const pv = out[k];
    out[k] = isPlainObject(pv) && isPlainObject(cv) ? deepMerge(pv, cv) : cv;
  }
  return out;
}

function isPlainObject(x: unknown): x is Json {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function readDoc(file: string): Json {
  if (!existsSync(file)) throw new ConfigError(`scanner config not found: ${file}`, "check the --config path and base_preset references");
  const text = readFileSync(file, "utf8");
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      `${file}: malformed ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"} (${(err as Error).message.split("\n")[0]})`,
      "fix the scanner config syntax",
    );
  }
  if (!isPlainObject(raw)) throw new ConfigError(`${file}: a scanner config must be an object`, "write keys such as source, symbols, filters");
  return raw;
}

/** Load a scanner config, resolving `base_preset` (relative to the file) recursively; cycles are refused. */
export function loadScanner(file: string, seen: string[] = []): ScannerConfig {
  const path = resolve(file);
  if (seen.includes(path)) throw new ConfigError(`${file}: base_preset cycle (${[...seen, path].join(" → ")})`, "remove the circular base_preset");
  const doc = readDoc(path);
  let merged: Json = doc;
  const base = doc.base_preset;
  if (base !== undefined) {
    if (typeof base !== "string") throw new ConfigError(`${file}: field base_preset: expected a file path`, "set base_preset to a path relative to this file");
    const parent = loadScannerRaw(resolve(dirname(path), base), [...seen, path]);
    merged = deepMerge(parent, doc);
  }
  const { base_preset: _b, ...rest } = merged;
  return { ...validate(ScannerSchema, rest, file, "fix that field of the scanner config", ConfigError), file: path };
}

function loadScannerRaw(path: string, seen: string[]): Json {
  if (seen.includes(path)) throw new ConfigError(`${path}: base_preset cycle (${[...seen, path].join(" → ")})`, "remove the circular base_preset");
  const doc = readDoc(path);
  if (typeof doc.base_preset === "string") return deepMerge(loadScannerRaw(resolve(dirname(path), doc.base_preset), [...seen, path]), doc);
  return doc;
}
