import { defineCommand } from "citty";
import { parseInterval } from "../src/model/interval.ts";
import { selectSymbols } from "../src/pipeline/candidates.ts";
import { runSnapshot } from "../src/pipeline/snapshot.ts";
import { verifySnapshot } from "../src/pipeline/verify.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs, seriesArgs } from "./_shared.ts";

const verify = withHelp(
  defineCommand({
    meta: { name: "verify", description: "Recompute every hash of a run folder: exit 0 when intact, 2 naming each changed, missing or added file" },
    args: {
      ...globalArgs,
      dir: { type: "positional", description: "The run folder (e.g. artifacts/runs/<run-id>)", valueHint: "DIR", required: true },
    },
    run({ args }) {
      const inv = setup("snapshot verify", args);
      const { intact: _intact, ...step } = verifySnapshot(args.dir);
      return finish(inv, step);
    },
  }),
  {
    examples: ["dqctl snapshot verify artifacts/runs/2026-11-21-alpha", "dqctl snapshot verify artifacts/runs/2026-11-21-alpha --json"],
  },
);

export default withHelp(
  defineCommand({
    meta: {
      name: "snapshot",
      description: "Copy the series a run reads into an immutable run folder with a manifest and returns_matrix.parquet; never uses the network",
    },
    args: {
      ...globalArgs,
      ...seriesArgs,
      "run-id": { type: "string", description: "Name of the run folder (never overwritten)", valueHint: "ID", required: true },
      out: { type: "string", description: "Parent folder of run folders", default: "artifacts/runs", valueHint: "DIR" },
    },
    subCommands: { verify },
    async run({ args }) {
      const inv = setup("snapshot", args, undefined, { writes: true });
      const runId = args["run-id"];
      const symbols = selectSymbols(args, true)!;
      const interval = parseInterval(args.interval ?? inv.config.interval ?? "1d");
      return finish(inv, await runSnapshot(inv.ctx, { symbols, interval, runId, out: args.out }), { record: true });
    },
  }),
  {
    usage: ["dqctl snapshot (--symbols LIST | --candidates FILE) --run-id ID [flags]", "dqctl snapshot verify DIR [flags]"],
    examples: [
      "dqctl snapshot --candidates fixtures/demo-candidates.json --run-id 2026-11-21-alpha",
      "dqctl snapshot --symbols BINANCE:BTCUSDT,NASDAQ:AAPL --run-id 2026-11-21-alpha --out artifacts/runs",
      "dqctl snapshot verify artifacts/runs/2026-11-21-alpha",
    ],
  },
);
