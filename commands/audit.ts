import { defineCommand } from "citty";
import { ConfigError } from "../src/errors.ts";
import { parseInterval } from "../src/model/interval.ts";
import { runAudit } from "../src/pipeline/audit.ts";
import { selectSymbols } from "../src/pipeline/candidates.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs, seriesArgs } from "./_shared.ts";

function time(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new ConfigError(`--${flag}: "${raw}" is not an ISO-8601 date`, "write e.g. 2024-01-01");
  return ms;
}

export default defineCommand({
  meta: { name: "audit", description: "The health gate: freshness, coverage, gaps, duplicates, OHLC, toxicity, false ticks; updates foundation_health.json" },
  args: {
    ...globalArgs,
    ...seriesArgs,
    from: { type: "string", description: "Coverage window start (default: the stored range)", valueHint: "DATE" },
    to: { type: "string", description: "Coverage window end", valueHint: "DATE" },
    "read-only": { type: "boolean", description: "Do not update foundation_health.json or catalog scores" },
  },
  async run({ args }) {
    const inv = setup("audit", args);
    const symbols = selectSymbols(args, false);
    const interval = args.interval ? parseInterval(args.interval) : undefined;
    const fromMs = time("from", args.from);
    const toMs = time("to", args.to);
    const result = await runAudit(inv.ctx, {
      ...(symbols ? { symbols } : {}),
      ...(interval ? { interval } : {}),
      ...(fromMs !== undefined ? { fromMs } : {}),
      ...(toMs !== undefined ? { toMs } : {}),
      readOnly: args["read-only"] === true,
    });
    const { series: _series, ...step } = result;
    return finish(inv, step, { record: args["read-only"] !== true });
  },
});
