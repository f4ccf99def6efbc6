import type { ArgDef, ArgsDef, CommandDef } from "citty";
import { defineCommand } from "citty";
import { CODES } from "../src/checks/registry.ts";
import { type CommandSpec, type CompletionModel, completionScript, type FlagSpec, SHELLS, type Shell } from "../src/completion.ts";
import { ConfigError } from "../src/errors.ts";
import { INTERVALS } from "../src/model/interval.ts";
import { PROFILES } from "../src/model/profile.ts";
import { suggestion } from "../src/suggest.ts";
import { STREAM_SOURCES, VENDOR_NAMES } from "../src/vendors/registry.ts";
import { resolve, withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs, OPTIONAL_VALUE } from "./_shared.ts";
import { SUBCOMMANDS } from "./main.ts";

/** Fixed value sets of flags and positionals, by name. */
const VALUES: Record<string, readonly string[]> = {
  vendor: [...VENDOR_NAMES, ...STREAM_SOURCES],
  profile: PROFILES,
  interval: Object.keys(INTERVALS),
  ...Object.fromEntries(Object.entries(OPTIONAL_VALUE).map(([k, v]) => [k, v.values])),
};
const WORDS: Record<string, readonly string[]> = { explain: CODES.map((c) => c.code), completion: SHELLS };

function flags(args: ArgsDef): FlagSpec[] {
  return Object.entries(args)
    .filter(([, d]) => d.type !== "positional")
    .map(([name, d]: [string, ArgDef]) => ({
      name,
      description: d.description ?? "",
      takesValue: d.type !== "boolean",
      ...(VALUES[name] && d.type !== "boolean" ? { values: VALUES[name] } : {}),
    }));
}

async function spec(name: string, cmd: CommandDef<ArgsDef>): Promise<CommandSpec> {
  const meta = (await resolve(cmd.meta)) ?? {};
  const subs = (await resolve(cmd.subCommands)) as Record<string, CommandDef<ArgsDef>> | undefined;
  const out: CommandSpec = { name, description: meta.description ?? "", flags: flags(((await resolve(cmd.args)) ?? {}) as ArgsDef) };
  if (WORDS[name]) out.words = WORDS[name];
  if (subs) out.subcommands = await Promise.all(Object.entries(subs).map(([n, s]) => spec(n, s)));
  return out;
}

/** The completion model built from the real command declarations. */
export async function completionModel(): Promise<CompletionModel> {
  const commands: CommandSpec[] = await Promise.all(
    Object.entries(SUBCOMMANDS).map(async ([name, c]) => ({ ...(await spec(name, await c.lazy())), description: c.description as string })),
  );
  commands.push({ name: "help", description: "A command's flags, defaults and examples", flags: [], words: Object.keys(SUBCOMMANDS) });
  return { program: "dqctl", commands, globalFlags: flags(globalArgs) };
}

export default withHelp(
  defineCommand({
    meta: { name: "completion", description: "Print a shell completion script (commands, flags, and values such as vendors, profiles and intervals)" },
    args: { ...globalArgs, shell: { type: "positional", description: "bash, zsh or fish", valueHint: "SHELL", required: true } },
    async run({ args }) {
      const inv = setup("completion", args);
      const shell = args.shell;
      if (!(SHELLS as readonly string[]).includes(shell))
        throw new ConfigError(`completion: unknown shell "${shell}"${suggestion(shell, SHELLS)}`, `use one of ${SHELLS.join(", ")}`);
      const script = completionScript(shell as Shell, await completionModel());
      // The table format is the script itself (to eval or save); --json carries it in `completion`.
      return finish(inv, { counts: {}, symbols: [], findings: [], extra: { completion: { shell, script } } }, { document: script });
    },
  }),
  { examples: ['eval "$(dqctl completion bash)"', "dqctl completion zsh > ~/.zfunc/_dqctl", "dqctl completion fish > ~/.config/fish/completions/dqctl.fish"] },
);
