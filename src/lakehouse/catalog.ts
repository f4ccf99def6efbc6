import { existsSync, readFileSync } from "node:fs";
import * as v from "valibot";
import { type DqErrorOptions, InputError } from "../errors.ts";
import { type Bars, barCount } from "../model/bars.ts";
import { iso } from "../model/finding.ts";
import { writeJsonAtomic } from "./atomic.ts";

const EntrySchema = v.object({
  symbol: v.string(),
  interval: v.string(),
  profile: v.string(),
  path: v.string(),
  rows: v.number(),
  start: v.nullable(v.string()),
  end: v.nullable(v.string()),
  genesis: v.nullable(v.string()),
  sha256: v.string(),
  source: v.string(),
  ingestedAt: v.string(),
  qualityScore: v.nullable(v.number()),
  /** The price basis of the stored bars (--price); absent in entries written before it: raw. */
  price: v.optional(v.picklist(["raw", "adjusted"])),
});
const CatalogSchema = v.object({ schema: v.literal("dqctl.catalog/v1"), entries: v.array(EntrySchema) });

export type CatalogEntry = v.InferOutput<typeof EntrySchema>;
/** Validates one catalog entry (the commit journal carries whole entries). */
export const CatalogEntrySchema = EntrySchema;
export type CatalogDoc = v.InferOutput<typeof CatalogSchema>;

/**
 * The genesis an entry keeps when its bars start at `firstMs`: a recorded genesis later than the first stored bar
 * has been disproved (earlier bars arrived), so it is cleared. The one rule every catalog write applies, so the
 * catalog never claims history starts after a bar it holds.
 */
export function keptGenesis(genesis: string | null | undefined, firstMs: number | undefined): string | null {
  if (!genesis) return null;
  return firstMs !== undefined && firstMs < Date.parse(genesis) ? null : genesis;
}

/** Key of one series in the catalog. */
export function seriesKey(symbol: string, interval: string): string {
  return `${symbol}@${interval}`;
}

/** catalog.json: one entry per stored series. */
export class Catalog {
  private readonly entries = new Map<string, CatalogEntry>();
  constructor(readonly path: string) {}

  /** Load from disk (an absent file is an empty catalog; a malformed one is an input error). */
  static load(path: string): Catalog {
    const cat = new Catalog(path);
    if (!existsSync(path)) return cat;
    const doc = parseJsonFile(path, CatalogSchema, "delete it and run `dqctl ingest` to rebuild the catalog");
    for (const e of doc.entries) cat.entries.set(seriesKey(e.symbol, e.interval), e);
    return cat;
  }

  get(symbol: string, interval: string): CatalogEntry | undefined {
    return this.entries.get(seriesKey(symbol, interval));
  }

  set(entry: CatalogEntry): void {
    this.entries.set(seriesKey(entry.symbol, entry.interval), entry);
  }

  delete(symbol: string, interval: string): void {
    this.entries.delete(seriesKey(symbol, interval));
  }

  /** The entry by its key (`symbol@interval`). */
  byKey(key: string): CatalogEntry | undefined {
    return this.entries.get(key);
  }

  all(): CatalogEntry[] {
    return [...this.entries.values()].sort((a, b) => a.symbol.localeCompare(b.symbol) || a.interval.localeCompare(b.interval));
  }

  save(): void {
    writeJsonAtomic(this.path, { schema: "dqctl.catalog/v1", entries: this.all() } satisfies CatalogDoc);
  }
}

/** Read and validate a JSON file, naming the file and the first bad field in errors. */
export function parseJsonFile<S extends v.GenericSchema>(path: string, schema: S, advice: string): v.InferOutput<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new InputError(`${path}: malformed JSON (${(err as Error).message})`, advice, { cause: err, code: "malformed_json", file: path });
  }
  return validate(schema, raw, path, advice, InputError);
}

/** Validate `raw`, turning the first issue into one line naming file and field path. */
export function validate<S extends v.GenericSchema>(
  schema: S,
  raw: unknown,
  where: string,
  advice: string,
  Err: new (m: string, a?: string, o?: DqErrorOptions) => Error,
): v.InferOutput<S> {
  const res = v.safeParse(schema, raw);
  if (res.success) return res.output;
  const issue = res.issues[0]!;
  const path = v.getDotPath(issue);
  const field = path ?? "(root)";
  // `where` is a file path, or a label such as "config" for values that did not come from one file.
  const file = /[./\\]/.test(where) ? { file: where } : {};
  throw new Err(`${where}: field ${field}: ${issue.message}`, advice, { code: "invalid_field", ...file, ...(path ? { field: path } : {}) });
}

/** First and last timestamp of a sorted series as ISO strings (null when empty). */
export function seriesRange(bars: Bars): { start: string | null; end: string | null } {
  const n = barCount(bars);
  return n ? { start: iso(bars.timestamp[0]!), end: iso(bars.timestamp[n - 1]!) } : { start: null, end: null };
}
