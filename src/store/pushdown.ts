// The audit's use of a store's pushdown (src/checks/pushdown.ts): one request for every series it will decode, with
// the options each series' checks run with; the evidence applies only to the bars audit read, so it is used only
// when computed at the version that read returned.
import { priceStallMinRun } from "../checks/price_stall.ts";
import { type PushdownRequest, type PushedEvidence, pushdownKey } from "../checks/pushdown.ts";
import { toxicRatio } from "../checks/toxic_return.ts";
import type { CheckOptions, OptionScope } from "../checks/types.ts";
import type { Interval } from "../model/interval.ts";
import type { Store } from "./types.ts";

/** What the store is asked for one series: its key and the option values its evidence depends on. */
export function pushdownRequest(scope: OptionScope & { symbol: string }, options: Map<string, CheckOptions>): PushdownRequest {
  const opts = (code: string) => options.get(code)?.scope(scope);
  const toxic = opts("toxic_return");
  const stall = opts("price_stall");
  return {
    symbol: scope.symbol,
    interval: scope.interval,
    maxRatio: toxic ? toxicRatio(toxic) : 6,
    minRun: stall ? priceStallMinRun(stall, scope.interval) : 3,
  };
}

/** The store's evidence for `series` in one call (an empty map when it pushes nothing down). */
export async function pushAll(store: Store, series: readonly PushdownRequest[]): Promise<Map<string, PushedEvidence>> {
  return series.length && store.pushdown ? store.pushdown(series) : new Map();
}

/** `{ pushed }` for a CheckInput when `evidence` was computed at `version`; `{}` otherwise. */
export function pushedAt(evidence: PushedEvidence | undefined, version: string): { pushed?: PushedEvidence } {
  return evidence?.version === version ? { pushed: evidence } : {};
}

/** The evidence of one series in a pushdown answer. */
export function evidenceOf(answer: Map<string, PushedEvidence>, symbol: string, interval: Interval): PushedEvidence | undefined {
  return answer.get(pushdownKey(symbol, interval));
}
