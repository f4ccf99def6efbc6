import { defineCommand } from "citty";
import { withHelp } from "./_help.ts";
import { SUMMARY_JSON_SCHEMA } from "../src/report/schema.ts";

export default withHelp(defineCommand({
  meta: { name: "schema", description: "Print the JSON Schema (draft 2020-12) of the --json summary document" },
  args: {},
  run() {
    process.stdout.write(`${JSON.stringify(SUMMARY_JSON_SCHEMA, null, 2)}\n`);
    return 0;
  },
}), {
  examples: ["dqctl schema > dqctl.summary.schema.json"],
});
