// The alpha-cycle contract (seed 002 §1.2, §3.3): copy exactly what a run reads into an immutable run folder.
// No vendor is ever created here, so a snapshot cannot touch the network.
import { Buffer } from "node:buffer";
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { calendarFor } from "../calendar/index.ts";
import type { RunContext } from "../context.ts";
import { ConfigError, InputError } from "../errors.ts";
import { syncDir, writeFileAtomic, writeJsonAtomic } from "../lakehouse/atomic.ts";
import { decodeBars, encodeMatrix, initParquet } from "../lakehouse/parquet.ts";
import { seriesRange, sha256 } from "../lakehouse/store.ts";
import { normalizeBars } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import { parseRunId } from "../model/run-id.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { LineageRef, StepResult, SymbolReport } from "../report/summary.ts";
import { VERSION } from "../version.ts";
import { type AuditedSeries, runAudit } from "./audit.ts";
import { buildReturnsMatrix, type MatrixMember } from "./returns-matrix.ts";
import { makeTmpFolder, sweepDeadTmpFolders } from "./snapshot-tmp.ts";
import { symbolsAsOf } from "./symbols.ts";
import { MANIFEST_FILE, MANIFEST_SCHEMA_ID, type Manifest, type ManifestEntry, snapshotIdOf } from "./verify.ts";

/** What to snapshot and where. */
export interface SnapshotOptions {
  /** The series to copy; absent: every catalog entry of the interval. */
  symbols?: SymbolId[];
  interval?: Interval;
  runId: string;
  /** Parent of run folders (e.g. artifacts/runs). */
  out: string;
}

/** The returns matrix's file name inside a run folder. */
export const MATRIX_FILE = "returns_matrix.parquet";
/** The members' as-of symbol metadata inside a run folder (present when the catalog knows any of them). */
const SYMBOLS_FILE = "symbols.json";
const READ_ONLY = 0o444;

/** Why an asset may not enter a snapshot (empty when it may). */
function blockReasons(s: AuditedSeries, registryToxic: boolean): string[] {
  const reasons: string[] = [];
  const st = s.report.status;
  if (st === "corrupt") reasons.push(s.findings.some((f) => f.code === "unreadable") ? "unreadable" : "corrupt");
  else if (st === "missing") reasons.push("missing");
  else if (st === "toxic") reasons.push("toxic");
  else if (st === "stale") reasons.push("stale");
  else if (s.report.rows === 0) reasons.push("no_data");
  // Non-positive or non-finite prices are kept in golden (and reported by bad_value) but never handed to research.
  if (s.findings.some((f) => f.code === "bad_value" && f.severity === "error")) reasons.push("bad_value");
  if (registryToxic && !reasons.includes("toxic")) reasons.push("registry_toxic");
  return reasons;
}

function blockedFinding(s: AuditedSeries, reasons: string[]): Finding {
  const causes = s.findings.filter((f) => f.severity === "error").map((f) => ({ code: f.code, message: f.message }));
  const why = causes[0]?.message ?? (reasons.includes("registry_toxic") ? "foundation_health.json marks it toxic" : reasons.join(", "));
  return {
    code: "snapshot_blocked",
    severity: "error",
    symbol: s.target.sym.id,
    interval: s.target.interval,
    message: `${s.target.sym.id} ${s.target.interval}: ${reasons.join(", ")}: ${why}`,
    details: { reason: reasons[0], reasons, status: s.report.status, causes },
  };
}

/** Snapshot the series into `<out>/<runId>`: fail fast on missing, stale or toxic assets (exit 2, nothing written), else copy, hash and build the returns matrix. */
export async function runSnapshot(ctx: RunContext, opts: SnapshotOptions): Promise<StepResult> {
  parseRunId(opts.runId);
  // The command appends a run record at the end; fail now, before anything is written, if it could not.
  await ctx.store.assertRunsAppendable();
  const outDir = resolve(opts.out);
  sweepDeadTmpFolders(outDir, ctx.log);
  const runDir = join(outDir, opts.runId);
  const refuseExisting = () => {
    if (existsSync(runDir)) throw new ConfigError(`run folder already exists: ${runDir}`, "a snapshot is never overwritten: choose a new --run-id");
  };
  refuseExisting();
  const interval = opts.interval ?? "1d";
  // One column and one file per symbol: repeats would collide in the matrix and the manifest.
  const symbols = opts.symbols?.filter((s, i, all) => all.findIndex((x) => x.id === s.id) === i);
  // Without symbols a snapshot is of the catalog's series: quarantined assets outside it are not asked for.
  const audit = await runAudit(ctx, { ...(symbols ? { symbols } : {}), interval, readOnly: true, held: false });
  if (!audit.series.length)
    throw new ConfigError(`nothing to snapshot: the catalog has no ${interval} series`, "pass --symbols or --candidates, or ingest first");

  // What the snapshot read (runs.jsonl lineage): every lakehouse file with the hash it was audited at.
  const inputs: LineageRef[] = audit.series
    .filter((s) => s.sha256)
    .map((s) => ({ name: ctx.store.seriesName(s.target.sym, interval), kind: "parquet", sha256: s.sha256!, symbol: s.target.sym.id, interval }));
  const health = await ctx.store.loadHealth();
  const blocked: Finding[] = [];
  for (const s of audit.series) {
    const reasons = blockReasons(s, health.isToxic(s.target.sym.id));
    if (reasons.length) blocked.push(blockedFinding(s, reasons));
  }
  if (blocked.length) {
    ctx.log.warn(`snapshot ${opts.runId} aborted: ${blocked.length} of ${audit.series.length} assets not fit; nothing written`);
    return {
      counts: { symbols: audit.series.length, blocked: blocked.length, copied: 0, toxic: audit.series.filter((s) => s.report.status === "toxic").length },
      symbols: audit.series.map((s) => s.report),
      findings: blocked,
      extra: { snapshot: { runId: opts.runId, dir: runDir, written: false } },
      exitCode: 2,
      lineage: { inputs, outputs: [] },
    };
  }

  mkdirSync(outDir, { recursive: true });
  // Build under a hidden temp folder beside the target and rename at the end: a crash never leaves a half snapshot under the run id.
  // Named after this process (see snapshot-tmp.ts) so the next snapshot can sweep it if this one is killed.
  const tmp = makeTmpFolder(outDir, opts.runId);
  try {
    const built = await writeRunFolder(ctx, audit.series, interval, opts.runId, tmp);
    refuseExisting(); // another process may have taken the run id meanwhile
    renameSync(tmp, runDir);
    syncDir(outDir);
    ctx.log.info(`snapshot ${opts.runId}: ${audit.series.length} series, matrix ${built.matrixRows} rows → ${runDir}`);
    const reports: SymbolReport[] = audit.series.map((s) => ({
      ...s.report,
      file: `data/${ctx.store.seriesName(s.target.sym, interval)}`,
      gapsFilled: built.manifest.gapsFilled[s.target.sym.id] ?? 0,
    }));
    const gapsFilled = Object.values(built.manifest.gapsFilled).reduce((a, b) => a + b, 0);
    return {
      counts: { symbols: audit.series.length, blocked: 0, copied: audit.series.length, toxic: 0, gapsFilled, matrixRows: built.matrixRows },
      symbols: reports,
      findings: audit.findings,
      extra: {
        snapshot: {
          runId: opts.runId,
          dir: runDir,
          written: true,
          snapshotId: built.manifest.snapshotId,
          manifest: join(runDir, MANIFEST_FILE),
          matrix: { path: join(runDir, MATRIX_FILE), rows: built.matrixRows, columns: audit.series.length },
          gapsFilled: built.manifest.gapsFilled,
        },
      },
      lineage: {
        inputs,
        outputs: [
          { name: runDir, kind: "snapshot", snapshotId: built.manifest.snapshotId, runId: opts.runId },
          {
            name: join(runDir, MATRIX_FILE),
            kind: "returns_matrix",
            sha256: built.manifest.files.find((f) => f.path === MATRIX_FILE)?.sha256,
            rows: built.matrixRows,
          },
        ],
      },
    };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Copy the series, build the matrix and write the manifest into `dir` (the temp folder). */
async function writeRunFolder(ctx: RunContext, series: AuditedSeries[], interval: Interval, runId: string, dir: string) {
  await initParquet();
  mkdirSync(join(dir, "data"));
  const entries: ManifestEntry[] = [];
  const members: MatrixMember[] = [];
  ctx.progress.start("snapshot", series.length);
  for (const s of series) {
    const { sym, profile } = s.target;
    // Read once: the bytes checked are the bytes decoded and the bytes copied (never a link to the lakehouse).
    const read = await ctx.store.readParquet(sym, interval);
    const src = read?.path ?? ctx.store.seriesName(sym, interval);
    if (read?.sha256 !== s.sha256) {
      throw new InputError(`${sym.id} ${interval}: ${src} changed while the snapshot was being taken`, "run the snapshot again once the writer has finished");
    }
    const bytes = read.bytes;
    const hash = sha256(bytes);
    const raw = decodeBars(bytes, `${sym.id} ${interval}: ${src}`);
    const bars = normalizeBars(raw);
    const rel = `data/${ctx.store.seriesName(sym, interval)}`;
    writeReadOnly(join(dir, rel), bytes);
    const range = seriesRange(bars);
    entries.push({
      path: rel,
      kind: "series",
      symbol: sym.id,
      interval,
      profile,
      sha256: hash,
      size: bytes.length,
      rows: raw.timestamp.length,
      first: range.start,
      last: range.end,
      source: s.target.entry ?? null,
    });
    members.push({ name: sym.id, timestamps: bars.timestamp, closes: bars.close, calendar: calendarFor(s.target.calendar, ctx.reference) });
    ctx.progress.tick();
  }
  ctx.progress.done();

  // Columns in symbol order so the same inputs always give the same matrix bytes (and snapshot id).
  members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const matrix = buildReturnsMatrix(members, interval);
  const matrixBytes = encodeMatrix(matrix.timestamps, matrix.columns);
  writeReadOnly(join(dir, MATRIX_FILE), matrixBytes);
  const n = matrix.timestamps.length;
  entries.push({
    path: MATRIX_FILE,
    kind: "returns_matrix",
    interval,
    sha256: sha256(matrixBytes),
    size: matrixBytes.length,
    rows: n,
    first: n ? new Date(matrix.timestamps[0]!).toISOString() : null,
    last: n ? new Date(matrix.timestamps[n - 1]!).toISOString() : null,
    columns: matrix.columns.map((c) => c.name),
    offCalendar: Object.fromEntries(matrix.columns.map((c) => [c.name, c.offCalendar])),
  });
  const meta = await symbolsAsOf(
    ctx,
    members.map((m) => m.name),
  );
  if (meta.rows.length) {
    // What the catalog knew about the members when the snapshot was taken, so research reads names and sectors as of then.
    const text = `${JSON.stringify(meta, null, 2)}\n`;
    writeReadOnly(join(dir, SYMBOLS_FILE), new TextEncoder().encode(text));
    entries.push({
      path: SYMBOLS_FILE,
      kind: "symbols",
      sha256: sha256(text),
      size: Buffer.byteLength(text),
      rows: meta.rows.length,
      first: null,
      last: null,
      asOf: meta.asOf,
    });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const manifest: Manifest = {
    schema: MANIFEST_SCHEMA_ID,
    snapshotId: snapshotIdOf(entries),
    runId,
    created: ctx.now.toISOString(),
    tool: { name: "dqctl", version: VERSION },
    lakehouse: ctx.store.location,
    interval,
    symbols: members.map((m) => m.name),
    gapsFilled: Object.fromEntries(matrix.columns.map((c) => [c.name, c.gapsFilled])),
    files: entries,
  };
  const manifestPath = join(dir, MANIFEST_FILE);
  writeJsonAtomic(manifestPath, manifest);
  chmodSync(manifestPath, READ_ONLY);
  return { manifest, matrixRows: n };
}

function writeReadOnly(path: string, bytes: Uint8Array): void {
  writeFileAtomic(path, bytes);
  chmodSync(path, READ_ONLY);
}
