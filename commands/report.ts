import { defineCommand } from "citty";
import { parseInterval } from "../src/model/interval.ts";
import { runAudit } from "../src/pipeline/audit.ts";
import { selectSymbols } from "../src/pipeline/candidates.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs, seriesArgs } from "./_shared.ts";

export default withHelp(
  defineCommand({
    meta: {
      name: "report",
      description: "Audit the lakehouse read-only and write one self-contained HTML report: charts with findings, quarantine, coverage",
    },
    args: {
      ...globalArgs,
      ...seriesArgs,
      out: { type: "string", description: "The HTML file to write (default: report.html)", valueHint: "FILE.html" },
    },
    async run({ args }) {
      const inv = setup("report", args);
      const symbols = selectSymbols(args, false);
      const interval = args.interval ? parseInterval(args.interval) : undefined;
      const result = await runAudit(inv.ctx, { ...(symbols ? { symbols } : {}), ...(interval ? { interval } : {}), readOnly: true });
      const { series: _series, ...step } = result;
      return finish(inv, step, { report: args.out ?? "report.html" });
    },
  }),
  {
    examples: [
      "dqctl report --lakehouse data/demo/lakehouse --out data/demo/report.html",
      "dqctl report --symbols NASDAQ:AAPL,BINANCE:BTCUSDT --out aapl-btc.html",
      "dqctl audit --report audit.html --fail-on-quality",
    ],
  },
);
