import { defineCommand } from "citty";
import { metricsCsv, metricsTable } from "../src/metrics/render.ts";
import { parseInstant, parseList } from "../src/model/parse.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs, symbolsArg } from "./_shared.ts";

export default withHelp(
  defineCommand({
    meta: { name: "metrics", description: "The metric history every audit, ingest and repair appended: a table, --json, or --csv" },
    args: {
      ...globalArgs,
      symbols: symbolsArg("every series and vendor"),
      metric: {
        type: "string",
        description: "Comma-separated metric names (rows, coverage, lagSessions, qualityScore, findings.gap, latencyP95Ms, …)",
        valueHint: "LIST",
      },
      since: { type: "string", description: "Only runs at or after this date or ISO time", valueHint: "DATE" },
      csv: { type: "boolean", description: "Print CSV (one row per metric value) instead of the table" },
    },
    async run({ args }) {
      const inv = setup("metrics", args);
      const symbols = parseList(args.symbols);
      const metrics = parseList(args.metric);
      const rows = await inv.ctx.store.readMetrics({
        ...(args.since !== undefined ? { sinceMs: parseInstant(args.since, "--since") } : {}),
        ...(symbols ? { symbols } : {}),
        ...(metrics ? { metrics } : {}),
      });
      const step = { counts: { rows: rows.length, runs: new Set(rows.map((r) => r.runId)).size }, symbols: [], findings: [], extra: { metrics: rows } };
      return finish(inv, step, { document: args.csv ? metricsCsv(rows) : metricsTable(rows) });
    },
  }),
  {
    examples: [
      "dqctl metrics --lakehouse data/demo/lakehouse --symbols NASDAQ:AAPL",
      "dqctl metrics --metric coverage,lagSessions --since 2026-11-01 --csv > metrics.csv",
      "dqctl metrics --json",
    ],
  },
);
