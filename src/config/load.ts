import { existsSync, readFileSync } from "node:fs";
import { ConfigError } from "../errors.ts";
import { validate } from "../lakehouse/catalog.ts";
import { type Config, ConfigSchema } from "./schema.ts";

export const DEFAULT_CONFIG_FILE = "dqctl.config.json";

/** Load and validate the config: `file` when given (must exist), else dqctl.config.json when present, else {}. */
export function loadConfig(file: string | undefined, cwd = process.cwd()): { config: Config; path?: string } {
  const path = file ?? (existsSync(`${cwd}/${DEFAULT_CONFIG_FILE}`) ? `${cwd}/${DEFAULT_CONFIG_FILE}` : undefined);
  if (!path) return { config: {} };
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`config file not readable: ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`, "check the --config path", { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: malformed JSON (${(err as Error).message})`, "fix the JSON syntax of the config file", { cause: err });
  }
  return { config: validate(ConfigSchema, raw, path, "fix that field of the config file (see README, Configuration)", ConfigError), path };
}
