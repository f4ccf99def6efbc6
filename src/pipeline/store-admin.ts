// Store administration: `dqctl store init` (create or migrate the store named by --store).
import type { RunContext } from "../context.ts";
import type { StepResult } from "../report/summary.ts";

/** Create the run's store, or bring its schema up to date; running it again changes nothing. */
export async function runStoreInit(ctx: RunContext): Promise<StepResult> {
  const r = await ctx.store.init();
  ctx.log.info(
    r.applied.length
      ? `${r.location}: schema version ${r.version} (applied ${r.applied.join(", ")}; bars ${r.layout})`
      : `${r.location}: already at schema version ${r.version} (bars ${r.layout})`,
  );
  return { counts: { applied: r.applied.length, version: r.version }, symbols: [], findings: [], extra: { store: r } };
}
