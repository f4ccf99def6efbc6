import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseDocument } from "yaml";
import { ConfigError } from "../errors.ts";
import { JsonSyntaxError, parseJson } from "./json.ts";
import type { Config } from "./schema.ts";
import { validateConfig } from "./validate.ts";

export const DEFAULT_CONFIG_FILE = "dqctl.config.json";
/** Looked for in the working folder when --config is not given, in this order (more than one is ambiguous). */
export const DEFAULT_CONFIG_FILES = [DEFAULT_CONFIG_FILE, "dqctl.config.yaml", "dqctl.config.yml"] as const;

const isYaml = (path: string) => /\.ya?ml$/i.test(path);

/** Parse config text: JSON or YAML by extension; a syntax error names `shown:line:column`. */
export function parseConfigText(text: string, path: string, shown: string): unknown {
  if (isYaml(path)) {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const what = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      throw new ConfigError(`${shown}${pos ? `:${pos.line}:${pos.col}` : ""}: malformed YAML: ${what}`, "fix the YAML at that line and column");
    }
    return doc.toJS() ?? {}; // a file of comments only is an empty config
  }
  try {
    return parseJson(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new ConfigError(`${shown}:${err.line}:${err.column}: malformed JSON: ${err.message}`, "fix the JSON at that line and column", { cause: err });
  }
}

/** Load and validate the config: `file` when given (must exist), else dqctl.config.{json,yaml,yml} when present, else {}. */
export function loadConfig(file: string | undefined, cwd = process.cwd()): { config: Config; path?: string } {
  let path = file;
  let shown = file ?? "";
  if (path === undefined) {
    const present = DEFAULT_CONFIG_FILES.filter((f) => existsSync(join(cwd, f)));
    if (present.length > 1) throw new ConfigError(`${present.join(" and ")} both exist in ${cwd}`, "keep one config file, or pass --config FILE");
    if (!present.length) return { config: {} };
    path = join(cwd, present[0]!);
    shown = basename(path);
  }
  if (!/\.(json|ya?ml)$/i.test(path))
    throw new ConfigError(`--config: ${path} is not a .json, .yaml or .yml file`, "name the config file e.g. dqctl.config.json or dqctl.config.yaml");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`config file ${code === "ENOENT" ? "not found" : `not readable (${code ?? "error"})`}: ${shown}`, "check the --config path", {
      cause: err,
    });
  }
  return { config: validateConfig(parseConfigText(text, path, shown), shown), path };
}
