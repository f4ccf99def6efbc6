/** Typed errors: every operational failure carries the exit code and one line of advice. */
import { redactSecrets } from "./redact.ts";

export type ErrorKind = "config" | "input" | "vendor" | "lock" | "usage";

/**
 * Base class: `message` names the thing and the value; `advice` says what to do.
 * Both are redacted here (vendor error bodies echo request URLs with their keys), before the stack captures the message.
 */
export class DqError extends Error {
  readonly exitCode: number = 3;
  readonly advice?: string;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    advice?: string,
    options?: { cause?: unknown },
  ) {
    super(redactSecrets(message), options);
    this.name = new.target.name;
    if (advice !== undefined) this.advice = redactSecrets(advice);
  }
  /** The one line printed on stderr (redacted again: a secret may have been registered after this error was made). */
  oneLine(): string {
    return redactSecrets(this.advice ? `${this.message} — ${this.advice}` : this.message);
  }
}

/** A bad flag, value or config file. */
export class ConfigError extends DqError {
  constructor(message: string, advice?: string, options?: { cause?: unknown }) {
    super("config", message, advice ?? "fix the flag or config value and run again", options);
  }
}

/** A bad, unreadable or malformed input file, row or symbol. */
export class InputError extends DqError {
  constructor(message: string, advice?: string, options?: { cause?: unknown }) {
    super("input", message, advice ?? "fix or replace the input and run again", options);
  }
}

/** A vendor that still fails after its retries, or answers with something malformed. */
export class VendorError extends DqError {
  constructor(
    message: string,
    readonly vendor: string,
    readonly symbol?: string,
    readonly status?: number,
    readonly attempts?: number,
    advice?: string,
    options?: { cause?: unknown },
  ) {
    super("vendor", message, advice ?? "check the vendor's status, base URL and key, then retry", options);
  }
}

/** The lakehouse is held by another live writer. */
export class LockError extends DqError {
  constructor(message: string, advice?: string) {
    super("lock", message, advice ?? "wait for that process to finish, or pass --wait-lock 5m");
  }
}

/** Wrap anything thrown into a DqError (unknown errors become input errors with their message). */
export function asDqError(err: unknown): DqError {
  if (err instanceof DqError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "EACCES" || code === "EISDIR" || code === "ENOTDIR") {
    return new InputError(e.message, "check the path exists and is readable", { cause: e });
  }
  if (code === "ENOSPC" || code === "EROFS") {
    return new InputError(e.message, "free disk space or choose a writable --lakehouse", { cause: e });
  }
  const wrapped = new DqError("input", `unexpected error: ${e.message}`, "run again with --verbose and report the stack trace", { cause: e });
  return wrapped;
}
