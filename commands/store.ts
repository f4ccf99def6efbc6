import { defineCommand } from "citty";
import { runStoreInit } from "../src/pipeline/store-admin.ts";
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

export default withHelp(
  defineCommand({
    meta: { name: "store", description: "Manage the store: a lakehouse folder or a PostgreSQL database" },
    args: { ...globalArgs },
    subCommands: { init },
  }),
  { usage: ["dqctl store init [--store DIR|URL] [flags]"], examples: ["dqctl store init --store postgres://dqctl@127.0.0.1:5432/market"] },
);
