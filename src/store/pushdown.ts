// The one call audit makes into a store's pushdown (src/checks/pushdown.ts): the evidence applies only to the bars
// audit read, so it is used only when computed at the version that read returned.
import type { PushedEvidence } from "../checks/pushdown.ts";
import type { Interval } from "../model/interval.ts";
import type { SymbolId } from "../model/symbol.ts";
import type { Store } from "./types.ts";

/** `{ pushed }` for a CheckInput when the store pushes checks down and answered at `version`; `{}` otherwise. */
export async function pushedFor(store: Store, sym: SymbolId, interval: Interval, version: string): Promise<{ pushed?: PushedEvidence }> {
  const p = await store.pushdown?.(sym, interval);
  return p?.version === version ? { pushed: p } : {};
}
