// Which store a spec names: a PostgreSQL URL, or else a lakehouse folder; with a cache spec, read through that cache.
import { openCache } from "../cache/open.ts";
import type { Cache } from "../cache/types.ts";
import type { Logger } from "../context.ts";
import { Lakehouse } from "../lakehouse/store.ts";
import { withCache } from "./cached.ts";
import { PgStore } from "./postgres/store.ts";
import { isPostgresUrl } from "./postgres/url.ts";
import type { Store } from "./types.ts";

const opened = new Set<Store>();

/** The store `spec` names (the --store value): postgres://… is PostgreSQL, anything else a lakehouse folder. */
export function openStore(spec: string): Store {
  const store = isPostgresUrl(spec) ? new PgStore(spec) : new Lakehouse(spec);
  opened.add(store);
  return store;
}

/**
 * The store `spec` names, read through the cache `cacheSpec` names when there is one: the CLI's run store, and a
 * worker thread's reopening of it (so reads are cached whatever --jobs is). `label` names the cache setting in errors.
 */
export function openRunStore(spec: string, cacheSpec: string | undefined, log: Logger, label?: string): { raw: Store; store: Store; cache?: Cache } {
  const raw = openStore(spec);
  if (cacheSpec === undefined) return { raw, store: raw };
  const cache = openCache(cacheSpec, log, label);
  return { raw, store: withCache(raw, cache), cache };
}

/** Close every store this process opened (the CLI's last step: open connections would keep it alive). */
export async function closeStores(): Promise<void> {
  const all = [...opened];
  opened.clear();
  await Promise.allSettled(all.map((s) => s.close()));
}
