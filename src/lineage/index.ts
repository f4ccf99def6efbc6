// `dqctl lineage`: measure the nodes, judge their targets, and render the Markdown document or OpenLineage events.
import { ALL_CHECKS, resolveCheckOptions } from "../checks/index.ts";
import type { RunContext } from "../context.ts";
import type { Finding, Severity } from "../model/finding.ts";
import type { StepResult, SymbolReport } from "../report/summary.ts";
import { VERSION } from "../version.ts";
import { renderLineageMarkdown } from "./markdown.ts";
import { type LineageMeasures, measureLineage, runAsOf } from "./measure.ts";
import { type LineageNode, resolveLineage } from "./model.ts";
import { lineageEvents, type RunEvent, toNdjson } from "./openlineage.ts";

export const LINEAGE_FORMATS = ["markdown", "openlineage"] as const;
export type LineageFormat = (typeof LINEAGE_FORMATS)[number];

/** What `runLineage` produces: the summary step, the document in the chosen format, and the events. */
export interface LineageResult {
  step: StepResult;
  document: string;
  events: RunEvent[];
  measures: LineageMeasures;
}

/** One `sla_freshness` / `sla_completeness` finding per missed target. */
export function slaFindings(nodes: readonly LineageNode[], m: LineageMeasures, severity: Severity): Finding[] {
  const out: Finding[] = [];
  for (const x of m.nodes) {
    const node = nodes.find((n) => n.id === x.id)!;
    const f = x.freshness;
    if (f.met === false) {
      const metrics: Record<string, number> = f.value === null ? { slaHours: f.target } : { measuredHours: f.value, slaHours: f.target };
      out.push({
        code: "sla_freshness",
        severity,
        message: `${node.id}: freshness SLA of ${f.target} h missed: ${f.value ?? "—"} h (${f.basis})`,
        metrics,
        details: { node: node.id, measure: node.freshnessMeasure },
      });
    }
    const c = x.completeness;
    if (c.met === false) {
      const metrics: Record<string, number> = c.value === null ? { target: c.target } : { measured: c.value, target: c.target };
      out.push({
        code: "sla_completeness",
        severity,
        message: `${node.id}: completeness target ${c.target} missed: ${c.value ?? "—"} (${c.basis})`,
        metrics,
        details: { node: node.id, measure: node.completenessMeasure },
      });
    }
  }
  return out;
}

/** Check codes that would run with this config: each becomes an OpenLineage assertion. */
export function enabledCheckCodes(ctx: RunContext): string[] {
  const options = resolveCheckOptions(ctx.config);
  return [...ALL_CHECKS.map((c) => c.code), "quality_score"].filter((c) => options.get(c)?.enabled !== false);
}

/** Measure the lakehouse and runs against the lineage targets; render `format`. */
export async function runLineage(ctx: RunContext, format: LineageFormat): Promise<LineageResult> {
  const { nodes, severity } = resolveLineage(ctx.config);
  const m = await measureLineage(ctx, nodes);
  const events = lineageEvents(m.runs, { lakehouse: ctx.store.location, checkCodes: enabledCheckCodes(ctx), version: VERSION });
  const document = format === "markdown" ? renderLineageMarkdown(nodes, m, { version: VERSION }) : toNdjson(events);
  const findings = slaFindings(nodes, m, severity);
  const figures = m.nodes.flatMap((x) => [x.freshness, x.completeness]);
  const symbols: SymbolReport[] = m.series.map((s) => ({
    symbol: s.symbol,
    interval: s.interval,
    profile: s.profile,
    status: s.status,
    rows: s.rows,
    start: s.start,
    end: s.end,
    qualityScore: s.qualityScore,
    lagHours: s.lagHours,
    coverage: s.coverage,
    audited: s.audited,
  }));
  const step: StepResult = {
    counts: {
      nodes: nodes.length,
      targets: figures.length,
      met: figures.filter((f) => f.met === true).length,
      missed: figures.filter((f) => f.met === false).length,
      unmeasured: figures.filter((f) => f.met === null).length,
      series: m.series.length,
      runs: m.runs.length,
      events: events.length,
    },
    symbols,
    findings,
    extra: {
      lineage: {
        asOf: m.asOf,
        lakehouse: m.lakehouse,
        format,
        skippedRunLines: m.skippedRunLines,
        nodes: nodes.map((n) => {
          const x = m.nodes.find((y) => y.id === n.id)!;
          return { ...n, measured: { freshness: x.freshness, completeness: x.completeness } };
        }),
        runs: m.runs.map((r) => ({
          runId: r.runId,
          command: r.command,
          asOf: runAsOf(r),
          startedAt: r.startedAt,
          finishedAt: r.finishedAt,
          status: r.status,
          exitCode: r.exitCode,
          counts: r.counts,
        })),
      },
    },
  };
  return { step, document, events, measures: m };
}
