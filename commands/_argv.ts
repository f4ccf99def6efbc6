// The strict argv parser every command goes through: known flags only (with a suggestion), `--flag value` and
// `--flag=value` alike, no stray positionals, required flags named with an example, global flags anywhere.
import type { ArgDef, ArgsDef } from "citty";
import { ConfigError } from "../src/errors.ts";
import { suggestion } from "../src/suggest.ts";
import { globalArgs, OPTIONAL_VALUE } from "./_shared.ts";

/** Parsed flags by name (kebab-case, as declared) and positionals by name; `_` holds them in order. */
export type ParsedFlags = { _: string[]; [name: string]: string | boolean | string[] | undefined };

/** What the parser needs to know about the command besides its flags. */
export interface ParseContext {
  /** e.g. `dqctl snapshot verify` */
  where: string;
  /** Subcommand names (a stray word is then an unknown subcommand). */
  subcommands?: readonly string[];
  /** Help examples: the example value of a missing required flag comes from them. */
  examples?: readonly string[];
}

const aliasesOf = (def: ArgDef): string[] => {
  const a = (def as { alias?: string | string[] }).alias;
  return Array.isArray(a) ? a : a ? [a] : [];
};

/** Flags whose repeats add up (`--symbols A --symbols B` = `--symbols A,B`) rather than conflict. */
const isList = (def: ArgDef) => def.valueHint === "LIST" || def.valueHint === "FILES";

const isFlagToken = (t: string) => t.startsWith("--") || (t.startsWith("-") && t.length === 2 && /[a-z]/i.test(t[1]!));

/** Map every spelling (name, aliases) to the declared name. */
function index(defs: ArgsDef): Map<string, string> {
  const m = new Map<string, string>();
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") continue;
    m.set(name, name);
    for (const a of aliasesOf(def)) m.set(a, name);
  }
  return m;
}

/**
 * Split off the global flags written before the command (`dqctl --json audit`). Stops at the first word; a flag
 * that is not global is refused when `strict` (before the command), or ends the scan otherwise.
 */
export function leadingGlobals(tokens: readonly string[], strict: boolean): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  const names = index(globalArgs);
  let i = 0;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === "--help" || t === "-h" || t === "--version") {
      globals.push(t);
      continue;
    }
    if (!t.startsWith("--")) break;
    const [raw, eq] = splitEq(t);
    const name =
      names.get(raw) ?? (raw.startsWith("no-") && globalArgs[raw.slice(3) as keyof typeof globalArgs]?.type === "boolean" ? raw.slice(3) : undefined);
    if (!name) {
      if (!strict) break;
      throw new ConfigError(
        `--${raw} is not a global flag, so it cannot come before the command${suggestion(raw, names.keys(), "--")}`,
        "write command flags after the command, e.g. dqctl audit --symbols BINANCE:BTCUSDT",
      );
    }
    globals.push(t);
    const def = globalArgs[name as keyof typeof globalArgs] as ArgDef;
    if (def.type === "boolean" || eq !== undefined) continue;
    const next = tokens[i + 1];
    const opt = OPTIONAL_VALUE[name];
    if (opt) {
      // Spelled out, so the word after the command is never taken for this flag's value.
      globals[globals.length - 1] = `--${name}=${next !== undefined && opt.values.includes(next) ? tokens[++i]! : opt.implied}`;
      continue;
    }
    if (next === undefined || isFlagToken(next)) throw new ConfigError(`--${name} needs a value`, `write e.g. --${name} ${def.valueHint ?? "VALUE"}`);
    globals.push(tokens[++i]!);
  }
  return { globals, rest: tokens.slice(i) };
}

function splitEq(t: string): [string, string | undefined] {
  const body = t.replace(/^--?/, "");
  const k = body.indexOf("=");
  return k < 0 ? [body, undefined] : [body.slice(0, k), body.slice(k + 1)];
}

/** The example value of `--flag` in the help examples, e.g. `fixtures/scanners/crypto.yaml` for --scanner. */
function exampleValue(flag: string, examples: readonly string[] = []): string | undefined {
  for (const ex of examples) {
    const m = new RegExp(`--${flag}(?:=|\\s+)("[^"]*"|\\S+)`).exec(ex);
    if (m) return m[1];
  }
  return undefined;
}

/** Parse `tokens` against `defs`; every problem is a ConfigError (exit 3, one line). */
export function parseArgv(tokens: readonly string[], defs: ArgsDef, ctx: ParseContext): ParsedFlags {
  const names = index(defs);
  const positionals = Object.entries(defs).filter(([, d]) => d.type === "positional");
  const out: ParsedFlags = { _: [] };
  const seen = new Map<string, string>();
  const set = (name: string, value: string | boolean) => {
    const def = defs[name]!;
    const prev = seen.get(name);
    if (typeof value === "string" && prev !== undefined) {
      if (isList(def)) value = `${prev},${value}`;
      else if (prev !== value) throw new ConfigError(`--${name} given twice ("${prev}" and "${value}")`, `pass --${name} once`);
    }
    if (typeof value === "string") seen.set(name, value);
    out[name] = value;
  };
  let rest = false;
  let lastBoolean: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!rest && t === "--") {
      rest = true;
      continue;
    }
    if (!rest && isFlagToken(t)) {
      lastBoolean = undefined;
      const [raw, eq] = splitEq(t);
      let name = names.get(raw);
      let negated = false;
      if (!name && raw.startsWith("no-") && defs[raw.slice(3)]?.type === "boolean") {
        name = raw.slice(3);
        negated = true;
      }
      if (!name)
        throw new ConfigError(
          `unknown flag ${t.split("=")[0]} for \`${ctx.where}\`${suggestion(raw, names.keys(), "--")}`,
          `run \`${ctx.where} --help\` to see its flags`,
        );
      const def = defs[name]!;
      if (def.type === "boolean") {
        if (eq === undefined) {
          set(name, !negated);
          lastBoolean = name;
        } else if (!negated && /^(true|false)$/i.test(eq)) set(name, eq.toLowerCase() === "true");
        else throw new ConfigError(`--${raw} takes no value (got "${eq}")`, `write --${name} on its own${negated ? "" : ` or --no-${name}`}`);
        continue;
      }
      let value = eq;
      const opt = OPTIONAL_VALUE[name];
      if (value === undefined && opt) {
        const next = tokens[i + 1];
        // The next word is this flag's value when it is one of its values, or when nothing else could take it.
        const slotsLeft = positionals.length > out._.length;
        if (next !== undefined && !isFlagToken(next) && (opt.values.includes(next) || !slotsLeft)) value = tokens[++i]!;
        else value = opt.implied;
      }
      if (value === undefined) {
        const next = tokens[i + 1];
        if (next === undefined || isFlagToken(next))
          throw new ConfigError(`--${name} needs a value`, `write e.g. --${name} ${exampleValue(name, ctx.examples) ?? def.valueHint ?? "VALUE"}`);
        value = tokens[++i]!;
      }
      if (value === "")
        throw new ConfigError(
          `--${name} needs a value (got an empty one)`,
          `write e.g. --${name} ${exampleValue(name, ctx.examples) ?? def.valueHint ?? "VALUE"}`,
        );
      const allowed = opt?.values ?? (def.type === "enum" ? def.options : undefined);
      if (allowed && !allowed.includes(value))
        throw new ConfigError(
          `--${name}: "${value}" is not ${allowed.join(" or ")}${suggestion(value, allowed)}`,
          `write e.g. --${name}=${allowed[allowed.length - 1]}`,
        );
      set(name, value);
      continue;
    }
    // A word: the next positional, else an error.
    if (out._.length < positionals.length) {
      out[positionals[out._.length]![0]] = t;
      out._.push(t);
      continue;
    }
    const subs = ctx.subcommands ?? [];
    if (subs.length && out._.length === 0 && !rest) {
      throw new ConfigError(
        `unknown subcommand "${t}" for \`${ctx.where}\`${suggestion(t, subs)}`,
        `use one of: ${subs.map((s) => `${ctx.where} ${s}`).join(", ")}`,
      );
    }
    const why = lastBoolean
      ? `--${lastBoolean} takes no value`
      : `\`${ctx.where}\` takes ${positionals.length ? `${positionals.length} argument${positionals.length > 1 ? "s" : ""}` : "no arguments"}; flags are written --name value`;
    throw new ConfigError(`unexpected argument "${t}" for \`${ctx.where}\``, `${why} (run \`${ctx.where} --help\`)`);
  }
  for (const [name, def] of Object.entries(defs)) {
    if (out[name] === undefined && def.default !== undefined) out[name] = def.default as string | boolean;
    if (out[name] !== undefined || !def.required) continue;
    const cmd = ctx.where.replace(/^dqctl /, "");
    if (def.type === "positional") {
      const ex = ctx.examples?.find((e) => e.startsWith(`${ctx.where} `));
      throw new ConfigError(
        `${(def.valueHint ?? name).toUpperCase()} is required for ${cmd}`,
        ex ? `write e.g. ${ex}` : `write ${ctx.where} ${def.valueHint ?? name.toUpperCase()}`,
      );
    }
    throw new ConfigError(`--${name} is required for ${cmd}`, `pass e.g. --${name} ${exampleValue(name, ctx.examples) ?? def.valueHint ?? "VALUE"}`);
  }
  return out;
}
