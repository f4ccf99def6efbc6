import { align, type MissingRange, seriesWindow } from "../calendar/align.ts";
import { iso } from "../model/finding.ts";
import { intervalMs } from "../model/interval.ts";
import { type Check, type CheckMeta, type CheckInput, finding } from "./types.ts";

const DAY_MS = 86_400_000;

/** Missing ranges of a series between its first bar (or earlier genesis) and its last bar, newest first. */
export function missingRanges(input: Pick<CheckInput, "bars" | "calendar" | "interval" | "genesisMs">): MissingRange[] {
  const ts = input.bars.timestamp;
  const w = seriesWindow(ts, input.genesisMs);
  if (!w) return [];
  return align(input.calendar, input.interval, ts, w.fromMs, w.toMs).missing.reverse();
}

/**
 * `gap`: expected bars absent inside the series. Every missing range is listed exactly (repair refetches them).
 * A gap "spans" (to − from + one interval) of calendar time; one longer than `maxGapDays` (5) makes it an error.
 */
const meta = {
  rule: "expected bars are absent between the first bar (or the recorded genesis) and the last; details.ranges lists each missing range, newest first",
  severity: "warning; error when one gap spans more than maxGapDays",
  options: { maxGapDays: { default: 5, min: 0, description: "a gap spanning more days than this is an error" } },
  example: "3 missing bars in 1 gap (BINANCE:ETHUSDT 1d: 2026-03-10 → 2026-03-12)",
} as const satisfies CheckMeta;

export const gap: Check = {
  code: "gap",
  meta,
  run(input, opts) {
    const ranges = missingRanges(input);
    if (ranges.length === 0) return [];
    const step = intervalMs(input.interval);
    const maxGapMs = opts.number("maxGapDays", meta.options.maxGapDays.default) * DAY_MS;
    let missingBars = 0;
    let longestMs = 0;
    for (const r of ranges) {
      missingBars += r.bars;
      longestMs = Math.max(longestMs, r.toMs - r.fromMs + step);
    }
    const base = opts.severity("warning");
    const severity = longestMs > maxGapMs ? "error" : base;
    const n = ranges.length;
    return [
      finding(
        input,
        "gap",
        severity,
        `${missingBars} missing bar${missingBars === 1 ? "" : "s"} in ${n} gap${n === 1 ? "" : "s"}`,
        { missingBars, gaps: n, longestGapDays: Math.round((longestMs / DAY_MS) * 100) / 100 },
        { ranges: ranges.map((r) => ({ from: iso(r.fromMs), to: iso(r.toMs), bars: r.bars })) },
      ),
    ];
  },
};
