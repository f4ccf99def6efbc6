import { defineCommand } from "citty";
import { ConfigError } from "../src/errors.ts";
import { parseDuration } from "../src/lakehouse/lock.ts";
import { parseInterval } from "../src/model/interval.ts";
import { selectSymbols } from "../src/pipeline/candidates.ts";
import { runRepair } from "../src/pipeline/repair.ts";
import { finish, positiveInt, setup, vendorFor } from "./_runtime.ts";
import { globalArgs, seriesArgs, vendorArgs } from "./_shared.ts";

/** Repair flags, shared with `flow`. */
export const repairArgs = {
  "max-fills": { type: "string", description: "At most N range fetches", valueHint: "N" },
  "max-time": { type: "string", description: "Stop starting fetches after this long (e.g. 5m)", valueHint: "DURATION" },
  "max-candles": { type: "string", description: "Stop after fetching N bars", valueHint: "N" },
  "backfill-days": { type: "string", description: "Backfill window before the first bar (default 365; 0: off)", valueHint: "N" },
} as const;

/** Parse the repair budget flags. */
export function repairBudget(args: Record<string, unknown>): { maxFills?: number; maxTimeMs?: number; maxCandles?: number; backfillDays?: number } {
  const out: { maxFills?: number; maxTimeMs?: number; maxCandles?: number; backfillDays?: number } = {};
  if (typeof args["max-fills"] === "string") out.maxFills = positiveInt("max-fills", args["max-fills"]);
  if (typeof args["max-candles"] === "string") out.maxCandles = positiveInt("max-candles", args["max-candles"]);
  if (typeof args["backfill-days"] === "string") out.backfillDays = positiveInt("backfill-days", args["backfill-days"]);
  if (typeof args["max-time"] === "string") {
    const ms = parseDuration(args["max-time"]);
    if (ms === undefined) throw new ConfigError(`--max-time: "${args["max-time"]}" is not a duration`, "write e.g. --max-time 5m");
    out.maxTimeMs = ms;
  }
  return out;
}

export default defineCommand({
  meta: { name: "repair", description: "Refetch calendar gaps newest first; record genesis after an empty (uncapped) backfill" },
  args: {
    ...globalArgs,
    ...seriesArgs,
    ...vendorArgs,
    ...repairArgs,
    "dry-run": { type: "boolean", description: "Print the plan; fetch and write nothing" },
  },
  async run({ args }) {
    const inv = setup("repair", args);
    const symbols = selectSymbols(args, false);
    const interval = args.interval ? parseInterval(args.interval) : undefined;
    const vendor = vendorFor(inv, args);
    const step = await runRepair(inv.ctx, {
      vendor,
      ...(symbols ? { symbols } : {}),
      ...(interval ? { interval } : {}),
      ...repairBudget(args),
      dryRun: args["dry-run"] === true,
      sourceName: args.source ?? args.vendor,
    });
    return finish(inv, step, { record: args["dry-run"] !== true });
  },
});
