import type { RunContext } from "../context.ts";
import type { Finding } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import { parseSymbol } from "../model/symbol.ts";
import type { StepResult } from "../report/summary.ts";
import type { Vendor } from "../vendors/types.ts";
import { runAudit } from "./audit.ts";
import { runIngest } from "./ingest.ts";
import { type RepairOptions, runRepair } from "./repair.ts";
import { runScan, type Screener } from "./scan.ts";

export interface FlowOptions {
  scanners: string[];
  exportDir: string;
  vendor: Vendor;
  interval: Interval;
  sourceName?: string;
  lookbackDays?: number;
  force?: boolean;
  repair?: Pick<RepairOptions, "maxFills" | "maxTimeMs" | "maxCandles" | "backfillDays">;
  screener?: Screener;
}

/** scan → ingest → repair → audit (→ registry) in one run; the audit's findings decide the gate. */
export async function runFlow(ctx: RunContext, opts: FlowOptions): Promise<StepResult> {
  const scan = await runScan(ctx, { configs: opts.scanners, exportDir: opts.exportDir, ...(opts.screener ? { screener: opts.screener } : {}) });
  const candidates = scan.candidates.map((c) => parseSymbol(c.symbol));
  // The assets the scan dropped because they are held as toxic are still ingested (every ingest re-judges a toxic
  // mark on new data), repaired and audited: they stay visible, as toxic, until their data is clean.
  // (No candidates at all: the audit covers the whole lakehouse, quarantine included.)
  const dropped = ((scan.extra?.droppedToxic as string[] | undefined) ?? []).map((s) => parseSymbol(s)).filter((d) => !candidates.some((x) => x.id === d.id));
  const symbols = candidates.length ? [...candidates, ...dropped] : [];
  const base = { vendor: opts.vendor, interval: opts.interval, ...(opts.sourceName ? { sourceName: opts.sourceName } : {}) };
  const ingest = symbols.length
    ? await runIngest(ctx, { ...base, symbols, force: opts.force === true, ...(opts.lookbackDays !== undefined ? { lookbackDays: opts.lookbackDays } : {}) })
    : undefined;
  // Series that exist now (ingest may have quarantined or found nothing for some).
  const repair = symbols.length ? await runRepair(ctx, { ...base, symbols, ...opts.repair }) : undefined;
  const audit = await runAudit(ctx, { symbols, interval: opts.interval });
  const stage = (s: StepResult | undefined) =>
    s ? { counts: s.counts, errors: s.errors ?? [], findings: s.findings.length, ...pick(s.extra, ["latency", "candidatesPath", "plan"]) } : { skipped: true };
  return {
    counts: audit.counts,
    symbols: audit.symbols,
    findings: bySeries(
      stageFindings({ scan: scan.findings, ingest: ingest?.findings ?? [], repair: repair?.findings ?? [], audit: audit.findings }),
      audit.symbols,
    ),
    // The audit alone decides the gate: what ingest saw in the vendor's data was normalised or quarantined.
    gateFindings: audit.findings,
    errors: [...(ingest?.errors ?? []), ...(repair?.errors ?? [])],
    extra: {
      candidatesPath: scan.candidatesPath,
      stages: { scan: stage(scan), ingest: stage(ingest), repair: stage(repair), audit: { counts: audit.counts, findings: audit.findings.length } },
      quarantine: audit.extra?.quarantine ?? [],
    },
    lineage: {
      inputs: [...(ingest?.lineage?.inputs ?? []), { name: scan.candidatesPath, kind: "candidates" }],
      outputs: [...(ingest?.lineage?.outputs ?? []), ...(repair?.lineage?.outputs ?? []), { name: "foundation_health.json", kind: "registry" }],
    },
  };
}

/**
 * Every stage's findings, tagged with the stage. Where a later stage reports the same code on the same series, the
 * later one stands (it saw the stored result); what only an earlier stage could see (duplicate rows the vendor sent,
 * the toxic bars it quarantined) is kept.
 */
export function stageFindings(stages: Record<string, Finding[]>): Finding[] {
  const key = (f: Finding) => `${f.code}\u0000${f.symbol ?? ""}\u0000${f.interval ?? ""}`;
  const entries = Object.entries(stages);
  const out: Finding[] = [];
  entries.forEach(([name, list], i) => {
    const later = new Set(entries.slice(i + 1).flatMap(([, l]) => l.map(key)));
    for (const f of list) if (!later.has(key(f))) out.push({ ...f, stage: name });
  });
  return out;
}

/** Findings in the order of the series table (stage order kept within a series); others last. */
function bySeries(findings: Finding[], rows: { symbol: string; interval: string }[]): Finding[] {
  const order = new Map(rows.map((r, i) => [`${r.symbol} ${r.interval}`, i]));
  const rank = (f: Finding) => order.get(`${f.symbol} ${f.interval}`) ?? rows.length;
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map((x) => x.f);
}

function pick(o: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o?.[k] !== undefined) out[k] = o[k];
  return out;
}
