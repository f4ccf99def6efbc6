import type { RunContext } from "../context.ts";
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
  const symbols = scan.candidates.map((c) => parseSymbol(c.symbol));
  const base = { vendor: opts.vendor, interval: opts.interval, ...(opts.sourceName ? { sourceName: opts.sourceName } : {}) };
  const ingest = symbols.length
    ? await runIngest(ctx, { ...base, symbols, force: opts.force === true, ...(opts.lookbackDays !== undefined ? { lookbackDays: opts.lookbackDays } : {}) })
    : undefined;
  // Series that exist now (ingest may have quarantined or found nothing for some).
  const repair = symbols.length ? await runRepair(ctx, { ...base, symbols, ...opts.repair }) : undefined;
  const audit = await runAudit(ctx, { symbols: symbols.length ? symbols : [], interval: opts.interval });
  const stage = (s: StepResult | undefined) => (s ? { counts: s.counts, errors: s.errors ?? [], findings: s.findings.length, ...pick(s.extra, ["latency", "candidatesPath", "plan"]) } : { skipped: true });
  return {
    counts: audit.counts,
    symbols: audit.symbols,
    findings: audit.findings,
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

function pick(o: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o?.[k] !== undefined) out[k] = o[k];
  return out;
}
