import { existsSync } from "node:fs";
import * as v from "valibot";
import { writeJsonAtomic } from "./atomic.ts";
import { parseJsonFile } from "./catalog.ts";

const IntervalHealth = v.object({
  status: v.string(),
  rows: v.number(),
  audit_hash: v.nullable(v.string()),
  reasons: v.array(v.string()),
  qualityScore: v.nullable(v.number()),
});
const EntrySchema = v.object({
  status: v.string(),
  last_audit: v.nullable(v.string()),
  last_repair: v.nullable(v.string()),
  audit_hash: v.nullable(v.string()),
  gaps_filled: v.number(),
  is_toxic: v.boolean(),
  reasons: v.array(v.string()),
  quarantined: v.optional(v.array(v.string())),
  intervals: v.optional(v.record(v.string(), IntervalHealth)),
});
const RegistrySchema = v.record(v.string(), EntrySchema);

export type HealthEntry = v.InferOutput<typeof EntrySchema>;
/** Validates one registry entry (the commit journal carries whole entries). */
export const HealthEntrySchema = EntrySchema;

/** foundation_health.json: per symbol status, last audit and repair, toxicity and its reasons. */
export class HealthRegistry {
  /** Each entry as the file holds it (JSON), so a commit can tell an entry re-judged to what it was (isSaved). */
  private readonly saved = new Map<string, string>();

  private constructor(
    readonly path: string,
    private readonly data: Record<string, HealthEntry>,
    fromFile = false,
  ) {
    if (fromFile) for (const [k, e] of Object.entries(data)) this.saved.set(k, JSON.stringify(e));
  }

  /** An empty registry (a store that is not a folder fills it from its own rows). */
  static empty(path: string): HealthRegistry {
    return new HealthRegistry(path, {});
  }

  static load(path: string): HealthRegistry {
    if (!existsSync(path)) return new HealthRegistry(path, {});
    return new HealthRegistry(path, parseJsonFile(path, RegistrySchema, "fix or delete it; `dqctl audit` rebuilds it"), true);
  }

  /** A registry holding only `entries` (a worker thread's copy of the entries its series touch); saved to `path`. */
  static of(path: string, entries: Record<string, HealthEntry>): HealthRegistry {
    return new HealthRegistry(path, { ...entries });
  }

  get(symbol: string): HealthEntry | undefined {
    return this.data[symbol];
  }

  /** The entry for `symbol`, created empty when absent. */
  ensure(symbol: string): HealthEntry {
    this.data[symbol] ??= { status: "unknown", last_audit: null, last_repair: null, audit_hash: null, gaps_filled: 0, is_toxic: false, reasons: [] };
    return this.data[symbol];
  }

  /** Replace a symbol's entry (recovery applies entries a committed journal carries). */
  set(symbol: string, entry: HealthEntry): void {
    this.data[symbol] = entry;
  }

  isToxic(symbol: string): boolean {
    return this.data[symbol]?.is_toxic === true;
  }

  symbols(): string[] {
    return Object.keys(this.data).sort();
  }

  /** True when `symbol`'s entry is exactly what the file holds (loaded or last saved so). */
  isSaved(symbol: string): boolean {
    const e = this.data[symbol];
    return e !== undefined && this.saved.get(symbol) === JSON.stringify(e);
  }

  save(): void {
    const sorted: Record<string, HealthEntry> = {};
    for (const k of this.symbols()) sorted[k] = this.data[k]!;
    writeJsonAtomic(this.path, sorted);
    this.saved.clear();
    for (const [k, e] of Object.entries(sorted)) this.saved.set(k, JSON.stringify(e));
  }
}
