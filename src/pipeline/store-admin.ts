// Store administration: `dqctl store init` (create or migrate the store named by --store) and `dqctl store copy`.
import { finding } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { type ErrorItem, InputError } from "../errors.ts";
import { seriesKey } from "../lakehouse/catalog.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import { barCount } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import { parseInterval } from "../model/interval.ts";
import { parseSymbol, type SymbolId } from "../model/symbol.ts";
import type { StepResult } from "../report/summary.ts";
import { contentVersion } from "../store/content.ts";
import type { QuarantineEvidence, Store } from "../store/types.ts";
import { goldenReadFinding } from "./commit.ts";
import { profileOf, type Target } from "./targets.ts";

/** Create the run's store, or bring its schema up to date; running it again changes nothing. */
export async function runStoreInit(ctx: RunContext): Promise<StepResult> {
  const r = await ctx.store.init();
  ctx.log.info(
    r.applied.length
      ? `${r.location}: schema version ${r.version} (applied ${r.applied.join(", ")}; bars ${r.layout})`
      : `${r.location}: already at schema version ${r.version} (bars ${r.layout})`,
  );
  return { counts: { applied: r.applied.length, version: r.version }, symbols: [], findings: [], extra: { store: r } };
}

/** What `store copy` needs besides the run context: the two stores. */
export interface CopyOptions {
  from: Store;
  to: Store;
}

/**
 * Copy every cataloged series, with its catalog and registry entries and its quarantine evidence, from one store into
 * another (created when absent), each symbol's series and evidence in one commit; then verify each by reading it back:
 * the same row count and the same content version (contentVersion, the same for the same bars in any store), for the
 * series and for every piece of evidence. Registry entries name the evidence by its name in the target. A series
 * that cannot be read from the source (corrupt, unreadable) is reported and not copied; so is evidence.
 */
export async function runStoreCopy(ctx: RunContext, o: CopyOptions): Promise<StepResult> {
  await o.from.assertExists();
  await o.to.init();
  const catalog = await o.from.loadCatalog();
  const health = await o.from.loadHealth();
  const entries = catalog.all();
  const findings: Finding[] = [];
  const errors: ErrorItem[] = [];
  const badEvidence = (name: string, why: string) =>
    errors.push(new InputError(`quarantine evidence ${name}: ${why}; not copied`, "restore or remove that evidence, then copy again").toItem({}));
  const evidence = await o.from.readQuarantine(badEvidence);
  const counts = {
    series: entries.length,
    copied: 0,
    verified: 0,
    mismatched: 0,
    skipped: 0,
    rows: 0,
    quarantine: evidence.length,
    quarantineCopied: 0,
    quarantineVerified: 0,
  };
  const started = performance.now();
  const recovery = { profileOf: (sym: SymbolId) => profileOf(ctx, sym), now: ctx.now, log: (m: string) => ctx.log.warn(m) };
  // Staging encodes synchronously (a lakehouse target writes Parquet); a writer no longer compiles the engine itself.
  if (entries.length || evidence.length) await initParquet();
  const w = await o.to.openWriter({ command: "store copy", waitMs: ctx.waitLockMs, recovery });
  const versions = new Map<string, { rows: number; version: string }>();
  // Evidence by symbol, staged with the symbol's first commit; its name in the source → its name in the target.
  const pending = new Map<string, QuarantineEvidence[]>();
  for (const q of evidence) pending.set(q.symbol, [...(pending.get(q.symbol) ?? []), q]);
  const renamed = new Map<string, string>();
  const stageEvidence = (symbol: string) => {
    for (const q of pending.get(symbol) ?? []) {
      renamed.set(q.name, w.stageQuarantine(parseSymbol(q.symbol), q.interval, q.bars, q.reason, q.stamp, []));
      counts.quarantineCopied++;
    }
    pending.delete(symbol);
  };
  const healthCopied = new Set<string>();
  const copyHealth = (symbol: string) => {
    healthCopied.add(symbol);
    const h = health.get(symbol);
    if (!h) return;
    w.health.set(symbol, h.quarantined ? { ...h, quarantined: h.quarantined.map((n) => renamed.get(n) ?? n) } : h);
    w.touchHealth(symbol);
  };
  ctx.progress.start("store copy", entries.length);
  try {
    for (const e of entries) {
      const sym = parseSymbol(e.symbol);
      const interval = parseInterval(e.interval);
      const r = await o.from.read(sym, interval, e);
      if (r.kind !== "ok") {
        counts.skipped++;
        const t: Target = { sym, interval, profile: e.profile as Target["profile"], calendar: "", entry: e };
        if (r.kind === "corrupt" || r.kind === "unreadable") findings.push(goldenReadFinding(t, r));
        else findings.push(finding({ symbol: e.symbol, interval }, "missing", "error", `cataloged in ${o.from.location} but not there; not copied`));
        ctx.progress.tick(1, "skipped");
        continue;
      }
      await w.claim(e.symbol);
      stageEvidence(e.symbol);
      const { sha256 } = w.stageSeries(sym, interval, r.stored.bars);
      w.catalog.set({ ...e, path: o.to.seriesName(sym, interval), sha256 });
      w.touchCatalog(e.symbol, e.interval);
      copyHealth(e.symbol);
      await w.commit();
      const rows = barCount(r.stored.bars);
      versions.set(seriesKey(e.symbol, e.interval), { rows, version: contentVersion(r.stored.bars) });
      counts.copied++;
      counts.rows += rows;
      ctx.progress.tick(1, "copied");
    }
    // Assets held in quarantine without a series copied (registry entry, evidence, or both), one commit each.
    for (const symbol of new Set([...health.symbols(), ...pending.keys()])) {
      if (healthCopied.has(symbol) && !pending.has(symbol)) continue;
      await w.claim(symbol);
      stageEvidence(symbol);
      copyHealth(symbol);
      await w.commit();
    }
  } finally {
    await w.release();
    ctx.progress.done();
  }
  const seconds = (performance.now() - started) / 1000;
  // Verified by reading back through the target store, as any later command will.
  const copied = await o.to.loadCatalog();
  for (const e of entries) {
    const want = versions.get(seriesKey(e.symbol, e.interval));
    if (!want) continue;
    const r = await o.to.read(parseSymbol(e.symbol), parseInterval(e.interval), copied.get(e.symbol, e.interval));
    const got = r.kind === "ok" ? { rows: barCount(r.stored.bars), version: contentVersion(r.stored.bars) } : undefined;
    if (got && got.rows === want.rows && got.version === want.version) counts.verified++;
    else {
      counts.mismatched++;
      errors.push(
        new InputError(
          `${e.symbol} ${e.interval}: the copy in ${o.to.location} is not the source's (${got ? `${got.rows} rows, version ${got.version.slice(0, 12)}…` : r.kind}; expected ${want.rows} rows, version ${want.version.slice(0, 12)}…)`,
          "run the copy again; if it persists, check the target store",
        ).toItem({ symbol: e.symbol }),
      );
    }
  }
  verifyEvidence(await o.to.readQuarantine(badEvidence), evidence, renamed, counts, errors, o.to.location);
  const rowsPerSecond = seconds > 0 ? Math.round(counts.rows / seconds) : counts.rows;
  ctx.log.info(
    `copied ${counts.copied} series (${counts.rows} rows, ${rowsPerSecond} rows/s) and ${counts.quarantineCopied} quarantine evidence from ${o.from.location} to ${o.to.location}; ${counts.verified} + ${counts.quarantineVerified} verified`,
  );
  return {
    counts,
    symbols: [],
    findings,
    errors,
    extra: { store: { from: o.from.location, to: o.to.location, rowsPerSecond, seconds: Math.round(seconds * 1000) / 1000 } },
  };
}

/** Check the target's evidence against the source's: each copied one there under its new name, same rows, same version. */
function verifyEvidence(
  there: readonly QuarantineEvidence[],
  source: readonly QuarantineEvidence[],
  renamed: ReadonlyMap<string, string>,
  counts: { quarantineVerified: number; mismatched: number },
  errors: ErrorItem[],
  location: string,
): void {
  const byName = new Map(there.map((q) => [q.name, q]));
  for (const q of source) {
    const name = renamed.get(q.name);
    if (name === undefined) continue;
    const got = byName.get(name);
    const [want, have] = [contentVersion(q.bars), got && contentVersion(got.bars)];
    if (got && have === want && barCount(got.bars) === barCount(q.bars)) counts.quarantineVerified++;
    else {
      counts.mismatched++;
      errors.push(
        new InputError(
          `quarantine evidence ${name} in ${location} is not the source's (${got ? `${barCount(got.bars)} rows, version ${have!.slice(0, 12)}…` : "absent"}; expected ${barCount(q.bars)} rows, version ${want.slice(0, 12)}…)`,
          "run the copy again; if it persists, check the target store",
        ).toItem({ symbol: q.symbol }),
      );
    }
  }
}
