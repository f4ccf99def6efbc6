import { ConfigError } from "../errors.ts";

/** Longest run id accepted: it names a folder, and some file systems cap a name at 255 bytes. */
export const MAX_RUN_ID_LENGTH = 100;
const PLAIN = /^[A-Za-z0-9._-]+$/;

/**
 * A run id is a single plain folder name: letters, digits, `.`, `_`, `-`, at most 100 characters, not starting
 * with a dot (so never `.`, `..` or a hidden name). Every command that takes `--run-id` checks it here.
 */
export function parseRunId(raw: string, flag = "--run-id"): string {
  const shown = JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
  const refuse = (why: string) =>
    new ConfigError(`${flag} ${shown}: ${why}`, "use letters, digits and . _ - only, not starting with a dot, at most 100 characters (e.g. 2026-11-22-alpha)");
  if (raw === "") throw refuse("is empty");
  if (raw.length > MAX_RUN_ID_LENGTH) throw refuse(`is ${raw.length} characters long (at most ${MAX_RUN_ID_LENGTH})`);
  if (raw.startsWith(".")) throw refuse("starts with a dot");
  if (!PLAIN.test(raw)) throw refuse("is not a plain folder name");
  return raw;
}
