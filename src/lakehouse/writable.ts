import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../errors.ts";

/**
 * Refuse a lakehouse this process cannot write (permissions, read-only mount) before any work starts, instead
 * of failing afterwards on an internal file. A lakehouse that does not exist yet is judged by the folder it
 * would be created in.
 */
export function assertWritableFolder(command: string, lakehouse: string, readOnlyFlag?: string): void {
  let dir = resolve(lakehouse);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) return; // not a folder: the lakehouse reports that itself
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "EACCES";
    const what = dir === resolve(lakehouse) ? `lakehouse ${lakehouse} is not writable` : `lakehouse ${lakehouse} cannot be created: ${dir} is not writable`;
    const advice = readOnlyFlag
      ? `pass ${readOnlyFlag} to ${command} without writing, or fix the folder's permissions`
      : "fix the folder's permissions, or choose a writable --lakehouse";
    throw new ConfigError(`${what} (${code})`, advice, { cause: err });
  }
}
