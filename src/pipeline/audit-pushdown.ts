// The audit's use of a store's pushdown (src/checks/pushdown.ts): one call for every series it will decode, with the
// options each series' checks run with and, for gap and coverage, the series' window and the calendar's expected
// opens in it (generated here, one list per calendar and interval). The evidence applies only to the bars audit
// read, so it is used only when computed at the version that read returned.
import { calendarFor } from "../calendar/index.ts";
import { priceStallMinRun } from "../checks/price_stall.ts";
import { type PushdownRequest, type PushedEvidence, pushdownKey } from "../checks/pushdown.ts";
import { toxicRatio } from "../checks/toxic_return.ts";
import type { CheckOptions, OptionScope } from "../checks/types.ts";
import type { RunContext } from "../context.ts";
import type { Interval } from "../model/interval.ts";
import type { Target } from "./targets.ts";

/** What the store is asked for one series: its key and the option values its evidence depends on. */
function pushdownRequest(scope: OptionScope & { symbol: string }, options: Map<string, CheckOptions>): PushdownRequest {
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

/** Who a target is to option resolution (as checkInput makes its CheckInput). */
function optionScope(ctx: RunContext, t: Target): OptionScope & { symbol: string } {
  const assetClass = ctx.config.instruments?.[t.sym.id]?.assetClass;
  return { interval: t.interval, profile: t.profile, symbol: t.sym.id, ...(assetClass ? { assetClass } : {}) };
}

/**
 * The window gap and coverage judge a series over, as its catalog entry tells it (seriesWindow: the first bar, or the
 * genesis when earlier, to the last bar); the check uses the evidence only when the bars read give the same window.
 */
function entryWindow(t: Target): { fromMs: number; toMs: number } | undefined {
  const first = t.entry?.start ? Date.parse(t.entry.start) : Number.NaN;
  const toMs = t.entry?.end ? Date.parse(t.entry.end) : Number.NaN;
  if (!Number.isFinite(first) || !Number.isFinite(toMs)) return undefined;
  const genesis = t.entry?.genesis ? Date.parse(t.entry.genesis) : Number.NaN;
  return { fromMs: Number.isFinite(genesis) && genesis < first ? genesis : first, toMs };
}

/** One series to ask about: who it is (option scope), its calendar, and the window gap and coverage judge it over. */
export interface SeriesAsk {
  scope: OptionScope & { symbol: string };
  calendar: string;
  window?: { fromMs: number; toMs: number } | undefined;
}

/** The arguments of Store.pushdown for `asks`: one list of expected opens per calendar and interval, over its windows. */
export function pushdownCall(
  asks: readonly SeriesAsk[],
  options: Map<string, CheckOptions>,
  reference?: RunContext["reference"],
): { series: PushdownRequest[]; sessions: Float64Array[] } {
  const groups = new Map<string, { calendar: string; interval: Interval; fromMs: number; toMs: number; index: number }>();
  const series = asks.map((a) => {
    const req = pushdownRequest(a.scope, options);
    const w = a.window;
    if (!w) return req;
    const key = `${a.calendar} ${a.scope.interval}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { calendar: a.calendar, interval: a.scope.interval, ...w, index: groups.size }));
    g.fromMs = Math.min(g.fromMs, w.fromMs);
    g.toMs = Math.max(g.toMs, w.toMs);
    return { ...req, window: { ...w, sessions: g.index } };
  });
  const sessions = [...groups.values()].map((g) => calendarFor(g.calendar, reference).expected(g.interval, g.fromMs, g.toMs));
  return { series, sessions };
}

/** The store's evidence for `targets` in one call (an empty map when it pushes nothing down). */
export async function pushAll(ctx: RunContext, targets: readonly Target[], options: Map<string, CheckOptions>): Promise<Map<string, PushedEvidence>> {
  if (!targets.length || !ctx.store.pushdown) return new Map();
  const asks = targets.map((t) => ({ scope: optionScope(ctx, t), calendar: t.calendar, window: entryWindow(t) }));
  const { series, sessions } = pushdownCall(asks, options, ctx.reference);
  return ctx.store.pushdown(series, sessions);
}

/** `{ pushed }` for a CheckInput when `evidence` was computed at `version`; `{}` otherwise. */
export function pushedAt(evidence: PushedEvidence | undefined, version: string): { pushed?: PushedEvidence } {
  return evidence?.version === version ? { pushed: evidence } : {};
}

/** The evidence of one series in a pushdown answer. */
export function evidenceOf(answer: Map<string, PushedEvidence>, symbol: string, interval: Interval): PushedEvidence | undefined {
  return answer.get(pushdownKey(symbol, interval));
}
