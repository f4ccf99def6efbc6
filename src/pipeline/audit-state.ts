// The incremental audit's memory: per series, what the next audit needs so an unchanged file is not decoded again.
// Only the stale check (and the freshness half of the quality score) depends on "now", and it reads nothing of the
// bars but the last timestamp (a series judged by a release calendar: the last PERIOD_BARS); everything else a check reports is a function of the file, the options and the
// calendar. So the state keeps the now-independent findings, the coverage ratio and the last bar, keyed by the
// file's sha256, the check options, the series' own inputs (profile, calendar, genesis, instrument) and the version.
import { calendarFor } from "../calendar/index.ts";
import { PERIOD_BARS } from "../checks/releases.ts";
import { freshness, stale } from "../checks/stale.ts";
import { qualityFinding, qualityScore, seriesStatus } from "../checks/status.ts";
import { type CheckInput, type CheckOptions, scopeOf } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { seriesKey } from "../lakehouse/catalog.ts";
import { sha256 } from "../lakehouse/store.ts";
import type { Finding } from "../model/finding.ts";
import type { SeenVersion, Store } from "../store/types.ts";
import { VERSION } from "../version.ts";
import type { Assessment } from "./assess.ts";
import { checkInput } from "./assess.ts";
import type { TailState } from "./audit-tail.ts";
import type { Target } from "./targets.ts";

/** The store document that holds the audit state (a cache: lose it and the next audit is a full one); audit_state.json in a lakehouse. */
const AUDIT_STATE_DOC = "audit_state";
const FORMAT = 1;

/** What one series' last audit left for the next. */
export interface SeriesState {
  /** sha256 over the file hash, the run's check fingerprint and the series' own inputs (see seriesStateKey). */
  key: string;
  rows: number;
  start: string | null;
  end: string | null;
  /** The last bar's open (ms); what stale and freshness read of the bars. */
  lastBar: number | null;
  /** A series judged by a release calendar: the last PERIOD_BARS opens, from which stale reads its period. */
  recent?: number[];
  /** The coverage ratio (null without bars). */
  coverage: number | null;
  /** Every finding of the checks except the now-dependent ones (`stale`, `quality_score`), in report order. */
  findings: Finding[];
  /** What resumes the windowed scans when the file next changes by growing at the end (audit-tail.ts). */
  tail?: TailState;
  /** The store's stamp of the file as it was read, and its hash: while the stamp holds, the file is not read again. */
  seen?: SeenVersion;
}

/** State of every series by `seriesKey(symbol, interval)`. */
export type AuditState = Map<string, SeriesState>;

const NOW_DEPENDENT = new Set(["stale", "quality_score"]);

/** What every series' key shares in one run: dqctl's version, the check options, the reference data, the window. */
export function runFingerprint(ctx: RunContext, window: { fromMs?: number; toMs?: number }): string {
  return sha256(
    JSON.stringify({
      format: FORMAT,
      version: VERSION,
      checks: ctx.config.checks ?? {},
      reference: ctx.reference ?? null,
      fromMs: window.fromMs ?? null,
      toMs: window.toMs ?? null,
    }),
  );
}

/** The key a series' state must carry to be reused for the file with hash `fileSha`. */
export function seriesStateKey(ctx: RunContext, t: Target, fileSha: string, run: string): string {
  const own = {
    profile: t.profile,
    calendar: t.calendar,
    genesis: t.entry?.genesis ?? null,
    instrument: ctx.config.instruments?.[t.sym.id] ?? null,
    release: ctx.releases?.[t.sym.id]?.releaseId ?? null,
  };
  return sha256(`${fileSha}\n${run}\n${JSON.stringify(own)}`);
}

/** The state an assessment leaves (its bars are not kept). */
export function stateOf(
  key: string,
  a: Assessment,
  range: { rows: number; start: string | null; end: string | null },
  tail?: TailState,
  seen?: SeenVersion,
  released = false,
): SeriesState {
  const ts = a.bars.timestamp;
  return {
    key,
    ...range,
    lastBar: ts.length ? ts[ts.length - 1]! : null,
    ...(released && ts.length ? { recent: Array.from(ts.subarray(Math.max(0, ts.length - PERIOD_BARS))) } : {}),
    coverage: a.coverage,
    findings: a.findings.filter((f) => !NOW_DEPENDENT.has(f.code)),
    ...(tail ? { tail } : {}),
    ...(seen ? { seen } : {}),
  };
}

/**
 * The assessment of an unchanged series from its state, as of this run's now: the stale check and the quality score
 * run on the last bar alone (all they read), the stored findings fill in the rest, in the order runChecks gives.
 */
export function reviveAssessment(ctx: RunContext, t: Target, s: SeriesState, options: Map<string, CheckOptions>): Omit<Assessment, "bars"> {
  if (s.lastBar === null || s.coverage === null) {
    const findings = [...s.findings];
    const status = seriesStatus(findings);
    return { findings, status, qualityScore: null, toxic: status === "toxic", coverage: null };
  }
  const recent = s.recent?.length ? s.recent : [s.lastBar];
  const one = {
    timestamp: Float64Array.from(recent),
    open: new Float64Array(recent.length),
    high: new Float64Array(recent.length),
    low: new Float64Array(recent.length),
    close: new Float64Array(recent.length),
    volume: new Float64Array(recent.length),
  };
  const input: CheckInput = checkInput(ctx, t, one, calendarFor(t.calendar, ctx.reference));
  const opts = options.get(stale.code)?.scope(scopeOf(input));
  // `stale` is the second check in report order; `no_data`, the first, reports nothing on a series with bars.
  const findings = [...(opts?.enabled ? stale.run(input, opts) : []), ...s.findings];
  const score = qualityScore(s.coverage, freshness(input, options.get(stale.code)!));
  const q = qualityFinding(input, score, options.get("quality_score")!.scope(scopeOf(input)));
  if (q) findings.push(q);
  const status = seriesStatus(findings);
  return { findings, status, qualityScore: score, toxic: status === "toxic", coverage: s.coverage };
}

/** Read the audit state of a store; a missing, torn or foreign document is an empty state (the audit is then full). */
export async function loadAuditState(store: Store): Promise<AuditState> {
  const out: AuditState = new Map();
  const doc = (await store.readDoc(AUDIT_STATE_DOC)) as { format?: unknown; series?: Record<string, SeriesState> } | undefined;
  if (!doc || doc.format !== FORMAT || !doc.series || typeof doc.series !== "object") return out;
  for (const [k, s] of Object.entries(doc.series)) if (isState(s)) out.set(k, s);
  return out;
}

function isState(s: unknown): s is SeriesState {
  const x = s as SeriesState;
  const seen = x?.seen === undefined || (typeof x.seen?.stamp === "string" && typeof x.seen.version === "string");
  return (
    !!x && typeof x.key === "string" && typeof x.rows === "number" && Array.isArray(x.findings) && (x.lastBar === null || typeof x.lastBar === "number") && seen
  );
}

/** Write the audit state atomically (sorted by series, so the same audit writes the same bytes). */
export async function saveAuditState(store: Store, state: AuditState): Promise<void> {
  const series: Record<string, SeriesState> = {};
  for (const k of [...state.keys()].sort()) series[k] = state.get(k)!;
  await store.writeDoc(AUDIT_STATE_DOC, { format: FORMAT, version: VERSION, series });
}

/** The state map key of a target. */
export const stateKeyOf = (t: Target): string => seriesKey(t.sym.id, t.interval);
