import { defineCommand } from "citty";
import { parseInterval } from "../src/model/interval.ts";
import { parseCount, parseDuration } from "../src/model/parse.ts";
import { selectSymbols } from "../src/pipeline/candidates.ts";
import { runRepair } from "../src/pipeline/repair.ts";
import { withHelp } from "./_help.ts";
import { finish, setup, vendorFor } from "./_runtime.ts";
import { globalArgs, seriesArgs } from "./_shared.ts";
import { vendorArgs } from "./_vendor-args.ts";

/** Repair flags, shared with `flow`. */
export const repairArgs = {
  "max-fills": { type: "string", description: "At most N range fetches", valueHint: "N" },
  "max-time": { type: "string", description: "Stop starting fetches after this long (e.g. 90s, 5m, 1h30m)", valueHint: "DURATION" },
  "max-candles": { type: "string", description: "Stop after fetching N bars", valueHint: "N" },
  "backfill-days": { type: "string", description: "Backfill window before the first bar (default 365; 0: off)", valueHint: "N" },
} as const;

/** Parse the repair budget flags. */
export function repairBudget(args: Record<string, unknown>): { maxFills?: number; maxTimeMs?: number; maxCandles?: number; backfillDays?: number } {
  const out: { maxFills?: number; maxTimeMs?: number; maxCandles?: number; backfillDays?: number } = {};
  if (typeof args["max-fills"] === "string") out.maxFills = parseCount(args["max-fills"], "--max-fills");
  if (typeof args["max-candles"] === "string") out.maxCandles = parseCount(args["max-candles"], "--max-candles");
  if (typeof args["backfill-days"] === "string") out.backfillDays = parseCount(args["backfill-days"], "--backfill-days");
  if (typeof args["max-time"] === "string") out.maxTimeMs = parseDuration(args["max-time"], "--max-time");
  return out;
}

export default withHelp(
  defineCommand({
    meta: {
      name: "repair",
      description: "Refetch calendar gaps newest first, one bounded request each; record genesis only when a complete answer proves it",
    },
    args: {
      ...globalArgs,
      ...seriesArgs,
      ...vendorArgs,
      ...repairArgs,
      "dry-run": { type: "boolean", description: "Print the plan; fetch and write nothing" },
      "reset-genesis": { type: "boolean", description: "Clear the recorded genesis of the selected series first (a backfill may prove it again)" },
    },
    async run({ args }) {
      const inv = setup("repair", args, undefined, { writes: args["dry-run"] !== true, readOnlyFlag: "--dry-run" });
      const symbols = selectSymbols(args, false);
      const interval = args.interval ? parseInterval(args.interval) : undefined;
      const budget = repairBudget(args);
      const vendor = vendorFor(inv, args);
      const step = await runRepair(inv.ctx, {
        vendor,
        ...(symbols ? { symbols } : {}),
        ...(interval ? { interval } : {}),
        ...budget,
        dryRun: args["dry-run"] === true,
        resetGenesis: args["reset-genesis"] === true,
        sourceName: args.source ?? args.vendor,
      });
      return finish(inv, step, { record: args["dry-run"] !== true, metrics: args["dry-run"] !== true });
    },
  }),
  {
    examples: [
      "dqctl repair --vendor file --source fixtures/demo --dry-run",
      "dqctl repair --vendor file --source fixtures/demo --symbols BINANCE:ETHUSDT --max-fills 10",
      "dqctl repair --vendor binance --max-time 5m --backfill-days 0",
      "dqctl repair --vendor file --source fixtures/demo --symbols NASDAQ:AAPL --reset-genesis",
    ],
  },
);
