import { defineCommand } from "citty";
import { writeStarterFiles } from "../src/init.ts";
import { withHelp } from "./_help.ts";

export default withHelp(
  defineCommand({
    meta: { name: "init", description: "Write a starter config, reference files, a scanner and a GitHub Actions workflow into the current folder; an existing file is never overwritten" },
    args: {},
    run() {
      const results = writeStarterFiles(process.cwd());
      const w = Math.max(...results.map((r) => r.path.length));
      const lines = results.map((r) => (r.written ? `wrote  ${r.path.padEnd(w)}  ${r.what}` : `kept   ${r.path.padEnd(w)}  already exists, not overwritten`));
      const n = results.filter((r) => r.written).length;
      lines.push(`init: wrote ${n} of ${results.length} files${n ? "; next: dqctl reference check, then dqctl flow --scanner scanners/example.yaml …" : " (all were there already)"}`);
      process.stdout.write(`${lines.join("\n")}\n`);
      return 0;
    },
  }),
  { examples: ["dqctl init", "cd my-project && dqctl init && dqctl reference check"] },
);
