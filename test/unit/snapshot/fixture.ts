// Small lakehouses for the snapshot tests: seeded random-walk bars written atomically plus catalog entries.
import { type RunContext, silentLogger, silentProgress } from "../../../src/context.ts";
import { writeFileAtomic } from "../../../src/lakehouse/atomic.ts";
import { initParquet } from "../../../src/lakehouse/parquet.ts";
import { Lakehouse, seriesRange, sha256 } from "../../../src/lakehouse/store.ts";
import { allocBars, type Bars, takeRows } from "../../../src/model/bars.ts";
import { parseSymbol, resolveProfile } from "../../../src/model/symbol.ts";
import { setBar } from "../../helpers/bars-data.ts";

export const DAY = 86_400_000;

/** Daily timestamps (00:00 UTC) from `from` to `to` inclusive; `weekdays` drops Saturdays and Sundays. */
export function days(from: string, to: string, weekdays = false): number[] {
  const out: number[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY) {
    const dow = new Date(t).getUTCDay();
    if (!weekdays || (dow !== 0 && dow !== 6)) out.push(t);
  }
  return out;
}

/** Bars at `timestamps` with a seeded random walk of closes (steps within ±0.8 %: no check fires on them). */
export function walkBars(timestamps: readonly number[], seed = 1, start = 100): Bars {
  const b = allocBars(timestamps.length);
  let s = seed >>> 0 || 1;
  let c = start;
  timestamps.forEach((t, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    c *= 1 + ((s / 2 ** 32) * 2 - 1) * 0.008;
    setBar(b, i, t, c);
  });
  return b;
}

/** Write series into a lakehouse at `root` with catalog entries, as ingest would. */
export async function buildLakehouse(root: string, series: Record<string, Bars>, interval = "1d" as const): Promise<Lakehouse> {
  const lh = new Lakehouse(root);
  const catalog = lh.catalog();
  for (const [id, bars] of Object.entries(series)) {
    const sym = parseSymbol(id);
    await initParquet();
    lh.ensure();
    const bytes = lh.encode(bars);
    writeFileAtomic(lh.pathFor(sym, interval), bytes);
    const w = { rows: bars.timestamp.length, sha256: sha256(bytes) };
    catalog.set({
      symbol: sym.id,
      interval,
      profile: resolveProfile(sym),
      path: lh.fileName(sym, interval),
      rows: w.rows,
      ...seriesRange(bars),
      genesis: null,
      sha256: w.sha256,
      source: "file",
      ingestedAt: "2024-03-29T00:00:00.000Z",
      qualityScore: null,
    });
  }
  catalog.save();
  return lh;
}

/** A RunContext for in-process runs: silent, no lock wait, pinned now. */
export function contextFor(lakehouse: string, now: string): RunContext {
  return { config: {}, store: new Lakehouse(lakehouse), now: new Date(now), log: silentLogger, progress: silentProgress, waitLockMs: 0, runId: "test-run" };
}

/** The standard pair: BTC every day, AAPL on weekdays, 2024-03-04 (Mon) .. 2024-03-28 (Thu, the day before Good Friday). */
export function pair(): Record<string, Bars> {
  return {
    "BINANCE:BTCUSDT": walkBars(days("2024-03-04", "2024-03-28"), 7, 60_000),
    "NASDAQ:AAPL": walkBars(days("2024-03-04", "2024-03-28", true), 11, 170),
  };
}

/** "Now" at which the pair is fresh. */
export const PAIR_NOW = "2024-03-29T12:00:00Z";

/** The series without the bars at `drop` (timestamps). */
export function without(b: Bars, drop: readonly number[]): Bars {
  const keep: number[] = [];
  for (let i = 0; i < b.timestamp.length; i++) if (!drop.includes(b.timestamp[i]!)) keep.push(i);
  return takeRows(b, keep);
}
