// A read-through cache in front of any Store (the decorator `--cache` puts around ctx.store). Series reads with a
// catalog entry are served from the cache only at the version the store has now: the cached value carries the
// version it was read at, and the store is asked (readUnlessKnown: hashed, not decoded) whether that is still its
// version. New bars change the version, so the old value is replaced (counted as an eviction), never served.
// The catalog likewise, keyed by the store's catalog stamp (Store.catalogStamp: what any commit changes), read just
// before it: a commit by any process moves the stamp, so a cached catalog is served only while it is the store's.
// Everything else — writers, registry, run records, metrics — goes straight to the store.
import { createHash } from "node:crypto";
import { decodeSeries, encodedVersion, encodeSeries } from "../cache/series-codec.ts";
import type { Cache } from "../cache/types.ts";
import { Catalog, type CatalogEntry } from "../lakehouse/catalog.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { GoldenRead, SeenVersion, Store, UnchangedRead } from "./types.ts";

/** How long a cached series lives without being read again (it is re-validated on every use anyway). */
const SERIES_TTL_MS = 7 * 86_400_000;
/** Larger series are not cached (a value of this size is a slow round trip and a burden on a shared Redis). */
const MAX_VALUE_BYTES = 64 * 1024 * 1024;

/** `inner` with its series reads cached in `cache`. */
export function withCache(inner: Store, cache: Cache): Store {
  const ns = createHash("sha256").update(inner.location).digest("hex").slice(0, 16);
  const key = (sym: SymbolId, interval: Interval) => `series:${ns}:${inner.seriesName(sym, interval)}`;

  async function readUnlessKnown(
    sym: SymbolId,
    interval: Interval,
    entry: CatalogEntry | undefined,
    known: (version: string) => boolean,
    seen?: SeenVersion,
  ): Promise<GoldenRead | UnchangedRead> {
    // No entry: no version to key by. A version the caller knows: it will not be decoded anyway.
    if (!entry || known(entry.sha256)) return inner.readUnlessKnown(sym, interval, entry, known, seen);
    const k = key(sym, interval);
    const bytes = await cache.get(k);
    const cached = bytes && encodedVersion(bytes);
    if (bytes && cached === entry.sha256) {
      const now = await inner.readUnlessKnown(sym, interval, entry, (v) => known(v) || v === cached, seen);
      if (now.kind !== "unchanged" || known(now.sha256)) return now;
      const stored = decodeSeries(bytes);
      if (stored) {
        cache.stats.hits++;
        return { kind: "ok", stored: { ...stored, path: now.path, ...(now.stamp !== undefined ? { stamp: now.stamp } : {}) } };
      }
    }
    cache.stats.misses++;
    if (cached !== undefined && cached !== entry.sha256) cache.stats.evictions++;
    const r = await inner.readUnlessKnown(sym, interval, entry, known, seen);
    if (r.kind === "ok" && r.stored.sha256 === entry.sha256) {
      const value = encodeSeries(r.stored);
      if (value.length <= MAX_VALUE_BYTES) await cache.set(k, value, SERIES_TTL_MS);
    }
    return r;
  }

  const catalogKey = `catalog:${ns}`;
  async function loadCatalog(): Promise<Catalog> {
    if (!inner.catalogStamp) return inner.loadCatalog();
    const stamp = await inner.catalogStamp();
    const bytes = await cache.get(catalogKey);
    const cached = bytes && decodeCatalog(bytes);
    if (cached && cached.stamp === stamp) {
      cache.stats.hits++;
      return cached.catalog;
    }
    cache.stats.misses++;
    if (cached) cache.stats.evictions++;
    const catalog = await inner.loadCatalog();
    // Kept only when no commit landed while it was read (the stamp is the same after as before).
    if ((await inner.catalogStamp()) === stamp) {
      const value = encodeCatalog(stamp, catalog);
      if (value.length <= MAX_VALUE_BYTES) await cache.set(catalogKey, value, SERIES_TTL_MS);
    }
    return catalog;
  }

  const store: Store = {
    spec: inner.spec,
    location: inner.location,
    seriesName: (sym, interval) => inner.seriesName(sym, interval),
    init: () => inner.init(),
    status: () => inner.status(),
    exists: () => inner.exists(),
    assertExists: () => inner.assertExists(),
    assertWritable: (command, flag) => inner.assertWritable(command, flag),
    loadCatalog,
    loadHealth: () => inner.loadHealth(),
    read: async (sym, interval, entry) => (await readUnlessKnown(sym, interval, entry, () => false)) as GoldenRead,
    readUnlessKnown,
    readParquet: (sym, interval) => inner.readParquet(sym, interval),
    commitPending: () => inner.commitPending(),
    openWriter: (req) => inner.openWriter(req),
    readQuarantine: (onBad) => inner.readQuarantine(onBad),
    appendRun: (record) => inner.appendRun(record),
    assertRunsAppendable: () => inner.assertRunsAppendable(),
    readRuns: (onBad) => inner.readRuns(onBad),
    appendMetrics: (rows) => inner.appendMetrics(rows),
    readMetrics: (filter) => inner.readMetrics(filter),
    readSymbols: () => inner.readSymbols(),
    readFeatures: (set, filter) => inner.readFeatures(set, filter),
    readDoc: (name) => inner.readDoc(name),
    writeDoc: (name, doc) => inner.writeDoc(name, doc),
    openOutbox: (maxBytes) => inner.openOutbox(maxBytes),
    close: () => inner.close(),
  };
  // Optional capabilities stay optional: a caller that asks whether the store has them gets the inner answer.
  if (inner.pushdown) store.pushdown = (sym, interval) => inner.pushdown!(sym, interval);
  if (inner.warmUp) store.warmUp = () => inner.warmUp!();
  if (inner.catalogStamp) store.catalogStamp = () => inner.catalogStamp!();
  if (inner.openStager) store.openStager = (symbol, entry, health) => inner.openStager!(symbol, entry, health);
  return store;
}

const CATALOG_FORMAT = "dqctl.cached-catalog/v1";

function encodeCatalog(stamp: string, catalog: Catalog): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: CATALOG_FORMAT, stamp, path: catalog.path, entries: catalog.all() }));
}

/** A cached catalog and the stamp it was read at; undefined for a value that is not one (a miss). */
function decodeCatalog(bytes: Uint8Array): { stamp: string; catalog: Catalog } | undefined {
  try {
    const doc = JSON.parse(new TextDecoder().decode(bytes)) as { format?: unknown; stamp?: unknown; path?: unknown; entries?: unknown };
    if (doc.format !== CATALOG_FORMAT || typeof doc.stamp !== "string" || typeof doc.path !== "string" || !Array.isArray(doc.entries)) return undefined;
    const catalog = new Catalog(doc.path);
    for (const e of doc.entries as CatalogEntry[]) catalog.set(e);
    return { stamp: doc.stamp, catalog };
  } catch {
    return undefined;
  }
}
