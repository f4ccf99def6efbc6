// Which store a spec names: a PostgreSQL URL, or else a lakehouse folder.
import { Lakehouse } from "../lakehouse/store.ts";
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

/** Close every store this process opened (the CLI's last step: open connections would keep it alive). */
export async function closeStores(): Promise<void> {
  const all = [...opened];
  opened.clear();
  await Promise.allSettled(all.map((s) => s.close()));
}
