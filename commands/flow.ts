import { defineCommand } from "citty";
import { parseInterval } from "../src/model/interval.ts";
import { parseCount, parseList } from "../src/model/parse.ts";
import { runFlow } from "../src/pipeline/flow.ts";
import { tradingViewScreener } from "../src/pipeline/screener.ts";
import { withHelp } from "./_help.ts";
import { finish, setup, vendorFor } from "./_runtime.ts";
import { globalArgs, reportArgs } from "./_shared.ts";
import { vendorArgs } from "./_vendor-args.ts";
import { repairArgs, repairBudget } from "./repair.ts";
import { scanArgs } from "./scan.ts";

export default withHelp(
  defineCommand({
    meta: { name: "flow", description: "scan → ingest → repair → audit in one run; the audit decides the gate (--fail-on-quality)" },
    args: {
      ...globalArgs,
      ...scanArgs,
      ...vendorArgs,
      interval: { type: "string", description: "Bar interval: 1m 5m 15m 30m 1h 4h 1d (default: the config's interval, else 1d)", valueHint: "I" },
      "lookback-days": { type: "string", description: "Pass 1: fetch missing series over this many days (default: all the vendor has)", valueHint: "N" },
      force: { type: "boolean", description: "Ingest assets marked toxic" },
      ...repairArgs,
      ...reportArgs,
    },
    async run({ args }) {
      const inv = setup("flow", args, args["run-id"], { writes: true });
      const repair = repairBudget(args);
      const lookbackDays = args["lookback-days"] !== undefined ? parseCount(args["lookback-days"], "--lookback-days") : undefined;
      const vendor = vendorFor(inv, args);
      const step = await runFlow(inv.ctx, {
        scanners: parseList(args.scanner) ?? [],
        exportDir: args.export,
        vendor,
        interval: parseInterval(args.interval ?? inv.config.interval ?? "1d"),
        sourceName: args.source ?? args.vendor,
        force: args.force === true,
        ...(lookbackDays !== undefined ? { lookbackDays } : {}),
        repair,
        screener: tradingViewScreener(inv.ctx),
      });
      return finish(inv, step, { record: true, metrics: true, ...(args.report ? { report: args.report } : {}) });
    },
  }),
  {
    examples: [
      "dqctl flow --scanner fixtures/scanners/crypto.yaml,fixtures/scanners/tradfi.yaml --vendor file --source fixtures/demo --fail-on-quality",
      "dqctl flow --scanner fixtures/scanners/crypto.yaml --vendor file --source fixtures/demo --lakehouse data/demo/lakehouse --json",
      "dqctl flow --scanner scanners/example.yaml --vendor binance --interval 1h --lookback-days 30 --max-time 10m",
    ],
  },
);
