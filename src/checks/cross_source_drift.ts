import { iso } from "../model/finding.ts";
import { type Check, type CheckMeta, finding, MAX_EVIDENCE, type SourceBars } from "./types.ts";

/**
 * `cross_source_drift`: one bar's closes disagree across the vendors a series was stitched from. Drift is
 * (max − min) ÷ max of the bar's finite closes (a bar only one vendor has is never compared); one finding per
 * series names the worst bar and lists the offending bars, worst first, in `details.bars`. A series from one
 * vendor (every stored series) has nothing to compare: no finding.
 */
const meta = {
  rule: "(max − min) ÷ max of one bar's closes across the vendors a series was stitched from is above warn (bootstrap, the only command that stitches vendors)",
  severity: "warning; error above tolerance",
  options: {
    warn: { default: 0.01, min: 0, max: 1, description: "drift above this ratio is a warning (bootstrap flag --drift-warn)" },
    tolerance: { default: 0.02, min: 0, max: 1, description: "drift above this ratio is an error (bootstrap flag --drift-tolerance)" },
  },
  example: "close drift 2.5% at 2026-11-20T00:00:00.000Z (yahoo 1.085 vs alphavantage 1.0579) above the hard tolerance 2%; 1 of 240 shared bars above 1%",
} as const satisfies CheckMeta;

/** Closes of every vendor at one bar. */
interface BarCloses {
  timestamp: number;
  closes: { vendor: string; close: number }[];
}

/** Bars delivered by two or more vendors with a finite close, ascending (a vendor's repeated timestamp: its last row). */
function overlappingCloses(sources: readonly SourceBars[]): BarCloses[] {
  const byTime = new Map<number, { vendor: string; close: number }[]>();
  for (const c of sources) {
    const own = new Map<number, number>();
    const b = c.bars;
    for (let i = 0; i < b.timestamp.length; i++) own.set(b.timestamp[i]!, b.close[i]!);
    for (const [t, close] of own) {
      if (!Number.isFinite(close)) continue;
      let list = byTime.get(t);
      if (!list) byTime.set(t, (list = []));
      list.push({ vendor: c.vendor, close });
    }
  }
  return [...byTime]
    .filter(([, l]) => l.length >= 2)
    .sort((a, b) => a[0] - b[0])
    .map(([timestamp, closes]) => ({ timestamp, closes }));
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

export const crossSourceDrift = {
  code: "cross_source_drift",
  meta,
  run(input, opts) {
    const tolerance = opts.number("tolerance", meta.options.tolerance.default);
    // A warn ratio above the hard one would make errors without warnings first: the warn ratio never exceeds it.
    const warn = Math.min(opts.number("warn", meta.options.warn.default), tolerance);
    if (!input.sources || input.sources.length < 2) return [];
    const overlaps = overlappingCloses(input.sources);
    const over: (BarCloses & { drift: number })[] = [];
    for (const b of overlaps) {
      let max = -Infinity;
      let min = Infinity;
      for (const c of b.closes) {
        max = Math.max(max, c.close);
        min = Math.min(min, c.close);
      }
      if (!(max > 0)) continue; // a drift ratio needs a positive reference price
      const drift = (max - min) / max;
      if (drift > warn) over.push({ ...b, drift });
    }
    if (over.length === 0) return [];
    over.sort((x, y) => y.drift - x.drift || x.timestamp - y.timestamp);
    const worst = over[0]!;
    const errorBars = over.filter((b) => b.drift > tolerance).length;
    const severity = errorBars > 0 ? "error" : opts.severity("warning");
    const pct = (x: number) => `${round(x * 100, 2)}%`;
    const closes = worst.closes.map((c) => `${c.vendor} ${c.close}`).join(" vs ");
    const limit = errorBars > 0 ? `hard tolerance ${pct(tolerance)}` : `warn tolerance ${pct(warn)}`;
    return [
      finding(
        input,
        "cross_source_drift",
        severity,
        `close drift ${pct(worst.drift)} at ${iso(worst.timestamp)} (${closes}) above the ${limit}; ${over.length} of ${overlaps.length} shared bars above ${pct(warn)}`,
        { maxDrift: round(worst.drift, 6), bars: over.length, errorBars, comparedBars: overlaps.length, warnTolerance: warn, tolerance },
        {
          bars: over
            .slice(0, MAX_EVIDENCE)
            .map((b) => ({ timestamp: iso(b.timestamp), drift: round(b.drift, 6), closes: Object.fromEntries(b.closes.map((c) => [c.vendor, c.close])) })),
        },
      ),
    ];
  },
} satisfies Check;
