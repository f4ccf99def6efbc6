import { defineCommand } from "citty";
import { runDoctor } from "../src/doctor/index.ts";
import { parseDuration, parseList } from "../src/model/parse.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

export default withHelp(
  defineCommand({
    meta: {
      name: "doctor",
      description: "Check everything the configuration names: store, lock, cache, stream, vendors, reference data; exit 3 naming the first thing to fix",
    },
    args: {
      ...globalArgs,
      vendor: {
        type: "string",
        description: "Also probe these network vendors' base URLs (default: those the config or environment names)",
        valueHint: "LIST",
      },
      timeout: { type: "string", description: "Bound on each network step: DNS, connect, one request (default 3s)", valueHint: "DURATION" },
    },
    async run({ args }) {
      const timeoutMs = args.timeout !== undefined ? parseDuration(args.timeout, "--timeout") : 3000;
      const inv = setup("doctor", args);
      const vendors = parseList(args.vendor) ?? [];
      return finish(inv, await runDoctor({ ctx: inv.ctx, env: process.env, timeoutMs, vendors }));
    },
  }),
  {
    examples: ["dqctl doctor", "dqctl doctor --cache redis://127.0.0.1:6379/0 --json", "dqctl doctor --vendor binance --timeout 1s"],
  },
);
