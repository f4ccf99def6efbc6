import { defineCommand } from "citty";
import { writeStarterFiles } from "../src/init.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

export default withHelp(
  defineCommand({
    meta: {
      name: "init",
      description:
        "Write a starter config, reference files, a scanner and a GitHub Actions workflow into the current folder; an existing file is never overwritten",
    },
    args: { ...globalArgs },
    run({ args }) {
      const inv = setup("init", args);
      const results = writeStarterFiles(process.cwd());
      const w = Math.max(...results.map((r) => r.path.length));
      const lines = results.map((r) => (r.written ? `wrote  ${r.path.padEnd(w)}  ${r.what}` : `kept   ${r.path.padEnd(w)}  already exists, not overwritten`));
      const n = results.filter((r) => r.written).length;
      lines.push(
        `init: wrote ${n} of ${results.length} files${n ? "; next: dqctl reference check, then dqctl flow --scanner scanners/example.yaml …" : " (all were there already)"}`,
      );
      const step = { counts: { written: n, kept: results.length - n }, symbols: [], findings: [], extra: { init: results } };
      return finish(inv, step, { document: `${lines.join("\n")}\n` });
    },
  }),
  { examples: ["dqctl init", "cd my-project && dqctl init && dqctl reference check"] },
);
