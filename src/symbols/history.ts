// The symbol metadata catalog as slowly changing history (SCD type 2): one row per version of a symbol's metadata,
// valid over [validFrom, validTo). A change of a tracked field (a rename, a new sector, a delisting) closes the
// current row at the observation's time and opens a new one; an observation equal to the current row writes
// nothing. Market capitalisation moves every day, so it is recorded with each version but never opens one.
// Pure functions: the pipeline reads the history through the Store, applies a scan, and stages the result.

/** The text fields of a symbol's metadata: screener columns of the same name, null when the screener is silent. */
export const TEXT_FIELDS = ["name", "description", "type", "subtype", "exchange", "currency", "country", "sector", "industry"] as const;

/** The screener columns the catalog records (TradingView field names). */
export const METADATA_COLUMNS = [...TEXT_FIELDS, "market_cap_basic"] as const;

/** Whether the screener still lists the symbol. */
export type Listing = "listed" | "delisted";

/** What the catalog knows about a symbol at one time (null: the screener did not say). */
export interface SymbolMeta {
  name: string | null;
  description: string | null;
  type: string | null;
  subtype: string | null;
  exchange: string | null;
  currency: string | null;
  country: string | null;
  sector: string | null;
  industry: string | null;
  /** Recorded when the version opened; not tracked (see above). */
  marketCap: number | null;
  status: Listing;
}

/** One version of a symbol's metadata. Times are UTC epoch ms; validTo null while current. */
export interface SymbolVersion extends SymbolMeta {
  symbol: string;
  validFrom: number;
  validTo: number | null;
  isCurrent: boolean;
}

/** One symbol as one scan saw it. */
export interface Observation {
  symbol: string;
  meta: SymbolMeta;
}

/** The fields whose change opens a new version. */
export const TRACKED = [...TEXT_FIELDS, "status"] as const;

const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** The metadata in a screener row's values (columns it lacks are null). */
export function metaOf(values: Readonly<Record<string, unknown>>, status: Listing = "listed"): SymbolMeta {
  const cap = values.market_cap_basic;
  return {
    name: text(values.name),
    description: text(values.description),
    type: text(values.type),
    subtype: text(values.subtype),
    exchange: text(values.exchange),
    currency: text(values.currency),
    country: text(values.country),
    sector: text(values.sector),
    industry: text(values.industry),
    marketCap: typeof cap === "number" && Number.isFinite(cap) ? cap : null,
    status,
  };
}

/** A delisting: the last known metadata with status delisted. */
export function delisted(current: SymbolMeta): SymbolMeta {
  return { ...current, status: "delisted" };
}

/** True when no tracked field differs. */
export function sameMeta(a: SymbolMeta, b: SymbolMeta): boolean {
  return TRACKED.every((k) => a[k] === b[k]);
}

/** What applying observations did. */
export interface Applied {
  history: SymbolVersion[];
  /** Symbols that got a new version (first seen, or changed). */
  opened: string[];
  /** Symbols whose current version was closed. */
  closed: string[];
}

/**
 * Apply one scan's observations at `atMs`. A symbol seen for the first time opens its first version; a changed
 * one closes its current version at `atMs` and opens the next; an unchanged one, or an observation not newer
 * than the current version (a replayed older scan), changes nothing. A first sighting that is a delisting is
 * not recorded: the catalog never knew the symbol listed.
 */
export function applyObservations(history: readonly SymbolVersion[], observations: readonly Observation[], atMs: number): Applied {
  const out = history.map((r) => ({ ...r }));
  const current = new Map<string, SymbolVersion>();
  for (const r of out) if (r.isCurrent) current.set(r.symbol, r);
  const opened: string[] = [];
  const closed: string[] = [];
  for (const o of observations) {
    const cur = current.get(o.symbol);
    if (cur && (sameMeta(cur, o.meta) || atMs <= cur.validFrom)) continue;
    if (!cur && o.meta.status === "delisted") continue;
    if (cur) {
      cur.validTo = atMs;
      cur.isCurrent = false;
      closed.push(o.symbol);
    }
    const next: SymbolVersion = { symbol: o.symbol, ...o.meta, validFrom: atMs, validTo: null, isCurrent: true };
    out.push(next);
    current.set(o.symbol, next);
    opened.push(o.symbol);
  }
  return { history: sortHistory(out), opened, closed };
}

/** History in its stored order: by symbol, then validFrom. */
export function sortHistory(rows: SymbolVersion[]): SymbolVersion[] {
  return rows.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.validFrom - b.validFrom));
}

/** The version of each symbol valid at `atMs` (one per symbol that existed then), optionally only `symbols`. */
export function asOf(history: readonly SymbolVersion[], atMs: number, symbols?: readonly string[]): SymbolVersion[] {
  const want = symbols ? new Set(symbols) : undefined;
  return history.filter((r) => (!want || want.has(r.symbol)) && r.validFrom <= atMs && (r.validTo === null || atMs < r.validTo));
}
