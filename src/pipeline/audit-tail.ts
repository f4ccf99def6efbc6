// The incremental audit of a series that grew at the end. The windowed scanners (split_suspected, false_tick,
// volume_spike: nine tenths of the check time) resume from what the last audit's scans found, scanning only the tail
// and its look-back; every other check is one cheap pass over the bars and runs in full. A resume is taken only when
// the bars' first `rows` rows are, column by column and bit for bit, the ones the last audit saw (a digest over them),
// and the options, reference data, series inputs and dqctl version are the same (the key): a rewritten, deleted or
// inserted bar, or any other change, checks the series in full. Findings are those of a full check either way.
import { createHash, type Hash } from "node:crypto";
import { type PriorScans, type ScanMemo, scansOf, storable } from "../checks/scans.ts";
import type { RunContext } from "../context.ts";
import { sha256 } from "../lakehouse/store.ts";
import { ACTION_COLUMNS, BAR_COLUMNS, type Bars, barCount } from "../model/bars.ts";
import type { Target } from "./targets.ts";

/** What a series' last audit leaves for resuming its scans. */
export interface TailState {
  /** sha256 over the run's fingerprint and the series' own inputs (not the file: that is what changes). */
  key: string;
  /** Digest of the sorted bars the scans were taken over (see digestBars). */
  digest: string;
  scans: PriorScans;
}

/** The key a series' tail state must carry to be resumed in this run. */
export function tailKey(ctx: RunContext, t: Target, run: string): string {
  const own = { profile: t.profile, calendar: t.calendar, genesis: t.entry?.genesis ?? null, instrument: ctx.config.instruments?.[t.sym.id] ?? null };
  return sha256(`tail\n${run}\n${JSON.stringify(own)}`);
}

/**
 * Digest of the bars, and of their first `prefix` rows, in one pass: per column a sha256 over its float64 bytes
 * (copied at the prefix), joined. Corporate-action columns count only when present, and their presence too.
 */
export function digestBars(b: Bars, prefix?: number): { all: string; prefix?: string } {
  const n = barCount(b);
  const cut = prefix !== undefined && prefix <= n ? prefix : undefined;
  const all: string[] = [];
  const head: string[] = [];
  const columns: Float64Array[] = BAR_COLUMNS.map((c) => b[c]);
  if (b.actions) for (const c of ACTION_COLUMNS) columns.push(b.actions[c]);
  for (const col of columns) {
    const h: Hash = createHash("sha256");
    const bytes = new Uint8Array(col.buffer, col.byteOffset, n * 8);
    if (cut !== undefined) {
      h.update(bytes.subarray(0, cut * 8));
      head.push(h.copy().digest("hex"));
      h.update(bytes.subarray(cut * 8));
    } else h.update(bytes);
    all.push(h.digest("hex"));
  }
  const tag = b.actions ? "a" : "-";
  return { all: `${tag}${sha256(all.join(""))}`, ...(cut !== undefined ? { prefix: `${tag}${sha256(head.join(""))}` } : {}) };
}

/** The scan memo for checking `bars`: with the prior scans when `prior` is for these inputs and the bars extend its. */
export function tailMemo(bars: Bars, key: string, prior: TailState | undefined): { memo: ScanMemo; digest: string } {
  const usable = prior?.key === key ? prior : undefined;
  const d = digestBars(bars, usable?.scans.rows);
  return { memo: usable && d.prefix === usable.digest ? { prior: usable.scans } : {}, digest: d.all };
}

/** The tail state this check leaves (none when its scans cannot be stored exactly: the next check is then full). */
export function tailStateOf(key: string, digest: string, memo: ScanMemo, rows: number): TailState | undefined {
  const scans = scansOf(memo, rows);
  return storable(scans) ? { key, digest, scans } : undefined;
}
