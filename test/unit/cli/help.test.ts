// Every example the help prints parses with the real parser: help never teaches a flag that does not exist.
import { describe, expect, test } from "bun:test";
import type { ArgsDef } from "citty";
import { type ParsedFlags, parseArgv } from "../../../commands/_argv.ts";
import { helpOf, resolve } from "../../../commands/_help.ts";
import { resolveCommand, SUBCOMMANDS } from "../../../commands/main.ts";

/** Shell-ish words of an example: quotes grouped, a redirection and what follows dropped. */
function words(line: string): string[] {
  const out = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  const cut = out.findIndex((w) => w === ">" || w === "|" || w === "&&");
  return cut < 0 ? out : out.slice(0, cut);
}

describe("help examples", () => {
  test("every command has two or three examples (one for a parent whose work is its subcommand), and each parses", async () => {
    let checked = 0;
    for (const name of Object.keys(SUBCOMMANDS)) {
      const cmd = await SUBCOMMANDS[name as keyof typeof SUBCOMMANDS].lazy();
      const subs = ((await resolve(cmd.subCommands)) ?? {}) as Record<string, object>;
      for (const target of [cmd, ...Object.values(subs)]) {
        const examples = helpOf(target)?.examples ?? [];
        expect({ name, examples: examples.length > 0 }).toEqual({ name, examples: true });
        for (const ex of examples) {
          const w = words(ex.slice(ex.indexOf("dqctl ")));
          if (w[0] !== "dqctl") continue;
          const r = await resolveCommand(w[1]!, w.slice(2));
          const args: ParsedFlags = parseArgv(r.tokens, ((await resolve(r.cmd.args)) ?? {}) as ArgsDef, {
            where: `dqctl ${r.path}`,
            examples: helpOf(r.cmd)?.examples ?? [],
          });
          expect(args._.length).toBeLessThanOrEqual(1);
          checked++;
        }
      }
      if (!["reference", "schema", "snapshot"].includes(name)) expect({ name, n: (helpOf(cmd)?.examples ?? []).length >= 2 }).toEqual({ name, n: true });
    }
    expect(checked).toBeGreaterThan(30);
  });
});
