// The snapshot manifest contract and `snapshot verify`: prove a run folder holds exactly the bytes it was made with.
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join, normalize, resolve, sep } from "node:path";
import * as v from "valibot";
import { InputError } from "../errors.ts";
import { validate } from "../lakehouse/catalog.ts";
import { sha256 } from "../lakehouse/store.ts";
import type { Finding } from "../model/finding.ts";
import type { StepResult } from "../report/summary.ts";

/** Schema id written into every manifest.json. */
export const MANIFEST_SCHEMA_ID = "dqctl.snapshot/v1";
/** The manifest's file name inside a run folder (the one file it does not list). */
export const MANIFEST_FILE = "manifest.json";

const Sha = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "expected a sha256 hex digest"));
const FileEntrySchema = v.looseObject({
  path: v.string(),
  kind: v.picklist(["series", "returns_matrix", "symbols"]),
  sha256: Sha,
  size: v.pipe(v.number(), v.integer(), v.minValue(0)),
  rows: v.pipe(v.number(), v.integer(), v.minValue(0)),
  first: v.nullable(v.string()),
  last: v.nullable(v.string()),
});
const ManifestSchema = v.looseObject({
  schema: v.literal(MANIFEST_SCHEMA_ID),
  snapshotId: Sha,
  runId: v.string(),
  created: v.string(),
  tool: v.object({ name: v.string(), version: v.string() }),
  interval: v.string(),
  gapsFilled: v.record(v.string(), v.number()),
  files: v.array(FileEntrySchema),
});

/** One file of a run folder as the manifest records it (series entries also carry symbol and source catalog entry). */
export interface ManifestEntry {
  path: string;
  kind: "series" | "returns_matrix" | "symbols";
  sha256: string;
  size: number;
  rows: number;
  first: string | null;
  last: string | null;
  [more: string]: unknown;
}

/** manifest.json of a run folder. */
export interface Manifest {
  schema: typeof MANIFEST_SCHEMA_ID;
  snapshotId: string;
  runId: string;
  created: string;
  tool: { name: string; version: string };
  lakehouse: string;
  interval: string;
  symbols: string[];
  /** Neutral fills per symbol in the returns matrix. */
  gapsFilled: Record<string, number>;
  files: ManifestEntry[];
}

/** JSON with object keys sorted at every level and no whitespace: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((x) => canonicalJson(x === undefined ? null : x)).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

/** The snapshot id: sha256 of the canonical JSON of the manifest entries sorted by path. */
export function snapshotIdOf(entries: readonly unknown[]): string {
  const sorted = [...entries].sort((a, b) => {
    const pa = String((a as { path?: unknown }).path);
    const pb = String((b as { path?: unknown }).path);
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  });
  return sha256(canonicalJson(sorted));
}

/** Read and validate `<dir>/manifest.json`; absent or malformed is an InputError (exit 3). */
export function readManifest(dir: string): { manifest: Manifest; rawFiles: unknown[] } {
  const path = join(dir, MANIFEST_FILE);
  const advice = "point `dqctl snapshot verify` at a run folder made by `dqctl snapshot`";
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) throw new InputError(`run folder not found: ${dir}`, advice);
  if (!existsSync(path)) throw new InputError(`${path}: no manifest.json in the run folder`, advice);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new InputError(`${path}: malformed JSON (${(err as Error).message})`, advice, { cause: err });
  }
  const manifest = validate(ManifestSchema, raw, path, advice, InputError) as unknown as Manifest;
  const seen = new Set<string>();
  for (const f of manifest.files) {
    if (!safeRelative(f.path) || f.path === MANIFEST_FILE)
      throw new InputError(`${path}: entry path "${f.path}" is not a plain relative path inside the run folder`, advice);
    if (seen.has(f.path)) throw new InputError(`${path}: entry path "${f.path}" is listed twice`, advice);
    seen.add(f.path);
  }
  return { manifest, rawFiles: (raw as { files: unknown[] }).files };
}

function safeRelative(p: string): boolean {
  if (!p || isAbsolute(p) || p.includes("\\")) return false;
  const parts = p.split("/");
  return parts.every((s) => s !== "" && s !== "." && s !== "..") && normalize(p) === p.split("/").join(sep);
}

/** Every file under `dir` as a relative POSIX path (symlinks count as files and are not followed). */
function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

const err = (code: string, message: string, entry?: ManifestEntry, details?: Record<string, unknown>): Finding => {
  const f: Finding = { code, severity: "error", message };
  if (typeof entry?.symbol === "string") f.symbol = entry.symbol;
  if (typeof entry?.interval === "string") f.interval = entry.interval;
  if (details) f.details = details;
  return f;
};

/** Recompute every hash of a run folder against its manifest: exit 0 when intact, 2 naming each changed, missing or added file. */
export function verifySnapshot(dir: string): StepResult & { intact: boolean } {
  const root = resolve(dir);
  const { manifest, rawFiles } = readManifest(root);
  const findings: Finding[] = [];
  let changed = 0;
  let missing = 0;
  for (const entry of manifest.files) {
    const path = join(root, entry.path);
    if (!existsSync(path) || !lstatSync(path).isFile()) {
      missing++;
      findings.push(err("snapshot_missing", `${entry.path}: listed in manifest.json but not in the run folder`, entry, { path: entry.path }));
      continue;
    }
    const bytes = readFileSync(path);
    const actual = sha256(bytes);
    if (actual !== entry.sha256 || bytes.length !== entry.size) {
      changed++;
      findings.push(
        err(
          "snapshot_changed",
          `${entry.path}: sha256 ${actual.slice(0, 12)}… (${bytes.length} bytes) differs from the manifest's ${entry.sha256.slice(0, 12)}… (${entry.size} bytes)`,
          entry,
          {
            path: entry.path,
            expectedSha256: entry.sha256,
            actualSha256: actual,
            expectedSize: entry.size,
            actualSize: bytes.length,
          },
        ),
      );
    }
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  const added = listFiles(root)
    .filter((p) => p !== MANIFEST_FILE && !listed.has(p))
    .sort();
  for (const p of added) findings.push(err("snapshot_added", `${p}: in the run folder but not in manifest.json`, undefined, { path: p }));

  const recomputed = snapshotIdOf(rawFiles);
  if (recomputed !== manifest.snapshotId) {
    findings.push(
      err(
        "snapshot_id_mismatch",
        `manifest.json: snapshotId ${manifest.snapshotId.slice(0, 12)}… does not match its entries (${recomputed.slice(0, 12)}…): the manifest was edited`,
        undefined,
        { expected: manifest.snapshotId, actual: recomputed },
      ),
    );
  }
  const intact = findings.length === 0;
  const files = manifest.files.length;
  return {
    counts: { files, intact: files - changed - missing, changed, missing, added: added.length },
    symbols: [],
    findings,
    extra: { snapshot: { dir: root, runId: manifest.runId, snapshotId: manifest.snapshotId, created: manifest.created, intact } },
    exitCode: intact ? 0 : 2,
    intact,
  };
}
