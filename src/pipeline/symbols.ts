// The symbol metadata catalog's two halves: record what a screener saw (under the store's write lock, through the
// same journaled commit as the bars) and answer "what did we know about X on that date".
import type { RunContext } from "../context.ts";
import { parseSymbol } from "../model/symbol.ts";
import type { StepResult } from "../report/summary.ts";
import { REFERENCE_CLAIM } from "../store/types.ts";
import { type Applied, applyObservations, asOf, type Observation, type SymbolVersion } from "../symbols/history.ts";
import { openWriteSession } from "./commit.ts";

/** What recording one scan did to the history. */
export interface Recorded {
  opened: number;
  closed: number;
  unchanged: number;
}

/** Apply observations at the run's now; nothing is written (not even the lock's commit) when nothing changed. */
export async function recordObservations(ctx: RunContext, command: string, observations: readonly Observation[]): Promise<Recorded> {
  if (!observations.length) return { opened: 0, closed: 0, unchanged: 0 };
  const s = await openWriteSession(ctx, command, new Map());
  try {
    await s.writer.claim(REFERENCE_CLAIM);
    const applied: Applied = applyObservations(await ctx.store.readSymbols(), observations, ctx.now.getTime());
    if (applied.opened.length) {
      s.writer.stageSymbols(applied.history);
      await s.writer.commit();
    }
    const unchanged = new Set(observations.map((o) => o.symbol)).size - applied.opened.length;
    return { opened: applied.opened.length, closed: applied.closed.length, unchanged };
  } finally {
    await s.writer.release();
  }
}

/** A version as the `symbols` command lists it (ISO times). */
export interface SymbolRow extends Omit<SymbolVersion, "validFrom" | "validTo"> {
  validFrom: string;
  validTo: string | null;
}

const row = (v: SymbolVersion): SymbolRow => ({
  ...v,
  validFrom: new Date(v.validFrom).toISOString(),
  validTo: v.validTo === null ? null : new Date(v.validTo).toISOString(),
});

/** What the catalog knew at `asOfMs` (default: now) about `symbols` (default: every symbol); `history`: every version instead. */
export async function querySymbols(ctx: RunContext, opts: { asOfMs?: number; symbols?: string[]; history?: boolean }): Promise<StepResult> {
  await ctx.store.assertExists();
  const ids = opts.symbols?.map((s) => parseSymbol(s).id);
  const all = await ctx.store.readSymbols();
  const at = opts.asOfMs ?? ctx.now.getTime();
  const picked = opts.history ? all.filter((r) => !ids || ids.includes(r.symbol)) : asOf(all, at, ids);
  const known = new Set(picked.map((r) => r.symbol));
  const unknown = (ids ?? []).filter((s) => !known.has(s));
  return {
    counts: { symbols: known.size, versions: picked.length, unknown: unknown.length },
    symbols: [],
    findings: [],
    extra: { asOf: opts.history ? null : new Date(at).toISOString(), symbolCatalog: picked.map(row), unknownSymbols: unknown },
  };
}

/** The version of each of `symbols` valid at the run's now (a snapshot's copy). */
export async function symbolsAsOf(ctx: RunContext, symbols: readonly string[]): Promise<{ asOf: string; rows: SymbolRow[] }> {
  return { asOf: ctx.now.toISOString(), rows: asOf(await ctx.store.readSymbols(), ctx.now.getTime(), symbols).map(row) };
}
