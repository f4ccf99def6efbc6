import { defineCommand } from "citty";
import { parseInterval } from "../src/model/interval.ts";
import { endOfDay, parseInstant } from "../src/model/parse.ts";
import { runAudit } from "../src/pipeline/audit.ts";
import { selectSymbols } from "../src/pipeline/candidates.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs, jobsArgs, jobsOf, reportArgs, seriesArgs } from "./_shared.ts";

export default withHelp(
  defineCommand({
    meta: { name: "audit", description: "The health gate: freshness, coverage, gaps, duplicates, OHLC, toxicity, false ticks; updates foundation_health.json" },
    args: {
      ...globalArgs,
      ...seriesArgs,
      from: { type: "string", description: "Coverage window start, a date or ISO time (default: the stored range)", valueHint: "DATE" },
      to: { type: "string", description: "Coverage window end; a date means through its last bar (default: the stored range)", valueHint: "DATE" },
      "read-only": { type: "boolean", description: "Do not update foundation_health.json, catalog scores or the audit state" },
      ...jobsArgs,
      full: {
        type: "boolean",
        description: "Decode and check every series in full, even those unchanged or only grown at the end since the last audit (audit_state.json)",
      },
      ...reportArgs,
    },
    async run({ args }) {
      const inv = setup("audit", args, undefined, { writes: args["read-only"] !== true, readOnlyFlag: "--read-only" });
      const symbols = selectSymbols(args, false);
      const interval = args.interval ? parseInterval(args.interval) : undefined;
      const fromMs = args.from === undefined ? undefined : parseInstant(args.from, "--from");
      // A bare date as the end means the whole of that day.
      const toMs =
        args.to === undefined
          ? undefined
          : /^\s*\d{4,}-\d{2}-\d{2}\s*$/.test(args.to)
            ? endOfDay(parseInstant(args.to, "--to"))
            : parseInstant(args.to, "--to");
      const result = await runAudit(inv.ctx, {
        ...jobsOf(args),
        full: args.full === true,
        ...(symbols ? { symbols } : {}),
        ...(interval ? { interval } : {}),
        ...(fromMs !== undefined ? { fromMs } : {}),
        ...(toMs !== undefined ? { toMs } : {}),
        readOnly: args["read-only"] === true,
      });
      const { series: _series, ...step } = result;
      return finish(inv, step, { record: args["read-only"] !== true, metrics: args["read-only"] !== true, ...(args.report ? { report: args.report } : {}) });
    },
  }),
  {
    examples: [
      "dqctl audit --fail-on-quality",
      "dqctl audit --symbols BINANCE:BTCUSDT,NASDAQ:AAPL --fail-on-quality=warning --json",
      "dqctl audit --lakehouse data/demo/lakehouse --from 2026-01-01 --to 2026-06-30 --read-only",
      "dqctl audit --full --jobs 1",
    ],
  },
);
