// Help that teaches: the command's own flags first (required ones in USAGE), then the global flags, the
// subcommands, defaults, and examples that run as written from the repository root.
import type { ArgDef, ArgsDef, CommandDef } from "citty";
import { globalArgs } from "./_shared.ts";

/** What a command's help adds to its flags. */
export interface CommandHelp {
  /** USAGE line(s) when the flags alone cannot say it (e.g. "--symbols or --candidates"). */
  usage?: string[];
  /** Two or three command lines that work as written. */
  examples: string[];
  /** Extra lines after the flags. */
  notes?: string[];
}

const HELP = new WeakMap<object, CommandHelp>();

/** Attach help (examples, usage) to a command definition; returns the definition. */
export function withHelp<T extends object>(cmd: T, help: CommandHelp): T {
  HELP.set(cmd, help);
  return cmd;
}

/** The help attached to `cmd`, if any. */
export function helpOf(cmd: object): CommandHelp | undefined {
  return HELP.get(cmd);
}

/** Resolve citty's "value, promise or function" fields. */
export async function resolve<T>(x: T | Promise<T> | (() => T | Promise<T>) | undefined): Promise<T | undefined> {
  return typeof x === "function" ? await (x as () => T | Promise<T>)() : await x;
}

const isGlobal = (name: string, def: ArgDef) => (globalArgs as Record<string, ArgDef>)[name] === def;

function flagLabel(name: string, def: ArgDef): string {
  if (def.type === "positional") return (def.valueHint ?? name).toUpperCase();
  const alias = (def as { alias?: string | string[] }).alias;
  const aliases = (Array.isArray(alias) ? alias : alias ? [alias] : []).map((a) => (a.length === 1 ? `-${a}` : `--${a}`));
  const hint = def.type === "boolean" ? "" : ` ${def.valueHint ?? "VALUE"}`;
  return [`--${name}${hint}`, ...aliases].join(", ");
}

function flagText(def: ArgDef): string {
  let t = def.description ?? "";
  if (def.required) t += " (required)";
  if (def.default !== undefined && def.type !== "boolean") t += ` (default: ${def.default})`;
  return t;
}

function table(rows: [string, string][], indent = "  "): string[] {
  const width = Math.min(34, Math.max(0, ...rows.map(([l]) => l.length)));
  return rows.map(([l, r]) => (l.length > width ? `${indent}${l}\n${indent}${" ".repeat(width)}  ${r}` : `${indent}${l.padEnd(width)}  ${r}`));
}

/** The USAGE line computed from the flags: required flags and positionals spelled out. */
function usageLine(path: string, args: ArgsDef, hasSubs: boolean): string {
  const parts = [`dqctl ${path}`];
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") parts.push(def.required ? flagLabel(name, def) : `[${flagLabel(name, def)}]`);
    else if (def.required) parts.push(flagLabel(name, def));
  }
  parts.push("[flags]");
  return hasSubs ? `${parts.join(" ")}\n  dqctl ${path} <subcommand> …` : parts.join(" ");
}

/** `dqctl <path> --help`. */
export async function renderCommandHelp(cmd: CommandDef<ArgsDef>, path: string): Promise<string> {
  const meta = (await resolve(cmd.meta)) ?? {};
  const args = ((await resolve(cmd.args)) ?? {}) as ArgsDef;
  const subs = (await resolve(cmd.subCommands)) as Record<string, CommandDef<ArgsDef>> | undefined;
  const help = helpOf(cmd);
  const own = Object.entries(args).filter(([n, d]) => !isGlobal(n, d));
  const globals = Object.entries(args).filter(([n, d]) => isGlobal(n, d));
  const out = [`dqctl ${path} — ${meta.description ?? ""}`, "", "USAGE"];
  out.push(...(help?.usage ?? [usageLine(path, args, subs !== undefined)]).map((u) => `  ${u}`));
  if (subs) {
    out.push("", "SUBCOMMANDS");
    const rows: [string, string][] = [];
    for (const [name, sub] of Object.entries(subs)) {
      const sm = (await resolve(sub.meta)) ?? {};
      rows.push([`${name}`, `${sm.description ?? ""} (dqctl ${path} ${name} --help)`]);
    }
    out.push(...table(rows));
  }
  if (own.length) out.push("", "FLAGS", ...table(own.map(([n, d]) => [flagLabel(n, d), flagText(d)])));
  if (globals.length) out.push("", "GLOBAL FLAGS (before or after the command)", ...table(globals.map(([n, d]) => [flagLabel(n, d), flagText(d)])));
  if (help?.notes?.length) out.push("", ...help.notes);
  if (help?.examples.length) out.push("", "EXAMPLES", ...help.examples.map((e) => `  ${e}`));
  out.push("", EXIT_CODES, "");
  return out.join("\n");
}

export const EXIT_CODES = "EXIT CODES  0 done · 1 warnings (with --fail-on-quality=warning) · 2 quality gate failed · 3 operational error (one line on stderr)";

/** One row of the top-level command list. */
export interface CommandSummary {
  name: string;
  description: string;
  subcommands?: Record<string, string>;
}

/** `dqctl --help`. */
export function renderTopHelp(version: string, commands: readonly CommandSummary[]): string {
  const rows: [string, string][] = [];
  for (const c of commands) {
    rows.push([c.name, c.description]);
    for (const [s, d] of Object.entries(c.subcommands ?? {})) rows.push([`${c.name} ${s}`, d]);
  }
  const globals = Object.entries(globalArgs as Record<string, ArgDef>).map(([n, d]): [string, string] => [flagLabel(n, d), flagText(d)]);
  return [
    `dqctl ${version} — market-data pipeline and data-quality gate`,
    "",
    "USAGE",
    "  dqctl <command> [flags]      global flags may come before or after the command",
    "  dqctl help <command>         a command's flags, defaults and examples (= dqctl <command> --help)",
    "",
    "COMMANDS",
    ...table(rows),
    "",
    "GLOBAL FLAGS",
    ...table(globals),
    "",
    "EXAMPLES",
    "  dqctl init                                   starter config, reference files, scanner and CI workflow",
    "  dqctl flow --scanner fixtures/scanners/crypto.yaml --vendor file --source fixtures/demo --fail-on-quality",
    "  dqctl audit --fail-on-quality=warning --json > summary.json",
    "  dqctl explain gap                            what a finding code means and how to tune it",
    "",
    EXIT_CODES,
    "",
  ].join("\n");
}
