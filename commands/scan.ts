import { defineCommand } from "citty";
import { parseList } from "../src/model/parse.ts";
import { runScan } from "../src/pipeline/scan.ts";
import { tradingViewScreener } from "../src/pipeline/screener.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

/** Scanner flags, shared with `flow`. */
export const scanArgs = {
  scanner: {
    type: "string",
    description: "Scanner config(s), JSON or YAML, comma-separated or repeated (base_preset inherits)",
    valueHint: "FILES",
    required: true,
  },
  export: { type: "string", description: "Export root for <run-id>/candidates.json", default: "export", valueHint: "DIR" },
  "run-id": { type: "string", description: "Run id (default: a timestamped id)", valueHint: "ID" },
} as const;

export default withHelp(
  defineCommand({
    meta: {
      name: "scan",
      description: "Run scanner configs (static lists or the TradingView screener), drop toxic assets, write export/<run-id>/candidates.json",
    },
    args: { ...globalArgs, ...scanArgs },
    async run({ args }) {
      const inv = setup("scan", args, args["run-id"]);
      const step = await runScan(inv.ctx, {
        configs: parseList(args.scanner) ?? [],
        exportDir: args.export,
        screener: tradingViewScreener(inv.ctx),
      });
      const { candidates: _c, candidatesPath: _p, ...rest } = step;
      return finish(inv, rest);
    },
  }),
  {
    examples: [
      "dqctl scan --scanner fixtures/scanners/crypto.yaml",
      "dqctl scan --scanner fixtures/scanners/crypto.yaml,fixtures/scanners/tradfi.yaml --run-id 2026-11-21 --export data/export",
      "dqctl scan --scanner fixtures/scanners/tradfi.yaml --json",
    ],
  },
);
