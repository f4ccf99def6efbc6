import { defineCommand } from "citty";
import { ConfigError } from "../src/errors.ts";
import { parseInterval } from "../src/model/interval.ts";
import { selectSymbols } from "../src/pipeline/candidates.ts";
import { runSnapshot } from "../src/pipeline/snapshot.ts";
import { verifySnapshot } from "../src/pipeline/verify.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs, seriesArgs } from "./_shared.ts";

const verify = defineCommand({
  meta: { name: "verify", description: "Recompute every hash of a run folder: exit 0 when intact, 2 naming each changed, missing or added file" },
  args: {
    ...globalArgs,
    // Not `required`: citty's own error would surface as an unexpected one; ours says what to do (exit 3).
    dir: { type: "positional", description: "The run folder (e.g. artifacts/runs/<run-id>)", valueHint: "DIR", required: false },
  },
  run({ args }) {
    const inv = setup("snapshot verify", args);
    if (!args.dir) throw new ConfigError("no run folder given", "write `dqctl snapshot verify artifacts/runs/<run-id>`");
    const { intact: _intact, ...step } = verifySnapshot(args.dir);
    return finish(inv, step);
  },
});

export default defineCommand({
  meta: { name: "snapshot", description: "Copy the series a run reads into an immutable run folder with a manifest and returns_matrix.parquet; never uses the network" },
  args: {
    ...globalArgs,
    ...seriesArgs,
    "run-id": { type: "string", description: "Name of the run folder (never overwritten)", valueHint: "ID" },
    out: { type: "string", description: "Parent folder of run folders", default: "artifacts/runs", valueHint: "DIR" },
  },
  subCommands: { verify },
  async run({ args }) {
    const inv = setup("snapshot", args);
    const runId = args["run-id"];
    if (runId === undefined) throw new ConfigError("--run-id is required", "pass --run-id ID (the run folder is <out>/<ID>), or use `dqctl snapshot verify DIR`");
    const symbols = selectSymbols(args, true)!;
    const interval = parseInterval(args.interval ?? inv.config.interval ?? "1d");
    return finish(inv, await runSnapshot(inv.ctx, { symbols, interval, runId, out: args.out }), { record: true });
  },
});
