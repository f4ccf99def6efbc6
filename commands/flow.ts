import { defineCommand } from "citty";
import { parseInterval } from "../src/model/interval.ts";
import { runFlow } from "../src/pipeline/flow.ts";
import { tradingViewScreener } from "../src/pipeline/screener.ts";
import { finish, positiveInt, setup, vendorFor } from "./_runtime.ts";
import { globalArgs, vendorArgs } from "./_shared.ts";
import { repairArgs, repairBudget } from "./repair.ts";
import { scanArgs } from "./scan.ts";

export default defineCommand({
  meta: { name: "flow", description: "scan → ingest → repair → audit in one run; the audit decides the gate (--fail-on-quality)" },
  args: {
    ...globalArgs,
    ...scanArgs,
    ...vendorArgs,
    interval: { type: "string", description: "Bar interval", valueHint: "I" },
    "lookback-days": { type: "string", description: "Pass 1 window for missing series", valueHint: "N" },
    force: { type: "boolean", description: "Ingest assets marked toxic" },
    ...repairArgs,
  },
  async run({ args }) {
    const inv = setup("flow", args, args["run-id"]);
    const vendor = vendorFor(inv, args);
    const step = await runFlow(inv.ctx, {
      scanners: args.scanner.split(",").map((s) => s.trim()).filter(Boolean),
      exportDir: args.export,
      vendor,
      interval: parseInterval(args.interval ?? inv.config.interval ?? "1d"),
      sourceName: args.source ?? args.vendor,
      force: args.force === true,
      ...(args["lookback-days"] !== undefined ? { lookbackDays: positiveInt("lookback-days", args["lookback-days"]) } : {}),
      repair: repairBudget(args),
      screener: tradingViewScreener(inv.ctx),
    });
    return finish(inv, step, { record: true });
  },
});
