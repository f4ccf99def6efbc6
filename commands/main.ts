// The entry: lazy subcommands, the strict argv parser, help, and the one place that maps errors to exit codes.
import type { ArgsDef, CommandDef } from "citty";
import { asDqError, ConfigError, DqError } from "../src/errors.ts";
import { redactSecrets } from "../src/redact.ts";
import { suggestion } from "../src/suggest.ts";
import { VERSION } from "../src/version.ts";
import { leadingGlobals, parseArgv } from "./_argv.ts";
import { type CommandSummary, helpOf, renderCommandHelp, renderTopHelp, resolve } from "./_help.ts";

type Lazy = () => Promise<CommandDef<ArgsDef>>;
const load = <T>(p: Promise<{ default: T }>) => p.then((m) => m.default as CommandDef<ArgsDef>);

type Entry = { lazy: Lazy; description: string; subcommands?: Record<string, string> };

/** Subcommands, loaded on demand so `--version`/`--help` start fast and never touch Parquet. Keys are literal, so tests can demand a case per command. */
export const SUBCOMMANDS = {
  scan: { lazy: () => load(import("./scan.ts")), description: "Run scanner configs and write export/<run-id>/candidates.json" },
  ingest: { lazy: () => load(import("./ingest.ts")), description: "Fetch bars from a vendor into the lakehouse (idempotent, atomic)" },
  repair: { lazy: () => load(import("./repair.ts")), description: "Refetch calendar gaps, newest first; record genesis on proof" },
  audit: { lazy: () => load(import("./audit.ts")), description: "The health gate over the lakehouse" },
  metrics: { lazy: () => load(import("./metrics.ts")), description: "The metric history of every audit, ingest and repair: table, --json or --csv" },
  report: {
    lazy: () => load(import("./report.ts")),
    description: "Write one self-contained HTML report of the lakehouse: charts, findings, quarantine, coverage",
  },
  snapshot: {
    lazy: () => load(import("./snapshot.ts")),
    description: "Copy what a run reads into an immutable run folder with a returns matrix",
    subcommands: { verify: "Prove a run folder unchanged (exit 2 naming each changed, missing or added file)" },
  },
  bootstrap: { lazy: () => load(import("./bootstrap.ts")), description: "Hydrate a multi-vendor pricing dataset into the cache, with quality findings" },
  lineage: {
    lazy: () => load(import("./lineage.ts")),
    description: "The data lineage & SLA document with measured freshness and completeness; --format openlineage for RunEvents",
  },
  flow: { lazy: () => load(import("./flow.ts")), description: "scan → ingest → repair → audit in one run, the audit a hard gate" },
  store: {
    lazy: () => load(import("./store.ts")),
    description: "Manage the store (lakehouse folder or PostgreSQL)",
    subcommands: {
      init: "Create the store or apply its pending schema migrations (idempotent)",
      copy: "Copy every series from one store to another, verified by row counts and content versions",
    },
  },
  doctor: {
    lazy: () => load(import("./doctor.ts")),
    description: "Check everything the configuration names (store, lock, cache, stream, vendors, reference); exit 3 naming the first thing to fix",
  },
  calendar: { lazy: () => load(import("./calendar.ts")), description: "List sessions, holidays and early closes of a profile" },
  reference: {
    lazy: () => load(import("./reference.ts")),
    description: "Reference data: instruments, sessions and holidays",
    subcommands: { check: "Validate config/reference/{instruments,sessions,holidays}.json" },
  },
  schema: { lazy: () => load(import("./schema.ts")), description: "Print the JSON Schema of the --json summary" },
  explain: { lazy: () => load(import("./explain.ts")), description: "What a finding code means: rule, default severity, options, example" },
  init: { lazy: () => load(import("./init.ts")), description: "Write a starter config, reference files, a scanner and a CI workflow here (never overwrites)" },
  completion: { lazy: () => load(import("./completion.ts")), description: "Print a shell completion script: bash, zsh or fish" },
} as const satisfies Record<string, Entry>;
const COMMANDS: Record<string, Entry> = SUBCOMMANDS;

/** The rows of the top-level help. */
export function commandSummaries(): CommandSummary[] {
  return Object.entries(COMMANDS).map(([name, c]) => ({ name, description: c.description, ...(c.subcommands ? { subcommands: c.subcommands } : {}) }));
}

/** A command resolved from the words after `dqctl`: its definition, its path (`snapshot verify`) and the remaining tokens. */
export interface Resolved {
  cmd: CommandDef<ArgsDef>;
  path: string;
  tokens: string[];
  subcommands?: string[];
}

/** Resolve `name [sub] …`; global flags may sit before either word. */
export async function resolveCommand(name: string, tokens: string[]): Promise<Resolved> {
  const entry = COMMANDS[name];
  if (!entry) throw new ConfigError(`unknown command "${name}"${suggestion(name, Object.keys(SUBCOMMANDS))}`, "run `dqctl --help` to list the commands");
  let cmd = await entry.lazy();
  let path = name;
  const subs = (await resolve(cmd.subCommands)) as Record<string, CommandDef<ArgsDef>> | undefined;
  if (!subs) return { cmd, path, tokens };
  const { globals, rest } = leadingGlobals(tokens, false);
  const word = rest[0];
  if (word !== undefined && subs[word]) {
    cmd = subs[word]!;
    path += ` ${word}`;
    return { cmd, path, tokens: [...globals, ...rest.slice(1)] };
  }
  return { cmd, path, tokens, subcommands: Object.keys(subs) };
}

function wantsHelp(tokens: readonly string[]): boolean {
  const end = tokens.indexOf("--");
  return (end < 0 ? tokens : tokens.slice(0, end)).some((t) => t === "--help" || t === "-h");
}

/** `dqctl help [command [sub]]`. */
async function help(words: string[]): Promise<number> {
  if (!words.length) {
    process.stdout.write(renderTopHelp(VERSION, commandSummaries()));
    return 0;
  }
  const r = await resolveCommand(words[0]!, words.slice(1));
  if (r.tokens.length) throw new ConfigError(`no help topic "${words.join(" ")}"`, `try \`dqctl help ${r.path}\``);
  process.stdout.write(await renderCommandHelp(r.cmd, r.path));
  return 0;
}

/** Run the CLI; returns the exit code (the caller exits). */
export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes("--verbose");
  let command: string | undefined;
  try {
    const { globals, rest } = leadingGlobals(argv, true);
    const first = rest[0];
    if (first === undefined) {
      if (globals.includes("--version")) {
        process.stdout.write(`${VERSION}\n`);
        return 0;
      }
      process.stdout.write(renderTopHelp(VERSION, commandSummaries()));
      return globals.includes("--help") || globals.includes("-h") ? 0 : 3;
    }
    if (first === "-v" || first === "version") {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (first === "help") return await help(rest.slice(1));
    const r = await resolveCommand(first, [...globals, ...rest.slice(1)]);
    command = r.path;
    if (wantsHelp(r.tokens)) {
      process.stdout.write(await renderCommandHelp(r.cmd, r.path));
      return 0;
    }
    const args = parseArgv(r.tokens, ((await resolve(r.cmd.args)) ?? {}) as ArgsDef, {
      where: `dqctl ${r.path}`,
      ...(r.subcommands ? { subcommands: r.subcommands } : {}),
      examples: helpOf(r.cmd)?.examples ?? [],
    });
    if (!r.cmd.run) throw new ConfigError(`\`dqctl ${r.path}\` needs a subcommand`, `run \`dqctl ${r.path} --help\``);
    const result = await r.cmd.run({ rawArgs: r.tokens, args: args as never, cmd: r.cmd });
    return typeof result === "number" ? result : 0;
  } catch (err) {
    const e = asDqError(err);
    process.stderr.write(`dqctl: ${e.oneLine()}\n`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${redactSecrets(err.stack)}\n`);
    // Loaded here, not at the top: --version and --help never load the renderers.
    const { emitErrorSummary } = await import("./_output.ts");
    emitErrorSummary(argv, e, command);
    return e instanceof DqError ? e.exitCode : 3;
  } finally {
    // Only a command that ran can have opened a store (a connection to PostgreSQL would keep the process alive).
    if (command) {
      await (await import("../src/store/open.ts")).closeStores();
      await (await import("../src/cache/open.ts")).closeCaches();
    }
  }
}
