import { defineCommand } from "citty";
import { parseInterval } from "../src/model/interval.ts";
import { selectSymbols } from "../src/pipeline/candidates.ts";
import { runIngest } from "../src/pipeline/ingest.ts";
import { createVendor } from "../src/vendors/registry.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs, seriesArgs } from "./_shared.ts";

export default defineCommand({
  meta: { name: "ingest", description: "Fetch bars from a vendor, merge with what is stored, check, and commit atomically" },
  args: {
    ...globalArgs,
    ...seriesArgs,
    vendor: { type: "string", description: "file | yahoo | binance | alphavantage | fred | tradingview", default: "file", valueHint: "NAME" },
    source: { type: "string", description: "file vendor: a folder of <EXCHANGE>_<TICKER>_<interval>.{csv,parquet,jsonl} or one file with a symbol column", valueHint: "PATH" },
    force: { type: "boolean", description: "Ingest assets the health registry marks toxic" },
  },
  async run({ args }) {
    const inv = setup("ingest", args);
    const symbols = selectSymbols(args, true)!;
    const interval = parseInterval(args.interval ?? inv.config.interval ?? "1d");
    const vendor = createVendor(args.vendor, { config: inv.config, log: inv.ctx.log, env: process.env, ...(args.source ? { source: args.source } : {}) });
    return finish(inv, await runIngest(inv.ctx, { vendor, symbols, interval, force: args.force === true, sourceName: args.source ?? args.vendor }), undefined, true);
  },
});
