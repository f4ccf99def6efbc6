import type { RunContext } from "../context.ts";
import type { CatalogEntry } from "../lakehouse/catalog.ts";
import type { Catalog } from "../lakehouse/catalog.ts";
import { type Interval, parseInterval } from "../model/interval.ts";
import type { Profile } from "../model/profile.ts";
import { parseSymbol, resolveProfile, type SymbolId } from "../model/symbol.ts";

/** One series a command works on. */
export interface Target {
  sym: SymbolId;
  interval: Interval;
  profile: Profile;
  entry?: CatalogEntry;
}

/** Resolve the series to work on: the given symbols × interval, else every catalog entry (optionally of one interval). */
export function resolveTargets(ctx: RunContext, catalog: Catalog, symbols: SymbolId[] | undefined, interval: Interval | undefined): Target[] {
  if (symbols?.length) {
    const iv = interval ?? "1d";
    return symbols.map((sym) => {
      const entry = catalog.get(sym.id, iv);
      return { sym, interval: iv, profile: profileOf(ctx, sym, entry), ...(entry ? { entry } : {}) };
    });
  }
  return catalog
    .all()
    .filter((e) => !interval || e.interval === interval)
    .map((entry) => {
      const sym = parseSymbol(entry.symbol);
      return { sym, interval: parseInterval(entry.interval), profile: profileOf(ctx, sym, entry), entry };
    });
}

/** The profile of a series: a configured override, else what the catalog recorded, else the exchange's. */
export function profileOf(ctx: RunContext, sym: SymbolId, entry?: CatalogEntry): Profile {
  if (ctx.config.instruments?.[sym.id]?.profile) return resolveProfile(sym, ctx.config.instruments);
  if (entry) return entry.profile as Profile;
  return resolveProfile(sym, ctx.config.instruments);
}
