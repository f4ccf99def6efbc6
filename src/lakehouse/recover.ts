// A lakehouse's recovery, run by whoever takes the write lock before anything else: a committed journal rolled
// forward, files of the earlier naming moved to their one-to-one names, golden files the catalog does not list
// adopted, and temp files of dead writers swept.
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Bars, barCount, normalizeBars } from "../model/bars.ts";
import { type Interval, parseInterval } from "../model/interval.ts";
import { parseFileStem, parseSymbol, type SymbolId } from "../model/symbol.ts";
import type { RecoveryContext } from "../store/types.ts";
import { TEMP_NAME } from "./atomic.ts";
import { type Catalog, type CatalogEntry, seriesRange } from "./catalog.ts";
import { recoverJournal, sha256 } from "./journal.ts";
import { sweepLockDebris } from "./lock.ts";
import { pidGone } from "./lock-holder.ts";
import { decodeBars } from "./parquet.ts";
import type { Lakehouse } from "./store.ts";

/** The metric history's folder in a lakehouse (partitioned by day). */
export const METRICS_DIR = "metrics";

/** What the lock holder does first: roll a committed journal forward, migrate old names, adopt orphans, sweep temps. */
export function recoverLakehouse(lh: Lakehouse, rc: RecoveryContext, catalog: Catalog): void {
  const health = lh.health();
  const journal = recoverJournal(lh.root, catalog, health);
  if (journal?.rolledForward.length)
    rc.log(`recovered an interrupted commit: ${journal.rolledForward.length} file(s) completed (${journal.rolledForward.join(", ")})`);
  if (journal?.dropped.length) rc.log(`an interrupted commit lost its temp files; those series keep their previous version: ${journal.dropped.join(", ")}`);
  if (migrateNames(lh, catalog, rc) + adoptOrphans(lh, catalog, rc) > 0) catalog.save();
  sweepTemps(lh);
}

/** Entries written under an earlier, ambiguous naming move to their one-to-one file name. Returns entries changed. */
function migrateNames(lh: Lakehouse, catalog: Catalog, rc: RecoveryContext): number {
  let changed = 0;
  const owners = new Map<string, CatalogEntry[]>();
  for (const e of catalog.all()) owners.set(e.path, [...(owners.get(e.path) ?? []), e]);
  for (const e of catalog.all()) {
    const canonical = lh.fileName(parseSymbol(e.symbol), parseInterval(e.interval));
    if (e.path === canonical) continue;
    const shared = owners.get(e.path)!.length > 1;
    if (shared) {
      // Two series shared one file under the old naming: the file holds whichever was written last. Keep it for
      // the series whose name it is; the other must be fetched again.
      catalog.delete(e.symbol, e.interval);
      rc.log(`${e.symbol} ${e.interval}: its file ${e.path} was shared with another series under the old naming; entry removed, ingest it again`);
    } else {
      const from = join(lh.root, e.path);
      const to = join(lh.root, canonical);
      if (existsSync(from) && !existsSync(to)) renameSync(from, to);
      e.path = canonical;
      rc.log(`${e.symbol} ${e.interval}: file renamed to ${canonical}`);
    }
    changed++;
  }
  return changed;
}

/** Golden files no catalog entry lists (a writer of an earlier version killed mid-commit, or a file put there by hand). */
function adoptOrphans(lh: Lakehouse, catalog: Catalog, rc: RecoveryContext): number {
  let adopted = 0;
  for (const f of unlistedFiles(lh, catalog)) {
    const why = adopt(lh, catalog, f, rc);
    if (why) rc.log(`${f}: not in the catalog and not adopted: ${why}`);
    else adopted++;
  }
  if (adopted) rc.log(`adopted ${adopted} golden file(s) the catalog did not list`);
  return adopted;
}

/** Golden-looking files in the root that no entry of `catalog` lists. */
export function unlistedFiles(lh: Lakehouse, catalog: Catalog): string[] {
  const listed = new Set(catalog.all().map((e) => e.path));
  return readdirSync(lh.root).filter((f) => f.endsWith(".parquet") && !f.startsWith(".") && !listed.has(f));
}

/** Add a catalog entry for an unlisted file; returns why not when it cannot be. */
function adopt(lh: Lakehouse, catalog: Catalog, file: string, rc: RecoveryContext): string | undefined {
  const path = join(lh.root, file);
  if (!lstatSync(path).isFile()) return "not a regular file";
  const parsed = parseFileStem(file.slice(0, -".parquet".length));
  let sym: SymbolId;
  let interval: Interval;
  let profile: string;
  try {
    if (!parsed) throw new Error("its name is not EXCHANGE_TICKER_interval.parquet");
    sym = parseSymbol(parsed.id);
    interval = parseInterval(parsed.interval);
    if (lh.fileName(sym, interval) !== file) throw new Error(`its name does not match ${sym.id} ${interval}`);
    if (catalog.get(sym.id, interval)) throw new Error(`${sym.id} ${interval} is already listed with another file`);
    profile = rc.profileOf(sym);
  } catch (err) {
    return (err as Error).message;
  }
  const bytes = readFileSync(path);
  let bars: Bars;
  try {
    bars = normalizeBars(decodeBars(bytes, `${sym.id} ${interval}: ${path}`));
  } catch (err) {
    return (err as Error).message;
  }
  catalog.set({
    symbol: sym.id,
    interval,
    profile,
    path: file,
    rows: barCount(bars),
    ...seriesRange(bars),
    genesis: null,
    sha256: sha256(bytes),
    source: "adopted",
    ingestedAt: rc.now.toISOString(),
    qualityScore: null,
  });
  return undefined;
}

/** Remove dqctl's own temp files whose writer is gone; never a user's file, never through a symbolic link. */
function sweepTemps(lh: Lakehouse): void {
  // The metric history's day folders too: a run killed while appending leaves its temp file there.
  const metrics = join(lh.root, METRICS_DIR);
  const days = isRealDir(metrics) ? readdirSync(metrics).map((d) => join(metrics, d)) : [];
  for (const dir of [lh.root, lh.quarantineDir, ...days]) {
    if (!isRealDir(dir)) continue;
    const files = readdirSync(dir);
    for (const f of files) {
      const m = TEMP_NAME.exec(f);
      if (!m || !pidGone(Number(m[2]))) continue;
      const p = join(dir, f);
      if (lstatSync(p).isFile()) rmSync(p, { force: true });
    }
    sweepLockDebris(dir, files);
  }
}

/** True when `path` is a folder (not a link to one). */
export function isRealDir(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
