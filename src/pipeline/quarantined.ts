// Assets held in quarantine as toxic: the registry marks them and quarantine/ keeps their files, so every command
// reports them as `toxic` (not `missing`, not absent) and names the files.
import { basename } from "node:path";
import { isUnknown } from "../calendar/resolve.ts";
import type { RunContext } from "../context.ts";
import type { Catalog } from "../lakehouse/catalog.ts";
import type { HealthRegistry } from "../lakehouse/health.ts";
import { INTERVAL_NAMES, type Interval } from "../model/interval.ts";
import { fileStem, parseSymbol, type SymbolId } from "../model/symbol.ts";
import { seriesCalendar, type Target } from "./targets.ts";

/** The quarantine files of `sym` at `interval` while the registry holds the asset as toxic (empty when it does not). */
export function heldFiles(health: HealthRegistry, sym: SymbolId, interval: Interval): string[] {
  const e = health.get(sym.id);
  if (!e?.is_toxic || !e.quarantined?.length) return [];
  // Quarantine files are named `<stem>.<stamp>.parquet`, the stem being the series' lakehouse name.
  const stem = `${fileStem(sym, interval)}.`;
  return e.quarantined.filter((f) => basename(f).startsWith(stem));
}

/** Series held in quarantine as toxic that have no catalog entry (of `interval`, when given): a plain audit lists them. */
export function heldTargets(ctx: RunContext, health: HealthRegistry, catalog: Catalog, interval?: Interval): Target[] {
  const out: Target[] = [];
  for (const id of health.symbols()) {
    if (!health.isToxic(id)) continue;
    let sym: SymbolId;
    try {
      sym = parseSymbol(id);
    } catch {
      continue; // a registry key that is not a symbol id names no file
    }
    for (const iv of interval ? [interval] : INTERVAL_NAMES) {
      if (catalog.get(id, iv) || !heldFiles(health, sym, iv).length) continue;
      const r = seriesCalendar(ctx, sym);
      if (isUnknown(r)) continue; // no calendar to judge it by (the catalog pass reports unknown_calendar)
      out.push({ sym, interval: iv, profile: r.profile, calendar: r.calendar });
    }
  }
  return out;
}
