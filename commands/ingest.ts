import { defineCommand } from "citty";
import { parseInterval } from "../src/model/interval.ts";
import { parseCount } from "../src/model/parse.ts";
import { selectSymbols } from "../src/pipeline/candidates.ts";
import { runIngest } from "../src/pipeline/ingest.ts";
import { isStreamSource } from "../src/vendors/registry.ts";
import { withHelp } from "./_help.ts";
import { finish, setup, vendorFor } from "./_runtime.ts";
import { globalArgs, jobsArgs, jobsOf, seriesArgs } from "./_shared.ts";
import { consumeStream, streamArgs } from "./_stream-args.ts";
import { vendorArgs } from "./_vendor-args.ts";

export default withHelp(
  defineCommand({
    meta: { name: "ingest", description: "Fetch bars from a vendor, merge with what is stored, check, and commit atomically" },
    args: {
      ...globalArgs,
      ...seriesArgs,
      ...vendorArgs,
      ...jobsArgs,
      force: { type: "boolean", description: "Ingest assets the health registry marks toxic (a clean result clears the mark)" },
      refresh: { type: "boolean", description: "Refetch fresh series too (a re-fetched bar replaces the stored one)" },
      "lookback-days": { type: "string", description: "Pass 1: fetch missing series over this many days (default: all the vendor has)", valueHint: "N" },
      ...streamArgs,
    },
    async run({ args }) {
      const inv = setup("ingest", args, undefined, { writes: true });
      if (isStreamSource(args.vendor)) return finish(inv, await consumeStream(inv, args), { record: true, metrics: true });
      const symbols = selectSymbols(args, true)!;
      const interval = parseInterval(args.interval ?? inv.config.interval ?? "1d");
      const lookbackDays = args["lookback-days"] === undefined ? undefined : parseCount(args["lookback-days"], "--lookback-days");
      const vendor = vendorFor(inv, args);
      const step = await runIngest(inv.ctx, {
        vendor,
        symbols,
        interval,
        force: args.force === true,
        refresh: args.refresh === true,
        ...(lookbackDays !== undefined ? { lookbackDays } : {}),
        sourceName: args.source ?? args.vendor,
        ...jobsOf(args),
        ...(vendor.name === "fred" ? { releaseCalendar: { env: process.env } } : {}),
      });
      return finish(inv, step, { record: true, metrics: true });
    },
  }),
  {
    usage: [
      "dqctl ingest (--symbols LIST | --candidates FILE) [--vendor NAME] [flags]",
      "dqctl ingest --vendor stream --subject SUBJECT [--max-messages N] [--max-time D] [--stream-url nats://HOST:PORT]",
    ],
    examples: [
      "dqctl ingest --vendor file --source fixtures/demo --symbols BINANCE:BTCUSDT,NASDAQ:AAPL",
      "dqctl ingest --vendor file --source fixtures/demo --candidates fixtures/demo-candidates.json --interval 1d",
      "dqctl ingest --vendor binance --symbols BINANCE:BTCUSDT --interval 1h --lookback-days 30",
      "dqctl ingest --vendor file --source fixtures/demo --candidates fixtures/demo-candidates.json --jobs 2",
      "dqctl ingest --vendor stream --subject 'bars.>' --max-time 30s --stream-url nats://127.0.0.1:4222",
    ],
  },
);
