/**
 * The bootstrap cache (`--cache-dir`, default data_foundation/cache/pricing). One entry per content key:
 *
 *   pricing_<key16>.parquet        the dataset (CSV, `.csv`, when Parquet cannot be written or --format csv)
 *   pricing_<key16>_issues.json    the findings of the run that wrote it
 *   pricing_<key16>_metadata.json  key inputs, resolved window, vendors, rows, symbols, created, file, sha256
 *
 * Decisions:
 * - The key is sha256 of the canonical JSON of the inputs (vendors in priority order, symbols sorted, interval,
 *   resolved window, format, and the file vendor's source path when it is used): the same request over the same
 *   window is the same dataset, whatever order the symbols were typed in.
 * - Every file is written atomically, dataset first and metadata last, so an entry exists exactly when its metadata
 *   does; a reader that finds metadata whose dataset is missing or fails its sha256 treats it as a miss and the
 *   entry is rewritten. Writing over an existing entry is a plain atomic replace, so a second run never crashes.
 * - Retention and max entries are judged against the run's "now" (pinned by --now); the entry just written or
 *   served is never pruned, and an expired entry is never served.
 */
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import type { Logger } from "../context.ts";
import { TEMP_NAME, writeFileAtomic, writeJsonAtomic } from "../lakehouse/atomic.ts";
import { pidGone } from "../lakehouse/lock-holder.ts";
import { encodeStitched, initParquet, type StitchedTable } from "../lakehouse/parquet.ts";
import type { Finding } from "../model/finding.ts";
import type { SymbolReport } from "../report/summary.ts";

const DAY_MS = 86_400_000;
export const DEFAULT_CACHE_DIR = "data_foundation/cache/pricing";
export const CACHE_SCHEMA = "dqctl.pricing-cache/v1";

/** What identifies a dataset. */
export interface CacheKeyInputs {
  vendors: string[];
  symbols: string[];
  interval: string;
  start: string;
  end: string;
  format: "parquet" | "csv";
  source?: string;
}

/** `_metadata.json` of one entry. */
export interface CacheMetadata {
  schema: typeof CACHE_SCHEMA;
  key: string;
  inputs: CacheKeyInputs;
  window: { start: string; end: string };
  vendors: string[];
  vendorsUsed: string[];
  rows: number;
  symbols: string[];
  reports: SymbolReport[];
  created: string;
  file: string;
  format: "parquet" | "csv";
  bytes: number;
  sha256: string;
}

/** A cache entry on disk. */
export interface CacheEntry {
  metadata: CacheMetadata;
  datasetPath: string;
  issues: Finding[];
}

const MetadataSchema = v.looseObject({
  schema: v.literal(CACHE_SCHEMA),
  key: v.string(),
  created: v.string(),
  file: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]+$/)),
  sha256: v.string(),
  rows: v.number(),
  symbols: v.array(v.string()),
  reports: v.array(v.looseObject({ symbol: v.string() })),
});
const IssuesSchema = v.array(v.looseObject({ code: v.string(), severity: v.picklist(["warning", "error"]), message: v.string() }));

/** Metadata and issues read from elsewhere (the shared cache), checked like a local entry's; undefined when malformed. */
export function parseEntryParts(metadata: unknown, issues: unknown): { metadata: CacheMetadata; issues: Finding[] } | undefined {
  const m = v.safeParse(MetadataSchema, metadata);
  const i = v.safeParse(IssuesSchema, issues);
  return m.success && i.success ? { metadata: m.output as unknown as CacheMetadata, issues: i.output as Finding[] } : undefined;
}

/** sha256 of the canonical key inputs (symbols sorted; undefined fields dropped). */
export function cacheKey(inputs: CacheKeyInputs): string {
  const canonical = { ...inputs, symbols: [...inputs.symbols].sort() };
  return createHash("sha256")
    .update(JSON.stringify(canonical, Object.keys(canonical).sort()))
    .digest("hex");
}

/** File stem of an entry. */
export function entryStem(key: string): string {
  return `pricing_${key.slice(0, 16)}`;
}

/** sha256 of bytes, hex. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** The entry for `key` when it is complete, intact (sha256) and within retention; undefined otherwise (a miss). */
export function lookup(dir: string, key: string, nowMs: number, retentionDays: number | undefined, log: Logger): CacheEntry | undefined {
  const stem = entryStem(key);
  const metaPath = join(dir, `${stem}_metadata.json`);
  if (!existsSync(metaPath)) return undefined;
  const miss = (why: string) => {
    log.debug(`cache ${stem}: ${why}; refetching`);
    return undefined;
  };
  try {
    const meta = v.safeParse(MetadataSchema, readJson(metaPath));
    if (!meta.success) return miss("metadata malformed");
    const m = meta.output as unknown as CacheMetadata;
    if (m.key !== key) return miss("metadata belongs to another key");
    if (retentionDays !== undefined && Date.parse(m.created) < nowMs - retentionDays * DAY_MS) return miss("entry older than the retention");
    const datasetPath = join(dir, m.file);
    if (!existsSync(datasetPath)) return miss("dataset file missing");
    if (sha256(readFileSync(datasetPath)) !== m.sha256) return miss("dataset sha256 mismatch");
    const issuesPath = join(dir, `${stem}_issues.json`);
    const issues = existsSync(issuesPath) ? v.safeParse(IssuesSchema, readJson(issuesPath)) : undefined;
    if (!issues?.success) return miss("issues file missing or malformed");
    return { metadata: m, datasetPath, issues: issues.output as Finding[] };
  } catch (err) {
    return miss(`unreadable (${(err as Error).message})`);
  }
}

/** Serialise a dataset as CSV: ISO timestamps, empty cells for missing values, RFC 4180 quoting. */
export function toCsv(t: StitchedTable): string {
  const q = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const n = (x: number) => (Number.isNaN(x) ? "" : String(x));
  const lines = ["timestamp,symbol,open,high,low,close,volume,primary_source,sources"];
  for (let i = 0; i < t.timestamp.length; i++) {
    lines.push(
      [
        new Date(t.timestamp[i]!).toISOString(),
        q(t.symbol[i]!),
        n(t.open[i]!),
        n(t.high[i]!),
        n(t.low[i]!),
        n(t.close[i]!),
        n(t.volume[i]!),
        q(t.primarySource[i]!),
        q(t.sources[i]!),
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** What a run stores. */
export interface StoreInput {
  key: string;
  inputs: CacheKeyInputs;
  table: StitchedTable;
  issues: Finding[];
  reports: SymbolReport[];
  vendorsUsed: string[];
  createdMs: number;
}

/** Encode the dataset (Parquet, or CSV when asked or when Parquet cannot be written) and write the entry atomically. */
export async function store(dir: string, s: StoreInput, log: Logger): Promise<CacheEntry> {
  mkdirSync(dir, { recursive: true });
  const stem = entryStem(s.key);
  let format = s.inputs.format;
  let bytes: Uint8Array | undefined;
  if (format === "parquet") {
    try {
      await initParquet();
      bytes = encodeStitched(s.table);
    } catch (err) {
      log.warn(`cache: Parquet could not be written (${(err as Error).message.split("\n")[0]}); writing CSV instead`);
      format = "csv";
    }
  }
  bytes ??= new TextEncoder().encode(toCsv(s.table));
  const file = `${stem}.${format}`;
  const metadata: CacheMetadata = {
    schema: CACHE_SCHEMA,
    key: s.key,
    inputs: s.inputs,
    window: { start: s.inputs.start, end: s.inputs.end },
    vendors: s.inputs.vendors,
    vendorsUsed: s.vendorsUsed,
    rows: s.table.timestamp.length,
    symbols: [...new Set(s.table.symbol)],
    reports: s.reports,
    created: new Date(s.createdMs).toISOString(),
    file,
    format,
    bytes: bytes.length,
    sha256: sha256(bytes),
  };
  return install(dir, metadata, s.issues, bytes);
}

/** Write an entry whose parts are known (a fresh dataset, or one fetched from the shared cache): dataset first, metadata last. */
export function install(dir: string, metadata: CacheMetadata, issues: Finding[], bytes: Uint8Array): CacheEntry {
  mkdirSync(dir, { recursive: true });
  const stem = entryStem(metadata.key);
  const datasetPath = join(dir, metadata.file);
  writeFileAtomic(datasetPath, bytes);
  // A format switch (Parquet → CSV fallback or back) must not leave the other file behind as an orphan.
  rmSync(join(dir, `${stem}.${metadata.format === "csv" ? "parquet" : "csv"}`), { force: true });
  writeJsonAtomic(join(dir, `${stem}_issues.json`), issues);
  writeJsonAtomic(join(dir, `${stem}_metadata.json`), metadata);
  return { metadata, datasetPath, issues };
}

/** Remove temp files a killed run left in the cache: dqctl's own names whose writer is gone, never through a link. */
export function sweepTemps(dir: string): void {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) return;
  for (const f of readdirSync(dir)) {
    const m = TEMP_NAME.exec(f);
    if (m && pidGone(Number(m[2])) && lstatSync(join(dir, f)).isFile()) rmSync(join(dir, f), { force: true });
  }
}

/** Pruning limits; `keep` is the key written or served by this run (never pruned). */
export interface PruneOptions {
  retentionDays?: number | undefined;
  maxEntries?: number | undefined;
  keep?: string | undefined;
  nowMs: number;
}

/** Remove entries older than the retention, then the oldest beyond max entries; returns the pruned file stems. */
export function prune(dir: string, o: PruneOptions, log: Logger): string[] {
  if (!existsSync(dir) || (o.retentionDays === undefined && o.maxEntries === undefined)) return [];
  const entries: { stem: string; key: string; created: number; file?: string }[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith("pricing_") || !name.endsWith("_metadata.json")) continue;
    const stem = name.slice(0, -"_metadata.json".length);
    try {
      const m = readJson(join(dir, name)) as Partial<CacheMetadata>;
      const created = Date.parse(String(m.created));
      entries.push({ stem, key: String(m.key), created: Number.isNaN(created) ? -Infinity : created, ...(typeof m.file === "string" ? { file: m.file } : {}) });
    } catch {
      entries.push({ stem, key: "", created: -Infinity }); // unreadable metadata: the oldest, pruned first
    }
  }
  entries.sort((a, b) => b.created - a.created || a.stem.localeCompare(b.stem));
  const keepStem = o.keep ? entryStem(o.keep) : undefined;
  const kept = entries.some((e) => e.stem === keepStem) ? 1 : 0;
  const cutoff = o.retentionDays === undefined ? -Infinity : o.nowMs - o.retentionDays * DAY_MS;
  let room = o.maxEntries === undefined ? Infinity : Math.max(0, o.maxEntries - kept);
  const pruned: string[] = [];
  for (const e of entries) {
    if (e.stem === keepStem) continue;
    if (e.created >= cutoff && room > 0) {
      room--;
      continue;
    }
    // Metadata first: the entry vanishes for readers before its dataset does.
    rmSync(join(dir, `${e.stem}_metadata.json`), { force: true });
    for (const f of [e.file, `${e.stem}.parquet`, `${e.stem}.csv`, `${e.stem}_issues.json`]) {
      if (f && /^[A-Za-z0-9._-]+$/.test(f)) rmSync(join(dir, f), { force: true });
    }
    pruned.push(e.stem);
  }
  if (pruned.length) log.info(`cache: pruned ${pruned.length} entr${pruned.length === 1 ? "y" : "ies"} from ${dir}`);
  return pruned;
}
