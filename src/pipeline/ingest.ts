import { calendarFor } from "../calendar/index.ts";
import { duplicateRows } from "../checks/duplicate_rows.ts";
import { resolveCheckOptions, runChecks } from "../checks/index.ts";
import { unsorted } from "../checks/unsorted.ts";
import type { RunContext } from "../context.ts";
import { DqError } from "../errors.ts";
import type { Catalog } from "../lakehouse/catalog.ts";
import type { HealthRegistry } from "../lakehouse/health.ts";
import { initParquet } from "../lakehouse/parquet.ts";
import { Lakehouse, seriesRange } from "../lakehouse/store.ts";
import { barCount, barsEqual, mergeBars, normalizeBars } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { LineageRef, StepResult, SymbolReport } from "../report/summary.ts";
import { latencySummary } from "../report/latency.ts";
import type { FetchRequest, Vendor } from "../vendors/types.ts";
import { assess, checkInput } from "./assess.ts";
import { resolveTargets, type Target } from "./targets.ts";

export interface IngestOptions {
  vendor: Vendor;
  symbols: SymbolId[];
  interval: Interval;
  /** Ingest assets the registry marks toxic (and clear the mark when the new data is clean). */
  force?: boolean;
  /** What the vendor reads (a --source path or a base URL), for lineage. */
  sourceName?: string;
  fromMs?: number;
  toMs?: number;
}

type Outcome = "written" | "unchanged" | "quarantined" | "no_data" | "skipped_toxic" | "failed";

/** Fetch, normalise, merge, check and commit each symbol atomically; update catalog and registry. */
export async function runIngest(ctx: RunContext, opts: IngestOptions): Promise<StepResult> {
  const lh = new Lakehouse(ctx.lakehouse);
  const options = resolveCheckOptions(ctx.config);
  await initParquet();
  const lock = await lh.lock("ingest", ctx.waitLockMs, (h) => ctx.log.info(`waiting for lakehouse lock held by pid ${h.pid} (${h.command})`));
  try {
    const catalog = lh.loadCatalog();
    const health = lh.loadHealth();
    const targets = resolveTargets(ctx, catalog, opts.symbols, opts.interval);
    const findings: Finding[] = [];
    const errors: { message: string; symbol: string }[] = [];
    const symbols: SymbolReport[] = [];
    const outcomes: Record<Outcome, number> = { written: 0, unchanged: 0, quarantined: 0, no_data: 0, skipped_toxic: 0, failed: 0 };
    const latencies: number[] = [];
    const outputs: LineageRef[] = [];
    ctx.progress.start(`ingest ${opts.vendor.name}`, targets.length);
    for (const t of targets) {
      try {
        const r = await ingestOne(ctx, lh, catalog, health, t, opts, options, latencies);
        outcomes[r.outcome]++;
        findings.push(...r.findings);
        if (r.report) symbols.push(r.report);
        if (r.output) outputs.push(r.output);
      } catch (err) {
        if (!(err instanceof DqError)) throw err;
        outcomes.failed++;
        errors.push({ message: err.oneLine(), symbol: t.sym.id });
      }
      ctx.progress.tick();
    }
    ctx.progress.done();
    health.save();
    return {
      counts: { symbols: targets.length, fetched: targets.length - outcomes.skipped_toxic, ...outcomes },
      symbols,
      findings,
      errors,
      extra: { latency: { [opts.vendor.name]: latencySummary(latencies) } },
      lineage: { inputs: [{ name: opts.sourceName ?? opts.vendor.name, kind: "vendor", vendor: opts.vendor.name }], outputs },
    };
  } finally {
    lock.release();
  }
}

async function ingestOne(
  ctx: RunContext,
  lh: Lakehouse,
  catalog: Catalog,
  health: HealthRegistry,
  t: Target,
  opts: IngestOptions,
  options: ReturnType<typeof resolveCheckOptions>,
  latencies: number[],
): Promise<{ outcome: Outcome; findings: Finding[]; report?: SymbolReport; output?: LineageRef }> {
  const base = { symbol: t.sym.id, interval: t.interval, profile: t.profile };
  if (health.isToxic(t.sym.id) && !opts.force) {
    ctx.log.info(`${t.sym.id}: marked toxic in the health registry, skipped (use --force to re-ingest)`);
    return { outcome: "skipped_toxic", findings: [] };
  }
  const req: FetchRequest = { symbol: t.sym, profile: t.profile, interval: t.interval };
  if (opts.fromMs !== undefined) req.fromMs = opts.fromMs;
  if (opts.toMs !== undefined) req.toMs = opts.toMs;
  const fetched = await opts.vendor.fetch(req);
  if (fetched.latencyMs !== undefined) latencies.push(fetched.latencyMs);
  if (barCount(fetched.bars) === 0) {
    const msg = `${opts.vendor.name} returned no bars for ${t.sym.id} ${t.interval}${fetched.ticker ? ` (${fetched.ticker})` : ""}`;
    return { outcome: "no_data", findings: [{ code: "no_data", severity: options.get("no_data")!.severity("error"), ...base, message: msg, metrics: { rows: 0 } }] };
  }
  // Repeated or descending rows in what the vendor sent are reported, then normalised away.
  const incoming = normalizeBars(fetched.bars);
  const rawFindings = runChecks(checkInput(ctx, t, fetched.bars, calendarFor(t.profile, ctx.reference)), options, [duplicateRows, unsorted]);
  const stored = lh.readSync(t.sym, t.interval);
  const merged = stored ? mergeBars(stored.bars, incoming) : incoming;
  const verdict = assess(ctx, t, merged, options);
  verdict.findings.unshift(...rawFindings);
  const now = ctx.now.toISOString();
  const entry = health.ensure(t.sym.id);

  if (verdict.toxic) {
    // The golden file stays byte-identical; the incoming series is kept as evidence.
    const toxic = verdict.findings.filter((f) => f.toxic && f.severity === "error");
    const path = await lh.quarantine(t.sym, t.interval, incoming, { symbol: t.sym.id, interval: t.interval, vendor: opts.vendor.name, quarantinedAt: now, reasons: toxic }, now);
    entry.is_toxic = true;
    entry.status = "toxic";
    entry.reasons = [...new Set([...entry.reasons, ...toxic.map((f) => f.code)])].sort();
    entry.quarantined = [...(entry.quarantined ?? []), path];
    ctx.log.warn(`${t.sym.id} ${t.interval}: toxic (${toxic.map((f) => f.code).join(", ")}), quarantined to ${path}`);
    return { outcome: "quarantined", findings: verdict.findings, output: { name: path, kind: "quarantine", symbol: t.sym.id, interval: t.interval }, report: { ...base, status: "toxic", rows: barCount(incoming), ...seriesRange(incoming), qualityScore: verdict.qualityScore, quarantined: path } };
  }

  let outcome: Outcome = "unchanged";
  let sha = stored?.sha256;
  if (!stored || !barsEqual(stored.bars, merged)) {
    const w = await lh.write(t.sym, t.interval, merged);
    sha = w.sha256;
    outcome = "written";
  }
  const prev = catalog.get(t.sym.id, t.interval);
  if (outcome === "written" || !prev || prev.sha256 !== sha) {
    catalog.set({
      symbol: t.sym.id,
      interval: t.interval,
      profile: t.profile,
      path: lh.fileName(t.sym, t.interval),
      rows: barCount(merged),
      ...seriesRange(merged),
      genesis: prev?.genesis ?? null,
      sha256: sha!,
      source: opts.vendor.name,
      ingestedAt: now,
      qualityScore: verdict.qualityScore,
    });
    catalog.save(); // after the data file: the catalog never points at data that is not there
  }
  if (opts.force && entry.is_toxic) {
    entry.is_toxic = false;
    entry.reasons = entry.reasons.filter((r) => r !== "toxic_return" && r !== "volume_spike" && r !== "price_stall");
  }
  entry.status = verdict.status;
  const output: LineageRef = { name: lh.fileName(t.sym, t.interval), kind: "parquet", sha256: sha!, symbol: t.sym.id, interval: t.interval, rows: barCount(merged) };
  return { outcome, findings: verdict.findings, output, report: { ...base, status: verdict.status, rows: barCount(merged), ...seriesRange(merged), qualityScore: verdict.qualityScore, outcome } };
}
