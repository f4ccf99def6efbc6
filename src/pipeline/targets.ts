import { isUnknown, resolveCalendar } from "../calendar/resolve.ts";
import type { RunContext } from "../context.ts";
import { ConfigError } from "../errors.ts";
import type { Catalog, CatalogEntry } from "../lakehouse/catalog.ts";
import type { Finding } from "../model/finding.ts";
import { type Interval, parseInterval } from "../model/interval.ts";
import type { Profile } from "../model/profile.ts";
import { parseSymbol, type SymbolId } from "../model/symbol.ts";

/** One series a command works on. */
export interface Target {
  sym: SymbolId;
  interval: Interval;
  profile: Profile;
  /** The calendar it follows (XNYS, XTKS, CMES_EQUITY…; see src/calendar/resolve.ts). */
  calendar: string;
  entry?: CatalogEntry;
}

/** The series a target names, as every summary row about it begins. */
export function targetRow(t: Target): { symbol: string; interval: Interval; profile: Profile } {
  return { symbol: t.sym.id, interval: t.interval, profile: t.profile };
}

/**
 * Resolve the series to work on: the given symbols × interval, else every catalog entry (optionally of one interval).
 * A series whose exchange has no calendar is an `unknown_calendar` finding pushed to `unknown` (the others go on);
 * without that list it is a ConfigError.
 */
export function resolveTargets(
  ctx: RunContext,
  catalog: Catalog,
  symbols: SymbolId[] | undefined,
  interval: Interval | undefined,
  unknown?: Finding[],
): Target[] {
  const pairs: [SymbolId, Interval, CatalogEntry | undefined][] = symbols?.length
    ? symbols.map((sym) => [sym, interval ?? "1d", catalog.get(sym.id, interval ?? "1d")])
    : catalog
        .all()
        .filter((e) => !interval || e.interval === interval)
        .map((entry) => [parseSymbol(entry.symbol), parseInterval(entry.interval), entry]);
  const out: Target[] = [];
  for (const [sym, iv, entry] of pairs) {
    const r = seriesCalendar(ctx, sym, entry);
    if (isUnknown(r)) {
      if (!unknown) throw new ConfigError(r.message, r.advice);
      unknown.push({
        code: "unknown_calendar",
        severity: "error",
        symbol: sym.id,
        interval: iv,
        message: `${r.message}; not processed`,
        details: { exchange: sym.exchange, advice: r.advice },
      });
      continue;
    }
    out.push({ sym, interval: iv, profile: r.profile, calendar: r.calendar, ...(entry ? { entry } : {}) });
  }
  return out;
}

/** The calendar of a series: configured, else the exchange's, else the profile the catalog recorded. */
export function seriesCalendar(ctx: RunContext, sym: SymbolId, entry?: CatalogEntry) {
  return resolveCalendar(sym, ctx.config.instruments, entry?.profile);
}

/** The profile of a series: a configured override, else what the catalog recorded, else the exchange's. */
export function profileOf(ctx: RunContext, sym: SymbolId, entry?: CatalogEntry): Profile {
  if (ctx.config.instruments?.[sym.id]?.profile) return ctx.config.instruments[sym.id]!.profile!;
  if (entry) return entry.profile as Profile;
  const r = seriesCalendar(ctx, sym);
  if (isUnknown(r)) throw new ConfigError(r.message, r.advice);
  return r.profile;
}
