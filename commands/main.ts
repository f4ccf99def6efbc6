// The entry: lazy subcommands, strict flag checking, and the one place that maps errors to exit codes.
import { type ArgsDef, type CommandDef, renderUsage, runCommand } from "citty";
import { ConfigError, DqError, asDqError } from "../src/errors.ts";
import { redactSecrets } from "../src/redact.ts";
import { VERSION } from "../src/version.ts";
import { globalArgs } from "./_shared.ts";

type Lazy = () => Promise<CommandDef<ArgsDef>>;
const load = <T>(p: Promise<{ default: T }>) => p.then((m) => m.default as CommandDef<ArgsDef>);

/** Subcommands, loaded on demand so `--version`/`--help` start fast and never touch Parquet. */
export const SUBCOMMANDS = {
  scan: { lazy: () => load(import("./scan.ts")), description: "Run scanner configs and write export/<run-id>/candidates.json" },
  ingest: { lazy: () => load(import("./ingest.ts")), description: "Fetch bars from a vendor into the lakehouse (idempotent, atomic)" },
  repair: { lazy: () => load(import("./repair.ts")), description: "Refetch calendar gaps, newest first; record genesis" },
  audit: { lazy: () => load(import("./audit.ts")), description: "The health gate over the lakehouse" },
  snapshot: { lazy: () => load(import("./snapshot.ts")), description: "Copy what a run reads into an immutable run folder with a returns matrix; `snapshot verify DIR` proves it unchanged" },
  bootstrap: { lazy: () => load(import("./bootstrap.ts")), description: "Hydrate a multi-vendor pricing dataset into the cache with quality findings (seed 004)" },
  lineage: { lazy: () => load(import("./lineage.ts")), description: "The data lineage & SLA document with measured freshness and completeness; --format openlineage for RunEvents" },
  flow: { lazy: () => load(import("./flow.ts")), description: "scan → ingest → repair → audit in one run, the audit a hard gate" },
  calendar: { lazy: () => load(import("./calendar.ts")), description: "List sessions, holidays and early closes of a profile" },
  reference: { lazy: () => load(import("./reference.ts")), description: "Reference data; `reference check` validates instruments.json, sessions.json and holidays.json" },
  schema: { lazy: () => load(import("./schema.ts")), description: "Print the JSON Schema of the --json summary" },
} as const satisfies Record<string, { lazy: Lazy; description: string }>;
const COMMANDS: Record<string, { lazy: Lazy; description: string }> = SUBCOMMANDS;

function topUsage(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((k) => k.length));
  const lines = Object.entries(SUBCOMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.description}`);
  return [
    `dqctl ${VERSION} — market-data pipeline and data-quality gate`,
    "",
    "USAGE dqctl <command> [flags]",
    "",
    "COMMANDS",
    ...lines,
    "",
    "Global flags: --lakehouse DIR --config FILE --json --fail-on-quality[=error|warning] --now ISO --wait-lock DURATION --quiet --verbose",
    "Exit codes: 0 done, 1 warnings (--fail-on-quality=warning), 2 quality gate failed, 3 operational error",
    "Run `dqctl <command> --help` for a command's flags.",
    "",
  ].join("\n");
}

/** `--fail-on-quality` may stand alone; make it explicit so the parser never eats the next token. */
function normalise(argv: string[]): string[] {
  return argv.map((a) => (a === "--fail-on-quality" ? "--fail-on-quality=error" : a));
}

/** Refuse flags a command does not declare (citty would silently ignore them). */
function assertKnownFlags(argv: string[], args: ArgsDef, where: string): void {
  const known = new Set<string>();
  for (const [name, def] of Object.entries(args)) {
    known.add(name);
    const alias = (def as { alias?: string | string[] }).alias;
    for (const a of Array.isArray(alias) ? alias : alias ? [alias] : []) known.add(a);
    if (def.type === "boolean") known.add(`no-${name}`);
  }
  for (const a of argv) {
    if (a === "--") break;
    if (!a.startsWith("-") || a === "-") continue;
    const name = a.replace(/^--?/, "").split("=")[0]!;
    if (!known.has(name) && name !== "help" && name !== "h") {
      throw new ConfigError(`unknown flag ${a.split("=")[0]} for \`${where}\``, `run \`${where} --help\` to see its flags`);
    }
  }
}

/** citty colours its usage text; keep it only on a terminal that allows colour. */
function plain(text: string): string {
  return process.stdout.isTTY && !process.env.NO_COLOR ? text : text.replace(/\x1b\[[0-9;]*m/g, "");
}

/** Run the CLI; returns the exit code (the caller exits). */
export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes("--verbose");
  let command: string | undefined;
  try {
    const args = normalise(argv);
    const first = args[0];
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      process.stdout.write(topUsage());
      return first === undefined ? 3 : 0;
    }
    if (first === "--version" || first === "-v" || first === "version") {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const sub = COMMANDS[first];
    if (!sub) throw new ConfigError(`unknown command "${first}"`, `run \`dqctl --help\` to list commands (${Object.keys(SUBCOMMANDS).join(", ")})`);
    let cmd = await sub.lazy();
    let rest = args.slice(1);
    let where = `dqctl ${first}`;
    command = first;
    // Nested subcommands (e.g. `snapshot verify`).
    const subs = (typeof cmd.subCommands === "function" ? await cmd.subCommands() : await cmd.subCommands) as Record<string, CommandDef<ArgsDef>> | undefined;
    if (subs && rest[0] && subs[rest[0]]) {
      where += ` ${rest[0]}`;
      command = `${first} ${rest[0]}`;
      cmd = subs[rest[0]]!;
      rest = rest.slice(1);
    }
    const cmdArgs = ((typeof cmd.args === "function" ? await cmd.args() : await cmd.args) ?? {}) as ArgsDef;
    if (rest.includes("--help") || rest.includes("-h")) {
      const usage = await renderUsage({ ...cmd, subCommands: undefined, meta: { name: where, description: ((await cmd.meta) as { description?: string } | undefined)?.description } });
      process.stdout.write(`${plain(usage)}\n`);
      return 0;
    }
    assertKnownFlags(rest, cmdArgs, where);
    const { result } = await runCommand({ ...cmd, subCommands: undefined }, { rawArgs: rest });
    return typeof result === "number" ? result : 0;
  } catch (err) {
    const e = asDqError(err);
    process.stderr.write(`dqctl: ${e.oneLine()}\n`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${redactSecrets(err.stack)}\n`);
    // Loaded here, not at the top: --version and --help never load the renderers.
    const { emitErrorSummary } = await import("./_output.ts");
    emitErrorSummary(argv, e, command);
    return e instanceof DqError ? e.exitCode : 3;
  }
}

export { globalArgs };
