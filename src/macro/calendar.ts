// `dqctl calendar --macro`: FRED's release calendar normalised to events, cached in the store with its fetch time
// and reused while fresh. Without an API key: one warning and no events (exit 0), as the seed's fetch_fred_calendar.
import type { RunContext } from "../context.ts";
import { iso } from "../model/finding.ts";
import { parseSymbol } from "../model/symbol.ts";
import { redactSecrets } from "../redact.ts";
import { isoDate } from "../vendors/daily.ts";
import { FRED } from "../vendors/fred.ts";
import { createHttpClient, type HttpClientOptions } from "../vendors/http.ts";
import { vendorSettings } from "../vendors/settings.ts";
import { toVendorTicker } from "../vendors/tickers.ts";
import { MACRO_DOC, type MacroDoc, macroDoc, readMacroDoc, releaseSchedules } from "./cache.ts";
import { type FredCalendarClient, fetchReleaseDates, fetchSeriesRelease } from "./fred.ts";

/** One scheduled release, normalised: the seed's calendar name, event name and currency, with the series it publishes. */
export interface MacroEvent {
  date: string;
  releaseId: number;
  name: string;
  calendar: "FRED";
  currency: "USD";
  /** The series of interest this release publishes (config `macro.series` and the FRED series in the store). */
  series: string[];
}

/** What `calendar --macro` answers. */
export interface MacroListing {
  source: "fred";
  from: string;
  to: string;
  /** When the calendar was fetched from FRED (null: nothing fetched, no key). */
  fetchedAt: string | null;
  /** True when the cached calendar was reused (fresh and covering the window). */
  cached: boolean;
  events: MacroEvent[];
  /** Series of interest and the release that publishes each. */
  series: { symbol: string; releaseId: number; name: string }[];
}

/** Options for tests and embedding: the HTTP client's knobs and the page size. */
export interface MacroOptions {
  env: Record<string, string | undefined>;
  /** More series of interest (an ingest's FRED symbols, before the catalog holds them). */
  series?: readonly string[];
  http?: Partial<HttpClientOptions>;
  pageSize?: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The window an ingest from FRED keeps cached: 400 days back (a quarterly series' last observation) to 35 ahead. */
const REFRESH_BACK_DAYS = 400;
const REFRESH_AHEAD_DAYS = 35;

/** The series of interest: config `macro.series`, the caller's, then every FRED series the store's catalog holds. */
async function seriesOfInterest(ctx: RunContext, extra: readonly string[] = []): Promise<string[]> {
  const out = new Set([...(ctx.config.macro?.series ?? []), ...extra].map((s) => parseSymbol(s).id));
  if (await ctx.store.exists()) for (const e of (await ctx.store.loadCatalog()).all()) if (e.symbol.startsWith("FRED:")) out.add(e.symbol);
  return [...out].sort();
}

/** The release calendar from `from` to `to` (YYYY-MM-DD, inclusive), from the cache when it is fresh and covers it. */
export async function macroCalendar(ctx: RunContext, from: string, to: string, opts: MacroOptions): Promise<MacroListing> {
  const interest = await seriesOfInterest(ctx, opts.series);
  const settings = vendorSettings(FRED, { config: ctx.config, env: opts.env });
  const apiKey = settings.apiKey;
  if (!apiKey) {
    ctx.log.warn("calendar --macro: no FRED API key (set FRED_API_KEY or vendors.fred.apiKey): no macro events");
    return { source: "fred", from, to, fetchedAt: null, cached: false, events: [], series: [] };
  }
  const cached = await readMacroDoc(ctx.store);
  const maxAgeMs = (ctx.config.macro?.maxAgeHours ?? 12) * HOUR_MS;
  const fresh = cached !== undefined && ctx.now.getTime() - Date.parse(cached.fetchedAt) <= maxAgeMs;
  const mapped = (doc: MacroDoc) => interest.every((s) => doc.series[s] || ctx.config.macro?.releases?.[s]);
  let doc: MacroDoc;
  let reused = false;
  if (cached && fresh && cached.from <= from && cached.to >= to && mapped(cached)) {
    doc = cached;
    reused = true;
  } else {
    const c: FredCalendarClient = {
      settings: { ...settings, apiKey },
      client: createHttpClient(settings, { log: ctx.log, ...opts.http }),
      ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
    };
    // The cache only grows: a refetch reads the window asked for and the one cached (its dates may have moved).
    const wFrom = cached && cached.from < from ? cached.from : from;
    const wTo = cached && cached.to > to ? cached.to : to;
    const dates = await fetchReleaseDates(c, wFrom, wTo);
    const series: MacroDoc["series"] = {};
    const names = new Map(dates.map((d) => [d.releaseId, d.name]));
    for (const s of interest) {
      const configured = ctx.config.macro?.releases?.[s];
      if (configured !== undefined) series[s] = { releaseId: configured, name: names.get(configured) ?? `release ${configured}` };
      else series[s] = cached?.series[s] ?? (await fetchSeriesRelease(c, toVendorTicker("fred", parseSymbol(s), ctx.config)));
    }
    doc = macroDoc({ fetchedAt: iso(ctx.now.getTime()), from: wFrom, to: wTo, dates, series });
    if (!(await ctx.store.exists())) await ctx.store.init();
    await ctx.store.writeDoc(MACRO_DOC, doc);
  }
  return listing(doc, from, to, reused, ctx);
}

/** The events of `doc` from `from` to `to`, by date then release id, each with the series it publishes. */
function listing(doc: MacroDoc, from: string, to: string, cached: boolean, ctx: RunContext): MacroListing {
  const schedules = releaseSchedules(doc, ctx.config);
  const publishes = new Map<number, string[]>();
  for (const [symbol, s] of Object.entries(schedules)) publishes.set(s.releaseId, [...(publishes.get(s.releaseId) ?? []), symbol].sort());
  const seen = new Set<string>();
  const events: MacroEvent[] = [];
  for (const d of doc.dates) {
    const key = `${d.date} ${d.releaseId}`;
    if (d.date < from || d.date > to || seen.has(key)) continue;
    seen.add(key);
    events.push({ date: d.date, releaseId: d.releaseId, name: d.name, calendar: "FRED", currency: "USD", series: publishes.get(d.releaseId) ?? [] });
  }
  events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.releaseId - b.releaseId));
  const series = Object.entries(schedules)
    .map(([symbol, s]) => ({ symbol, releaseId: s.releaseId, name: s.name }))
    .sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  return { source: "fred", from, to, fetchedAt: doc.fetchedAt, cached, events, series };
}

/**
 * Before an ingest from FRED: make sure the cached calendar covers the last 400 days to 35 ahead and is fresh, so
 * ingest and audit judge FRED series by their releases. Without a key it does nothing (the vendor refuses anyway);
 * a failure is one warning, and the series are judged by what is cached (else by sessions).
 */
export async function refreshReleaseCalendar(ctx: RunContext, opts: MacroOptions): Promise<void> {
  if (!vendorSettings(FRED, { config: ctx.config, env: opts.env }).apiKey) return;
  const now = ctx.now.getTime();
  try {
    await macroCalendar(ctx, isoDate(now - REFRESH_BACK_DAYS * DAY_MS), isoDate(now + REFRESH_AHEAD_DAYS * DAY_MS), opts);
  } catch (err) {
    const why = redactSecrets(err instanceof Error ? err.message : String(err));
    ctx.log.warn(`fred release calendar not refreshed (${why}): FRED series are judged by the cached calendar, else by sessions`);
  }
}
