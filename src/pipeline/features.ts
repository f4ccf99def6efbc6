// `dqctl features ingest`: the screener's technical columns for each symbol on its session date, into the feature
// store (one partition per date), validated by the feature checks and the `stale` check against each symbol's
// calendar. The screener's metadata columns come back in the same rows and go to the symbol catalog; a symbol the
// screener no longer returns is recorded as delisted. Everything a run stages lands in one journaled commit.

import { DAY_MS, dateKey, parseDateKey } from "../calendar/dates.ts";
import { calendarFor } from "../calendar/index.ts";
import { isUnknown } from "../calendar/resolve.ts";
import { isMarketCalendar } from "../calendar/sessions.ts";
import type { Calendar } from "../calendar/types.ts";
import { featureMissing, featureOutOfRange } from "../checks/features.ts";
import { stale } from "../checks/stale.ts";
import { checkOptions } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import { ConfigError } from "../errors.ts";
import { DEFAULT_FEATURE_COLUMNS, type FeatureRow, mergeFeatureRows, sameFeatures, TV_TECHNICALS_1D } from "../features/rows.ts";
import { allocBars } from "../model/bars.ts";
import type { Finding } from "../model/finding.ts";
import type { Profile } from "../model/profile.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { StepResult } from "../report/summary.ts";
import { REFERENCE_CLAIM } from "../store/types.ts";
import { applyObservations, delisted, METADATA_COLUMNS, metaOf, type Observation } from "../symbols/history.ts";
import type { ScreenRow } from "../vendors/tradingview/screener.ts";
import { openWriteSession } from "./commit.ts";
import { seriesCalendar } from "./targets.ts";

/** Fetches screener rows for exact tickers (injected: the TradingView screener, or a test's). */
export type TickerScreener = (tickers: string[], columns: string[]) => Promise<ScreenRow[]>;

export interface FeatureIngestOptions {
  symbols: SymbolId[];
  /** The technical columns (default: config features.columns, else DEFAULT_FEATURE_COLUMNS). */
  columns?: string[];
  screener: TickerScreener;
}

/** How many days of a symbol's feature history the freshness check reads. */
const FRESHNESS_WINDOW_DAYS = 14;

/** The session a screener's daily technicals describe at `nowMs`: the last session that has opened (crypto: the UTC day). */
function sessionDateOf(cal: Calendar, nowMs: number): string {
  if (isMarketCalendar(cal)) {
    const open = cal.sessionsBetween(nowMs - FRESHNESS_WINDOW_DAYS * DAY_MS, nowMs).filter((s) => s.openMs <= nowMs);
    const last = open[open.length - 1];
    if (last) return dateKey(last.label);
  }
  return dateKey(Math.floor(nowMs / DAY_MS) * DAY_MS);
}

const numberOf = (v: unknown): number | null => (v === null || v === undefined ? null : typeof v === "number" ? v : Number.NaN);

/** Ingest the feature set; see the file comment. */
export async function runFeatureIngest(ctx: RunContext, opts: FeatureIngestOptions): Promise<StepResult> {
  const columns = [...new Set(opts.columns?.length ? opts.columns : (ctx.config.features?.columns ?? DEFAULT_FEATURE_COLUMNS))];
  const clash = columns.find((c) => (METADATA_COLUMNS as readonly string[]).includes(c) || c === "symbol" || c === "date" || c === "fetched_at");
  if (clash) {
    const where = opts.columns?.length ? "--columns" : "config features.columns";
    throw new ConfigError(`${where}: "${clash}" is metadata, not a feature column`, "list technical columns only (RSI, MACD.macd, SMA50, …)");
  }
  const now = ctx.now.getTime();
  const targets = opts.symbols.map((sym) => {
    const r = seriesCalendar(ctx, sym);
    if (isUnknown(r)) throw new ConfigError(r.message, r.advice);
    const cal = calendarFor(r.calendar, ctx.reference);
    return { sym, profile: r.profile as Profile, cal, date: sessionDateOf(cal, now) };
  });
  const rows = await opts.screener(
    targets.map((t) => t.sym.id),
    [...columns, ...METADATA_COLUMNS],
  );
  const byId = new Map(rows.map((r) => [r.symbol, r]));
  const fetched: FeatureRow[] = [];
  const absent: { symbol: string; date: string }[] = [];
  const observations: Observation[] = [];
  for (const t of targets) {
    const r = byId.get(t.sym.id);
    if (!r) {
      absent.push({ symbol: t.sym.id, date: t.date });
      continue;
    }
    fetched.push({ symbol: t.sym.id, date: t.date, fetchedAt: now, values: Object.fromEntries(columns.map((c) => [c, numberOf(r.values[c])])) });
    observations.push({ symbol: t.sym.id, meta: metaOf(r.values) });
  }

  const s = await openWriteSession(ctx, "features ingest", new Map());
  let written = 0;
  let unchanged = 0;
  let delistings = 0;
  let versions = 0;
  try {
    await s.writer.claim(REFERENCE_CLAIM);
    const history = await ctx.store.readSymbols();
    // A symbol the screener knew and now returns nothing for has been delisted.
    const current = new Map(history.filter((v) => v.isCurrent && v.status === "listed").map((v) => [v.symbol, v]));
    for (const a of absent) {
      const cur = current.get(a.symbol);
      if (cur) {
        observations.push({ symbol: a.symbol, meta: delisted(cur) });
        delistings++;
      }
    }
    const applied = applyObservations(history, observations, now);
    if (applied.opened.length) s.writer.stageSymbols(applied.history);
    versions = applied.opened.length;
    for (const date of [...new Set(fetched.map((r) => r.date))].sort()) {
      const incoming = fetched.filter((r) => r.date === date);
      const stored = await ctx.store.readFeatures(TV_TECHNICALS_1D, { from: date, to: date });
      const same = incoming.filter((r) => {
        const old = stored.find((o) => o.symbol === r.symbol);
        return old !== undefined && sameFeatures(old, r);
      });
      unchanged += same.length;
      const changed = incoming.filter((r) => !same.includes(r));
      if (!changed.length) continue; // idempotent: the same values for the same (symbol, date) write nothing
      s.writer.stageFeatures(TV_TECHNICALS_1D, date, mergeFeatureRows(stored, changed));
      written += changed.length;
    }
    await s.writer.commit();
  } finally {
    await s.writer.release();
  }

  const findings: Finding[] = [
    ...featureOutOfRange(fetched, checkOptions(ctx.config, "feature_out_of_range")),
    ...featureMissing(fetched, columns, absent, checkOptions(ctx.config, "feature_missing")),
    ...(await freshness(ctx, targets)),
  ];
  return {
    counts: { symbols: targets.length, rows: fetched.length, written, unchanged, absent: absent.length, delisted: delistings, symbolVersionsOpened: versions },
    symbols: [],
    findings,
    extra: { features: { set: TV_TECHNICALS_1D, columns, dates: [...new Set(fetched.map((r) => r.date))].sort() } },
    lineage: {
      inputs: [{ name: "tradingview-scanner", kind: "vendor" }],
      outputs: [{ name: `features/${TV_TECHNICALS_1D}`, kind: "feature_set", rows: written }],
    },
  };
}

/** The `stale` check over each symbol's stored feature dates (as daily bars: session dates at 00:00 UTC). */
async function freshness(ctx: RunContext, targets: { sym: SymbolId; profile: Profile; cal: Calendar }[]): Promise<Finding[]> {
  const now = ctx.now.getTime();
  const from = dateKey(Math.floor(now / DAY_MS) * DAY_MS - FRESHNESS_WINDOW_DAYS * DAY_MS);
  const stored = await ctx.store.readFeatures(TV_TECHNICALS_1D, { from, symbols: targets.map((t) => t.sym.id) });
  const opts = checkOptions(ctx.config, "stale");
  const out: Finding[] = [];
  for (const t of targets) {
    const dates = [...new Set(stored.filter((r) => r.symbol === t.sym.id).map((r) => parseDateKey(r.date)))].sort((a, b) => a - b);
    const bars = allocBars(dates.length);
    bars.timestamp.set(dates);
    const input = { symbol: t.sym.id, interval: "1d" as const, profile: t.profile, raw: bars, bars, calendar: t.cal, nowMs: now };
    for (const f of stale.run(input, opts)) out.push({ ...f, message: `features ${TV_TECHNICALS_1D}: ${f.message}` });
  }
  return out;
}
