// One audited series as the report and the registry see it: its check (audit-series.ts) joined with what the
// registry holds in quarantine for it.
import { basename } from "node:path";
import type { CheckOptions } from "../checks/types.ts";
import { finding } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import type { HealthRegistry } from "../lakehouse/health.ts";
import type { Finding } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolReport } from "../report/summary.ts";
import type { SeriesCheck } from "./audit-series.ts";
import type { SeriesState } from "./audit-state.ts";
import { heldFiles } from "./quarantined.ts";
import type { Target } from "./targets.ts";

type CheckMap = Map<string, CheckOptions>;

/** One audited series (kept small: bars are dropped after checking so memory stays flat). */
export interface AuditedSeries {
  target: Target;
  report: SymbolReport;
  findings: Finding[];
  /** The file's hash as read (null when there is no file). */
  sha256: string | null;
  /** The catalog's hash when the series was read (null without an entry). */
  catalogSha: string | null;
  /** The file is not what the catalog recorded, or cannot be decoded. */
  corrupt: boolean;
  toxic: boolean;
  /** What the next audit keeps of this one (absent when the file was missing or unreadable). */
  state?: SeriesState;
  /** The file was unchanged since the last audit and not decoded. */
  reused?: boolean;
  /** The series grew at the end since the last audit: its windowed scans resumed there (audit-tail.ts). */
  resumed?: boolean;
}

/** The audited series from its check and what the registry holds in quarantine for it. */
export function compose(ctx: RunContext, t: Target, c: SeriesCheck, options: CheckMap, health?: HealthRegistry): AuditedSeries {
  const base = { symbol: t.sym.id, interval: t.interval, profile: t.profile };
  const catalogSha = t.entry?.sha256 ?? null;
  if (c.kind === "bad") {
    return {
      target: t,
      findings: [c.finding],
      sha256: c.sha256,
      catalogSha,
      corrupt: true,
      toxic: false,
      report: { ...base, status: "corrupt", rows: 0, start: null, end: null, qualityScore: null, file: c.path },
    };
  }
  // An asset the registry holds in quarantine as toxic is `toxic`, with its files, whether or not a golden file exists.
  const files = health ? heldFiles(health, t.sym, t.interval) : [];
  // (Registries written before this finding existed recorded `missing` as the reason: not a reason for toxicity.)
  const reasons = health?.get(t.sym.id)?.reasons.filter((r) => r !== "missing" && r !== "quarantined") ?? [];
  const held = files.length ? heldFinding(base, files, reasons, options) : undefined;
  if (c.kind === "missing") {
    if (held)
      return {
        target: t,
        findings: [held],
        sha256: null,
        catalogSha,
        corrupt: false,
        toxic: true,
        report: { ...base, status: "toxic", rows: 0, start: null, end: null, qualityScore: null, quarantined: files },
      };
    const f = finding(
      base,
      "missing",
      options.get("missing")?.severity("error") ?? "error",
      `no lakehouse file ${ctx.store.seriesName(t.sym, t.interval)}`,
      undefined,
      {
        path: c.path,
      },
    );
    return {
      target: t,
      findings: [f],
      sha256: null,
      catalogSha,
      corrupt: false,
      toxic: false,
      report: { ...base, status: "missing", rows: 0, start: null, end: null, qualityScore: null },
    };
  }
  return {
    target: t,
    findings: held ? [...c.findings, held] : c.findings,
    sha256: c.sha256,
    catalogSha,
    corrupt: false,
    toxic: c.toxic || held !== undefined,
    report: {
      ...base,
      status: held ? "toxic" : c.status,
      rows: c.rows,
      start: c.start,
      end: c.end,
      qualityScore: c.qualityScore,
      ...(held ? { quarantined: files } : {}),
    },
    state: c.state,
    reused: c.reused,
    ...(c.resumed ? { resumed: true } : {}),
  };
}

/** The `quarantined` finding of a series held in quarantine as toxic (error unless configured otherwise). */
function heldFinding(base: { symbol: string; interval: Interval }, files: string[], reasons: string[], options: CheckMap): Finding {
  const severity = options.get("quarantined")?.severity("error") ?? "error";
  const why = reasons.length ? ` (${reasons.join(", ")})` : "";
  const f = finding(
    base,
    "quarantined",
    severity,
    `held in quarantine as toxic${why}: ${files.map((f) => basename(f)).join(", ")}`,
    { files: files.length },
    { files, reasons },
  );
  return { ...f, toxic: true };
}
