import { align, type MissingRange, seriesWindow } from "../calendar/align.ts";
import type { Calendar } from "../calendar/types.ts";
import { iso } from "../model/finding.ts";
import { type Interval, intervalMs } from "../model/interval.ts";
import { type Check, type CheckInput, type CheckMeta, finding } from "./types.ts";

const DAY_MS = 86_400_000;

/** Options under `checks.gap.*` and their defaults. */
export const GAP_DEFAULTS = {
  /** One gap longer than this many sessions is an error (`maxGapDays`, the former name, is read as an alias). */
  maxGapSessions: 5,
} as const;

/** Missing ranges of a series between its first bar (or earlier genesis) and its last bar, newest first. */
export function missingRanges(input: Pick<CheckInput, "bars" | "calendar" | "interval" | "genesisMs"> & Partial<Pick<CheckInput, "pushed">>): MissingRange[] {
  const ts = input.bars.timestamp;
  const w = seriesWindow(ts, input.genesisMs);
  if (!w) return [];
  // The store's anti-join (pushdown.ts) when it answered over this same window, else a merge against the calendar.
  const ev = input.pushed?.calendar;
  if (ev && ev.fromMs === w.fromMs && ev.toMs === w.toMs) return ev.missing.map((r) => ({ ...r })).reverse();
  return align(input.calendar, input.interval, ts, w.fromMs, w.toMs).missing.reverse();
}

/**
 * Expected bars per session of `interval` near `atMs`: 1 for daily bars; otherwise the calendar's expected bars over
 * the four weeks before `atMs` ÷ its sessions (expected daily bars) in them: 1,440 for 1m crypto, about 390 for 1m
 * NYSE (early closes count as they are), 24 for 1h forex.
 */
export function barsPerSession(calendar: Calendar, interval: Interval, atMs: number): number {
  if (interval === "1d") return 1;
  const from = Math.floor(atMs / DAY_MS) * DAY_MS - 28 * DAY_MS;
  const to = from + 28 * DAY_MS - 1;
  const sessions = calendar.expected("1d", from, to).length;
  const bars = calendar.expected(interval, from, to).length;
  return sessions > 0 && bars > 0 ? bars / sessions : DAY_MS / intervalMs(interval);
}

const meta = {
  rule: "expected bars are absent between the first bar (or the recorded genesis) and the last; details.ranges lists each missing range, newest first",
  severity: "warning; error when one gap spans more than maxGapSessions sessions (expected bars)",
  options: {
    maxGapSessions: { default: GAP_DEFAULTS.maxGapSessions, min: 0, description: "a gap of more missing sessions than this is an error" },
    maxGapDays: { default: GAP_DEFAULTS.maxGapSessions, min: 0, description: "the former name of maxGapSessions, still read when maxGapSessions is not set" },
  },
  example: "3 missing bars in 1 gap (BINANCE:ETHUSDT 1d: 2026-03-10 → 2026-03-12)",
} as const satisfies CheckMeta;

/**
 * `gap`: expected bars absent inside the series. Every missing range is listed exactly (repair refetches them).
 * A gap's size is counted in sessions, i.e. in the bars the calendar expected (its missing bars ÷ bars per session),
 * not in calendar days: five missing sessions are five whether or not a weekend or a holiday falls inside them.
 * One gap longer than `maxGapSessions` (5) makes it an error.
 */
export const gap: Check = {
  code: "gap",
  meta,
  run(input, opts) {
    const ranges = missingRanges(input);
    if (ranges.length === 0) return [];
    const step = intervalMs(input.interval);
    const maxGapSessions = opts.number("maxGapSessions", opts.number("maxGapDays", GAP_DEFAULTS.maxGapSessions));
    const perSession = barsPerSession(input.calendar, input.interval, input.bars.timestamp[input.bars.timestamp.length - 1]!);
    let missingBars = 0;
    let longestMs = 0;
    let longestBars = 0;
    for (const r of ranges) {
      missingBars += r.bars;
      longestMs = Math.max(longestMs, r.toMs - r.fromMs + step);
      longestBars = Math.max(longestBars, r.bars);
    }
    const longestSessions = longestBars / perSession;
    const severity = longestSessions > maxGapSessions ? "error" : opts.severity("warning");
    const n = ranges.length;
    return [
      finding(
        input,
        "gap",
        severity,
        `${missingBars} missing bar${missingBars === 1 ? "" : "s"} in ${n} gap${n === 1 ? "" : "s"}`,
        { missingBars, gaps: n, longestGapSessions: Math.round(longestSessions * 100) / 100, longestGapDays: Math.round((longestMs / DAY_MS) * 100) / 100 },
        { ranges: ranges.map((r) => ({ from: iso(r.fromMs), to: iso(r.toMs), bars: r.bars })) },
      ),
    ];
  },
};
