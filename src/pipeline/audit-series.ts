// The part of auditing one series that needs no registry: read, verify, check (or revive an unchanged series from
// its state). It runs on the main thread or in an audit worker alike; what it returns is plain data (structured-cloneable).

import { calendarFor } from "../calendar/index.ts";
import type { PushedEvidence } from "../checks/pushdown.ts";
import type { CheckOptions } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { seriesRange } from "../lakehouse/store.ts";
import { barCount } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import { assessInput, checkInput } from "./assess.ts";
import { pushedAt } from "./audit-pushdown.ts";
import { reviveAssessment, type SeriesState, seriesStateKey, stateOf } from "./audit-state.ts";
import { tailKey, tailMemo, tailStateOf } from "./audit-tail.ts";
import { goldenReadFinding } from "./commit.ts";
import type { Target } from "./targets.ts";

/** How one series' file was judged. */
export type SeriesCheck =
  | { kind: "missing"; path: string }
  | { kind: "bad"; path: string; finding: Finding; sha256: string }
  | {
      kind: "checked";
      findings: Finding[];
      status: string;
      toxic: boolean;
      qualityScore: number | null;
      rows: number;
      start: string | null;
      end: string | null;
      sha256: string;
      /** The state for the next audit (the one it was revived from, when `reused`). */
      state: SeriesState;
      /** True when the file was not decoded: its state matched. */
      reused: boolean;
      /** True when the bars extended those of the last audit and the windowed scans resumed at its end (audit-tail.ts). */
      resumed?: boolean;
    };

/** What checkSeries needs besides the series: the check options, the window, the run's fingerprint, the prior state. */
export interface SeriesCheckOptions {
  options: Map<string, CheckOptions>;
  window: { fromMs?: number; toMs?: number };
  /** runFingerprint of this run. */
  run: string;
  /** The series' state from the last audit (absent, or `full`: the file is decoded and checked). */
  prior?: SeriesState;
  full?: boolean;
  /** What the store computed for this series itself (Store.pushdown), used when computed at the version read. */
  pushed?: PushedEvidence;
}

/** Read, verify and check one series (no registry, no lock): the per-series work of an audit. */
export async function checkSeries(ctx: RunContext, t: Target, o: SeriesCheckOptions): Promise<SeriesCheck> {
  const keyOf = (version: string) => seriesStateKey(ctx, t, version, o.run);
  const seen = o.full ? undefined : o.prior?.seen;
  const read = await ctx.store.readUnlessKnown(t.sym, t.interval, t.entry, (v) => !o.full && o.prior?.key === keyOf(v), seen);
  if (read.kind === "missing") return { kind: "missing", path: read.path };
  if (read.kind === "corrupt") return { kind: "bad", path: read.path, finding: goldenReadFinding(t, read), sha256: read.actual };
  if (read.kind === "unchanged") {
    const prior = o.prior!;
    const a = reviveAssessment(ctx, t, prior, o.options);
    const { rows, start, end } = prior;
    // The state object itself when nothing in it changed (recording compares content, identity first).
    const state = read.stamp === undefined || read.stamp === prior.seen?.stamp ? prior : { ...prior, seen: { stamp: read.stamp, version: read.sha256 } };
    return { kind: "checked", ...a, rows, start, end, sha256: read.sha256, state, reused: true };
  }
  if (read.kind === "unreadable") return { kind: "bad", path: read.path, finding: goldenReadFinding(t, read), sha256: read.actual };
  const key = keyOf(read.stored.sha256);
  const input = checkInput(ctx, t, read.stored.bars, calendarFor(t.calendar, ctx.reference), o.window);
  // A series that only grew at the end resumes its windowed scans from the last audit's (audit-tail.ts).
  const tkey = tailKey(ctx, t, o.run);
  const { memo, digest } = tailMemo(input.bars, tkey, o.full ? undefined : o.prior?.tail);
  const a = assessInput({ ...input, scans: memo, ...pushedAt(o.pushed, read.stored.sha256) }, o.options);
  const range = { rows: barCount(a.bars), ...seriesRange(a.bars) };
  const tail = tailStateOf(tkey, digest, memo, range.rows);
  return {
    kind: "checked",
    findings: a.findings,
    status: a.status,
    toxic: a.toxic,
    qualityScore: a.qualityScore,
    ...range,
    sha256: read.stored.sha256,
    state: stateOf(
      key,
      a,
      range,
      tail,
      read.stored.stamp === undefined ? undefined : { stamp: read.stored.stamp, version: read.stored.sha256 },
      input.releases !== undefined,
    ),
    reused: false,
    resumed: memo.prior !== undefined,
  };
}
