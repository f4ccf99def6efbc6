import { defineCommand } from "citty";
import { runStoreCopy, runStoreInit } from "../src/pipeline/store-admin.ts";
import { openStore } from "../src/store/open.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

const init = withHelp(
  defineCommand({
    meta: { name: "init", description: "Create the store (--store), or apply its pending schema migrations; idempotent" },
    args: { ...globalArgs },
    async run({ args }) {
      const inv = setup("store init", args, undefined, { writes: true });
      return finish(inv, await runStoreInit(inv.ctx));
    },
  }),
  {
    examples: ["dqctl store init --store postgres://dqctl@127.0.0.1:5432/market", "DQCTL_STORE=postgres://dqctl@db/market dqctl store init --json"],
  },
);

const copy = withHelp(
  defineCommand({
    meta: {
      name: "copy",
      description:
        "Copy every series with its catalog and registry entries and the quarantine evidence from one store to another; verified by row counts and content versions",
    },
    args: {
      ...globalArgs,
      from: { type: "string", description: "The source store: a lakehouse folder or postgres://…", valueHint: "DIR|URL", required: true },
      to: { type: "string", description: "The target store (created or migrated first)", valueHint: "DIR|URL", required: true },
    },
    async run({ args }) {
      const inv = setup("store copy", args, undefined, {});
      return finish(inv, await runStoreCopy(inv.ctx, { from: openStore(args.from), to: openStore(args.to) }));
    },
  }),
  {
    examples: [
      "dqctl store copy --from data/lakehouse --to postgres://dqctl@127.0.0.1:5432/market",
      "dqctl store copy --from postgres://dqctl@127.0.0.1:5432/market --to data/lakehouse-copy --json",
    ],
  },
);

export default withHelp(
  defineCommand({
    meta: { name: "store", description: "Manage the store: a lakehouse folder or a PostgreSQL database" },
    args: { ...globalArgs },
    subCommands: { init, copy },
  }),
  {
    usage: ["dqctl store init [--store DIR|URL] [flags]", "dqctl store copy --from DIR|URL --to DIR|URL [flags]"],
    examples: [
      "dqctl store init --store postgres://dqctl@127.0.0.1:5432/market",
      "dqctl store copy --from data/lakehouse --to postgres://dqctl@127.0.0.1:5432/market",
    ],
  },
);
