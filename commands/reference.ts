import { defineCommand } from "citty";
import { ConfigError } from "../src/errors.ts";
import { DEFAULT_REFERENCE_DIR } from "../src/pipeline/reference.ts";
import { checkReference } from "../src/reference/index.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

const check = withHelp(
  defineCommand({
    meta: { name: "check", description: "Validate instruments.json, sessions.json and holidays.json: exit 0, or 3 with one line naming file, key and field" },
    args: {
      ...globalArgs,
      "reference-dir": {
        type: "string",
        description: `Reference folder (default: referenceDir from the config, else ${DEFAULT_REFERENCE_DIR})`,
        valueHint: "DIR",
      },
    },
    run({ args }) {
      // Check the named folder first, so its own error is the one reported.
      const explicit = args["reference-dir"];
      const early = explicit !== undefined ? checkReference(explicit) : undefined;
      const inv = setup("reference check", args);
      const result = early ?? checkReference(inv.config.referenceDir ?? DEFAULT_REFERENCE_DIR);
      const present = result.files.filter((f) => f.present);
      return finish(inv, {
        counts: { files: present.length, instruments: result.instruments.length },
        symbols: [],
        findings: [],
        extra: { reference: result },
      });
    },
  }),
  {
    examples: ["dqctl reference check", "dqctl reference check --reference-dir config/reference --json"],
  },
);

export default withHelp(
  defineCommand({
    meta: { name: "reference", description: "Reference data (config/reference/{instruments,sessions,holidays}.json); `reference check` validates it" },
    args: { ...globalArgs },
    subCommands: { check },
    run() {
      throw new ConfigError("no subcommand given", "write `dqctl reference check [--reference-dir DIR]`");
    },
  }),
  {
    examples: ["dqctl reference check"],
  },
);
