import { align, seriesWindow } from "../calendar/align.ts";
import { type Check, type CheckInput, type CheckMeta, finding } from "./types.ts";

/** Observed ÷ calendar-expected bars over the audit window (or the series window); 1 when nothing is expected. */
export function coverageRatio(
  input: Pick<CheckInput, "bars" | "calendar" | "interval" | "genesisMs" | "fromMs" | "toMs"> & Partial<Pick<CheckInput, "pushed">>,
): {
  observed: number;
  expected: number;
  ratio: number;
} {
  const ts = input.bars.timestamp;
  const w = seriesWindow(ts, input.genesisMs);
  const fromMs = input.fromMs ?? w?.fromMs;
  const toMs = input.toMs ?? w?.toMs;
  if (fromMs === undefined || toMs === undefined) return { observed: 0, expected: 0, ratio: ts.length ? 1 : 0 };
  // The store's counts (pushdown.ts) when it answered over this same window, else a merge against the calendar.
  const ev = input.pushed?.calendar;
  const a = ev && ev.fromMs === fromMs && ev.toMs === toMs ? ev : align(input.calendar, input.interval, ts, fromMs, toMs);
  return { observed: a.observed, expected: a.expected, ratio: a.expected === 0 ? 1 : a.observed / a.expected };
}

/** `coverage`: on-calendar bars ÷ expected bars below `warn` (0.9) is a warning, below `error` (0.75) an error. */
const meta = {
  rule: "observed on-calendar bars ÷ calendar-expected bars over the audit window (or the series' own range) is below warn",
  severity: "warning; error below the error ratio",
  options: {
    warn: { default: 0.9, min: 0, max: 1, description: "coverage below this ratio is a warning" },
    error: { default: 0.75, min: 0, max: 1, description: "coverage below this ratio is an error" },
  },
  example: "coverage 82.4% (412 of 500 expected bars)",
} as const satisfies CheckMeta;

export const coverage = {
  code: "coverage",
  meta,
  run(input, opts) {
    const warn = opts.number("warn", meta.options.warn.default);
    const err = opts.number("error", meta.options.error.default);
    const c = coverageRatio(input);
    if (c.expected === 0 || c.ratio >= warn) return [];
    const severity = c.ratio < err ? "error" : opts.severity("warning");
    const pct = (c.ratio * 100).toFixed(1);
    return [
      finding(input, "coverage", severity, `coverage ${pct}% (${c.observed} of ${c.expected} expected bars)`, {
        coverage: Math.round(c.ratio * 10_000) / 10_000,
        observed: c.observed,
        expected: c.expected,
      }),
    ];
  },
} satisfies Check;
