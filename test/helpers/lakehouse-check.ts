// The integrity checker of issue 13: what a lakehouse folder must look like after any crash and the next run.
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { decodeBars, initParquet, parquetShapeError } from "../../src/lakehouse/parquet.ts";
import { STAMPS_FILE } from "../../src/lakehouse/stamps.ts";

await initParquet();

/** Problems found, one readable line each, by kind. Every list is empty in a consistent lakehouse. */
export interface LakehouseCheck {
  /** Files that do not parse: a Parquet file that does not decode, a JSON document that is not JSON, a runs.jsonl line that is not a (possibly cut) record. */
  torn: string[];
  /** Catalog entries whose file is missing, or whose sha256, rows, start or end disagree with the file. */
  lyingEntries: string[];
  /** `*.parquet` files in the root that no catalog entry lists. */
  orphans: string[];
  /** dqctl's own temp files and folders, lock debris, a lock or journal left behind. */
  leftoverTemps: string[];
  /** Registry facts lost: a cataloged symbol without a registry entry, a quarantine file no entry lists, a listed one that is gone. */
  registryLoss: string[];
}

export const JOURNAL_FILE = ".dqctl.journal.json";
export const LOCK_FILE = ".dqctl.lock";
/** writeFileAtomic's temp names: `.<file>.<pid>.<hex>.tmp`. A user's own `.notes.tmp` is not one of them. */
const DQCTL_TEMP = /^\..+\.\d+\.[0-9a-f]+\.tmp$/;
const LOCK_DEBRIS = /^\.dqctl\.lock\.\d+\.[0-9a-f]+\.(new|stale)$/;

export const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const iso = (ms: number) => new Date(ms).toISOString();

function readJson(path: string, torn: string[], what: string): any {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    torn.push(`${what}: ${path} is not JSON (${(err as Error).message.slice(0, 80)})`);
    return undefined;
  }
}

/** Every entry under `dir` (not following symlinks), as paths relative to `dir`. */
function walk(dir: string): { rel: string; isDir: boolean }[] {
  const out: { rel: string; isDir: boolean }[] = [];
  if (!existsSync(dir)) return out;
  const visit = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      out.push({ rel: relative(dir, p), isDir: st.isDirectory() });
      if (st.isDirectory()) visit(p);
    }
  };
  visit(dir);
  return out;
}

/** Leftover temp files and folders under `dir` (recursively): dqctl temp names, `.tmp-` folders, lock debris, lock, journal. */
export function leftoverTemps(dir: string): string[] {
  const out: string[] = [];
  for (const { rel, isDir } of walk(dir)) {
    const name = basename(rel);
    if (
      isDir ? name.startsWith(".") && name.includes(".tmp-") : DQCTL_TEMP.test(name) || LOCK_DEBRIS.test(name) || name === LOCK_FILE || name === JOURNAL_FILE
    ) {
      out.push(`${join(dir, rel)}${isDir ? "/" : ""}`);
    }
  }
  return out;
}

/**
 * Check a lakehouse folder. With `settled` false (right after a kill, before any rerun) only what must hold at every
 * instant is checked: no torn file, no catalog entry pointing at a missing file. A journal may then legitimately
 * explain a catalog that lags its files, so hashes, orphans, registry and temps wait for the next run.
 * `extraDirs` (a snapshot's parent folder, a bootstrap cache) are searched for leftover temps too.
 */
export function checkLakehouse(root: string, opts: { settled?: boolean; extraDirs?: string[] } = {}): LakehouseCheck {
  const settled = opts.settled ?? true;
  const r: LakehouseCheck = { torn: [], lyingEntries: [], orphans: [], leftoverTemps: [], registryLoss: [] };
  root = resolve(root);
  if (!existsSync(root)) return r;
  const names = readdirSync(root);
  const quarantineDir = join(root, "quarantine");
  const quarantined = existsSync(quarantineDir) && lstatSync(quarantineDir).isDirectory() ? readdirSync(quarantineDir) : [];

  // Torn files: every Parquet file decodes, every JSON document parses.
  const decoded = new Map<string, { rows: number; start: string | null; end: string | null; sha: string }>();
  const tornData: string[] = [];
  // The symbol history and the feature partitions are tables, not series: they must be whole Parquet files.
  const tables = [
    ...(names.includes("symbols.parquet") ? ["symbols.parquet"] : []),
    ...walk(join(root, "features"))
      .filter((e) => !e.isDir && e.rel.endsWith(".parquet") && !basename(e.rel).startsWith("."))
      .map((e) => join("features", e.rel)),
  ];
  for (const f of tables) {
    const err = parquetShapeError(readFileSync(join(root, f)), f);
    if (err) r.torn.push(`${f}: ${err.message.slice(0, 120)}`);
  }
  for (const f of names.filter((n) => n.endsWith(".parquet") && !n.startsWith(".") && n !== "symbols.parquet")) {
    const bytes = readFileSync(join(root, f));
    try {
      const b = decodeBars(bytes, f);
      const n = b.timestamp.length;
      decoded.set(f, { rows: n, start: n ? iso(b.timestamp[0]!) : null, end: n ? iso(b.timestamp[n - 1]!) : null, sha: sha256(bytes) });
    } catch (err) {
      r.torn.push(`${f}: does not decode (${(err as Error).message.slice(0, 120)})`);
      tornData.push(f);
    }
  }
  for (const f of quarantined.filter((n) => !n.startsWith("."))) {
    const p = join(quarantineDir, f);
    if (f.endsWith(".parquet")) {
      try {
        decodeBars(readFileSync(p), f);
      } catch (err) {
        r.torn.push(`quarantine/${f}: does not decode (${(err as Error).message.slice(0, 120)})`);
      }
    } else if (f.endsWith(".json")) readJson(p, r.torn, "quarantine reason");
  }
  const catPath = join(root, "catalog.json");
  const healthPath = join(root, "foundation_health.json");
  const cat = existsSync(catPath) ? readJson(catPath, r.torn, "catalog") : undefined;
  const health = existsSync(healthPath) ? readJson(healthPath, r.torn, "registry") : undefined;
  const runsPath = join(root, "runs.jsonl");
  if (existsSync(runsPath)) {
    readFileSync(runsPath, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (!line.trim()) return;
        try {
          JSON.parse(line);
        } catch {
          // A record cut short by a kill mid-append is allowed (readers skip it, the next append starts a new line);
          // anything else is not a record at all.
          if (!line.startsWith('{"')) r.torn.push(`runs.jsonl line ${i + 1} is not JSON: ${line.slice(0, 60)}…`);
        }
      });
  }

  // Catalog entries that lie.
  const entries: any[] = Array.isArray(cat?.entries) ? cat.entries : [];
  const listed = new Set<string>();
  for (const e of entries) {
    const key = `${e.symbol} ${e.interval} (${e.path})`;
    listed.add(e.path);
    if (!existsSync(join(root, e.path))) {
      r.lyingEntries.push(`${key}: file missing`);
      continue;
    }
    if (!settled) continue;
    const d = decoded.get(e.path);
    if (!d) continue; // torn, reported above
    if (d.sha !== e.sha256) r.lyingEntries.push(`${key}: sha256 ${e.sha256.slice(0, 12)}… but the file is ${d.sha.slice(0, 12)}…`);
    if (d.rows !== e.rows) r.lyingEntries.push(`${key}: rows ${e.rows} but the file has ${d.rows}`);
    if (d.start !== e.start || d.end !== e.end) r.lyingEntries.push(`${key}: range ${e.start} → ${e.end} but the file spans ${d.start} → ${d.end}`);
  }
  if (!settled) return r;

  // Orphans: golden files the catalog does not know.
  for (const f of decoded.keys()) if (!listed.has(f)) r.orphans.push(`${f}: not listed by any catalog entry`);
  for (const f of tornData) if (!listed.has(f)) r.orphans.push(`${f}: not listed by any catalog entry (and torn)`);

  // Registry loss. Quarantine paths are compared by file name: a copied lakehouse keeps the paths it was written with.
  if (entries.length && health === undefined && !r.torn.some((t) => t.startsWith("registry")))
    r.registryLoss.push("foundation_health.json missing while the catalog has entries");
  const reg: Record<string, any> = health && typeof health === "object" ? health : {};
  for (const e of entries) if (!reg[e.symbol]) r.registryLoss.push(`${e.symbol}: cataloged but has no registry entry`);
  const marked = new Set<string>();
  for (const [sym, h] of Object.entries(reg)) {
    for (const q of (h?.quarantined ?? []) as string[]) {
      marked.add(basename(q));
      if (!quarantined.includes(basename(q))) r.registryLoss.push(`${sym}: registry lists quarantine file ${basename(q)}, which is gone`);
    }
  }
  for (const f of quarantined)
    if (f.endsWith(".parquet") && !f.startsWith(".") && !marked.has(f))
      r.registryLoss.push(`quarantine/${f}: no registry entry lists it (the toxic mark was lost)`);

  r.leftoverTemps.push(...leftoverTemps(root));
  for (const d of opts.extraDirs ?? []) r.leftoverTemps.push(...leftoverTemps(d));
  return r;
}

/** Every problem as one line prefixed by its kind (empty when consistent): what a failing test prints. */
export function problems(c: LakehouseCheck): string[] {
  return (Object.keys(c) as (keyof LakehouseCheck)[]).flatMap((k) => c[k].map((p) => `${k}: ${p}`));
}

/**
 * What a finished run leaves in a lakehouse, for comparison with a reference run of the same command(s).
 *
 * Compared exactly: the bytes (sha256) of every data file and quarantine file, every catalog entry field but one,
 * and the whole registry. Left out, and why:
 * - catalog `ingestedAt`: when a commit happened. A killed run's commit that the rerun recovers, or a series the
 *   rerun found already fresh, may carry the killed run's stamp; the contract does not tie it to --now.
 * - runs.jsonl: one line per finished run, so a kill and a rerun leave a different count and run ids than one
 *   uninterrupted run (it is still checked for torn lines).
 * - metrics/: one file per finished run, named by its run id, for the same reason (crash-metrics.test.ts proves
 *   each whole or absent).
 * - audit_state.json's file stamps (`seen.stamp`: device, inode, size, mtime and ctime of each golden file, what an
 *   unchanged file is recognised by): different in every folder and after every rewrite by nature; the hash they
 *   vouch for (`seen.version`) and the rest of the state are compared.
 * - .dqctl.stamps.json (the writer's stamps of the files it hashed or landed, src/lakehouse/stamps.ts): nothing but
 *   stamps, a cache whose loss costs a re-hash.
 * - the lakehouse's own absolute path inside registry strings (quarantine paths), replaced by `<lakehouse>`, since
 *   trials live in other folders than the reference.
 * Every other registry field comes from the data or from --now (pinned): status, reasons, audit_hash, gaps_filled,
 * is_toxic, quarantined, intervals, last_audit and last_repair must all match. A lost gaps_filled or last_repair of
 * a killed repair therefore shows up as a difference: the rerun only finds the gaps the killed run did not commit.
 */
export interface LakehouseState {
  files: Record<string, string>;
  catalog: Record<string, Record<string, unknown>>;
  registry: unknown;
}

/** The audit state's text with every series' file stamp left out (see LakehouseState); unparsable text as it is. */
function withoutStamps(text: string): string {
  try {
    const doc = JSON.parse(text) as { series?: Record<string, { seen?: { stamp?: string } }> };
    for (const s of Object.values(doc.series ?? {})) if (s.seen) delete s.seen.stamp;
    return JSON.stringify(doc);
  } catch {
    return text;
  }
}

/** Capture the comparable state of a lakehouse folder (see LakehouseState for what is left out). */
export function captureState(root: string): LakehouseState {
  root = resolve(root);
  const files: Record<string, string> = {};
  for (const { rel, isDir } of walk(root)) {
    const name = basename(rel);
    if (isDir || rel === "catalog.json" || rel === "foundation_health.json" || rel === "runs.jsonl" || rel.startsWith("metrics/")) continue;
    if (DQCTL_TEMP.test(name) || LOCK_DEBRIS.test(name) || name === LOCK_FILE || name === JOURNAL_FILE) continue; // the checker's business
    if (rel === STAMPS_FILE) continue; // a cache of inodes and times: never the same twice
    files[rel] = rel === "audit_state.json" ? sha256(withoutStamps(readFileSync(join(root, rel), "utf8"))) : sha256(readFileSync(join(root, rel)));
  }
  const catalog: Record<string, Record<string, unknown>> = {};
  const catPath = join(root, "catalog.json");
  if (existsSync(catPath)) {
    for (const { ingestedAt: _at, ...e } of JSON.parse(readFileSync(catPath, "utf8")).entries) catalog[`${e.symbol}@${e.interval}`] = e;
  }
  const healthPath = join(root, "foundation_health.json");
  const registry = existsSync(healthPath) ? JSON.parse(readFileSync(healthPath, "utf8").split(root).join("<lakehouse>")) : null;
  return { files, catalog, registry };
}

/** Differences between a reference state and a trial's, one line each (empty when they match). */
export function diffStates(ref: LakehouseState, got: LakehouseState): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(ref.files), ...Object.keys(got.files)])) {
    if (ref.files[k] !== got.files[k])
      out.push(`file ${k}: ${ref.files[k]?.slice(0, 12) ?? "absent"} in the reference, ${got.files[k]?.slice(0, 12) ?? "absent"} here`);
  }
  for (const k of new Set([...Object.keys(ref.catalog), ...Object.keys(got.catalog)])) {
    const a = ref.catalog[k];
    const b = got.catalog[k];
    if (!a || !b) out.push(`catalog ${k}: ${a ? "present" : "absent"} in the reference, ${b ? "present" : "absent"} here`);
    else
      for (const f of new Set([...Object.keys(a), ...Object.keys(b)]))
        if (JSON.stringify(a[f]) !== JSON.stringify(b[f]))
          out.push(`catalog ${k}.${f}: ${JSON.stringify(a[f])} in the reference, ${JSON.stringify(b[f])} here`);
  }
  diffJson("registry", ref.registry, got.registry, out);
  return out;
}

/** Differences between two JSON-like values, one line per differing leaf (objects compared key by key). */
export function diffValues(a: unknown, b: unknown, path = "state"): string[] {
  const out: string[] = [];
  diffJson(path, a, b, out);
  return out;
}

function diffJson(path: string, a: unknown, b: unknown, out: string[]): void {
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) diffJson(`${path}.${k}`, ao[k], bo[k], out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${JSON.stringify(a) ?? "absent"} in the reference, ${JSON.stringify(b) ?? "absent"} here`);
}
