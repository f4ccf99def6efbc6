import { defineCommand } from "citty";
import { parseInterval } from "../src/model/interval.ts";
import { runFlow } from "../src/pipeline/flow.ts";
import { tradingViewScreener } from "../src/pipeline/screener.ts";
import { createVendor } from "../src/vendors/registry.ts";
import { finish, positiveInt, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";
import { repairArgs, repairBudget } from "./repair.ts";
import { scanArgs } from "./scan.ts";

export default defineCommand({
  meta: { name: "flow", description: "scan → ingest → repair → audit in one run; the audit decides the gate (--fail-on-quality)" },
  args: {
    ...globalArgs,
    ...scanArgs,
    vendor: { type: "string", description: "Vendor for ingest and repair", default: "file", valueHint: "NAME" },
    source: { type: "string", description: "file vendor: folder or file", valueHint: "PATH" },
    interval: { type: "string", description: "Bar interval", valueHint: "I" },
    "lookback-days": { type: "string", description: "Pass 1 window for missing series", valueHint: "N" },
    force: { type: "boolean", description: "Ingest assets marked toxic" },
    ...repairArgs,
  },
  async run({ args }) {
    const inv = setup("flow", args, args["run-id"]);
    const vendor = createVendor(args.vendor, { config: inv.config, log: inv.ctx.log, env: process.env, ...(args.source ? { source: args.source } : {}) });
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
    return finish(inv, step, undefined, true);
  },
});
