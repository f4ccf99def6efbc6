// Sanitize: quarantine toxic bars, not histories. The seed applies the toxic threshold before writing; a whole
// series is held back only when its defect is structural.

import type { Finding } from "../model/finding.ts";
import { isToxicMove, toxicMoveIndices, toxicRatio } from "./toxic_return.ts";
import { type CheckInput, type CheckMeta, type CheckOptions, scopeOf } from "./types.ts";

/** Options under `checks.bars_quarantined.*` and their defaults. */
export const BARS_QUARANTINED_META = {
  rule: "toxic bars were cut out of what ingest commits and kept in quarantine/ with their evidence (a unit-error block or a spike undone within the series, by toxic_return); the hole is visible to gap and refilled by repair. A whole series is quarantined instead when the defect is structural: an unadjusted split, a stall at the end, a jump that never comes back, or more than maxToxicShare of the bars",
  severity: "warning",
  options: {
    maxToxicShare: {
      default: 0.02,
      min: 0,
      max: 1,
      description: "largest share of a series' bars that may be cut out; beyond it the whole series is quarantined",
    },
  },
  example: "1 toxic bar cut out and quarantined (toxic_return: 2026-06-15T00:00:00.000Z): BINANCE_SOLUSDT_1d.20261121T060000000Z.parquet",
} as const satisfies CheckMeta;

/** The `held_back` finding's meaning: a latest bar that would veto the asset waits for one more bar of evidence. */
export const HELD_BACK_META: Omit<CheckMeta, "options"> = {
  rule: "the latest bar would make the asset toxic on its own (a volume spike, or a jump the next bar has not yet confirmed or undone); it is not committed and is judged again when the next bar arrives",
  severity: "warning",
  example: "latest bar 2026-11-20T00:00:00.000Z held back for one more bar of evidence (volume_spike)",
};

/** Codes whose toxic findings sanitize can answer bar by bar; any other toxic finding is structural. */
const BAR_LEVEL = new Set(["toxic_return", "volume_spike"]);

/** What to do with a toxic series: cut (and quarantine) some bars, hold the latest back, or quarantine it whole. */
export type SanitizePlan = { kind: "bars"; cut: Map<number, string[]>; hold: Map<number, string[]> } | { kind: "structural"; why: string };

/**
 * The bars that make a series toxic, when they can be answered bar by bar. A toxic move that the series undoes
 * later (the close comes back within the ratio of the level before it) condemns the bars in between: a unit-error
 * block, a spike-and-revert. A toxic move on the latest bar is held back until the next bar shows which it was;
 * one that never comes back is a level shift: structural. A volume spike is toxic only on the latest bar, so that
 * bar is held back.
 */
export function planSanitize(input: CheckInput, findings: readonly Finding[], options: Map<string, CheckOptions>): SanitizePlan {
  const toxic = findings.filter((f) => f.toxic && f.severity === "error");
  const structural = toxic.find((f) => !BAR_LEVEL.has(f.code));
  if (structural) return { kind: "structural", why: structural.code };
  const c = input.bars.close;
  const n = c.length;
  const cut = new Map<number, string[]>();
  const hold = new Map<number, string[]>();
  const mark = (m: Map<number, string[]>, i: number, code: string) => m.set(i, [...new Set([...(m.get(i) ?? []), code])]);
  if (toxic.some((f) => f.code === "volume_spike")) mark(hold, n - 1, "volume_spike");
  const share = options.get("bars_quarantined")?.scope(scopeOf(input)).number("maxToxicShare", BARS_QUARANTINED_META.options.maxToxicShare.default);
  // At least one bar may always be cut: a share of a short series can be below one bar.
  const limit = Math.max(1 / Math.max(n, 1), share ?? BARS_QUARANTINED_META.options.maxToxicShare.default);
  if (toxic.some((f) => f.code === "toxic_return")) {
    const ratio = toxicRatio(options.get("toxic_return")!.scope(scopeOf(input)));
    const moves = toxicMoveIndices(c, ratio, new Set((input.splits ?? []).map((s) => s.index)));
    let done = 0; // moves up to this bar are judged (the move back at the end of a run is the run's)
    for (const m of moves) {
      if (m <= done) continue;
      const level = c[m - 1]!;
      let j = m + 1;
      // The first later bar back within the ratio of the level before the move ends the run (unusable closes go on).
      while (j < n && !(c[j]! > 0 && c[j] !== Infinity && !isToxicMove(level, c[j]!, ratio))) j++;
      if (j < n) {
        for (let k = m; k < j; k++) mark(cut, k, "toxic_return");
        done = j;
      } else if (done === 0 && m <= limit * n && m < n - m) {
        // The first bars are the outliers: the whole series after them agrees with itself.
        for (let k = 0; k < m; k++) mark(cut, k, "toxic_return");
        done = m;
      } else if (m === n - 1) {
        mark(hold, m, "toxic_return");
        done = n;
      } else return { kind: "structural", why: "toxic_return (a jump that never comes back)" };
    }
  }
  if (cut.size > limit * n) return { kind: "structural", why: `${cut.size} of ${n} bars toxic (more than maxToxicShare ${limit})` };
  return { kind: "bars", cut, hold };
}
