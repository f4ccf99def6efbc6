import { defineCommand } from "citty";
import { SUMMARY_JSON_SCHEMA } from "../src/report/schema.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

export default withHelp(
  defineCommand({
    meta: { name: "schema", description: "Print the JSON Schema (draft 2020-12) of the summary document; with --json, a summary carrying it as `jsonSchema`" },
    args: { ...globalArgs },
    run({ args }) {
      const inv = setup("schema", args);
      // The table format of this summary is the schema itself, so `dqctl schema > summary.schema.json` works.
      return finish(inv, { counts: {}, symbols: [], findings: [], extra: { jsonSchema: SUMMARY_JSON_SCHEMA } });
    },
  }),
  {
    examples: ["dqctl schema > dqctl.summary.schema.json"],
  },
);
