/** Typed errors: every operational failure carries the exit code and one line of advice. */
import { redactSecrets } from "./redact.ts";

export type ErrorKind = "config" | "input" | "vendor" | "lock" | "usage";

/** Where an error points, for dashboards: all optional, set by the thrower where it knows them. */
export interface ErrorLocation {
  /** A stable slug more specific than the kind (e.g. `bad_row`, `not_found`); default: the kind. */
  code?: string;
  symbol?: string;
  file?: string;
  line?: number;
  column?: string | number;
  field?: string;
}

/** Constructor options of every DqError: the cause, plus where the error points. */
export type DqErrorOptions = { cause?: unknown } & ErrorLocation;

/** One item of a summary's `errors[]`: the stable code, the one line, and where it points. */
export interface ErrorItem extends ErrorLocation {
  code: string;
  kind: ErrorKind;
  message: string;
}

const LOCATION_KEYS = ["symbol", "file", "line", "column", "field"] as const;

/**
 * The specific codes `errors[]` items carry (besides the kinds, and lowercased errno names such as `enametoolong`).
 * They name operational failures, never findings: finding codes live in src/checks/registry.ts.
 */
export const ERROR_CODES = [
  "bad_row",
  "empty_file",
  "malformed_json",
  "invalid_field",
  "locked",
  "unexpected",
  "not_found",
  "permission_denied",
  "no_space",
  "read_only",
  "vendor_http",
  "doctor",
] as const;

/**
 * Base class: `message` names the thing and the value; `advice` says what to do.
 * Both are redacted here (vendor error bodies echo request URLs with their keys), before the stack captures the message.
 */
export class DqError extends Error {
  readonly exitCode: number = 3;
  readonly advice?: string;
  /** Where the error points (code, symbol, file, line, column, field), as far as the thrower knew. */
  readonly location: ErrorLocation;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    advice?: string,
    options?: DqErrorOptions,
  ) {
    super(redactSecrets(message), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (advice !== undefined) this.advice = redactSecrets(advice);
    const { cause: _cause, ...location } = options ?? {};
    this.location = location;
  }
  /** The stable slug for dashboards: the thrower's specific code, else the kind. */
  get code(): string {
    return this.location.code ?? this.kind;
  }
  /** The one line printed on stderr (redacted again: a secret may have been registered after this error was made). */
  oneLine(): string {
    return redactSecrets(this.advice ? `${this.message} — ${this.advice}` : this.message);
  }
  /** The `errors[]` item of the JSON summary; `extra` fills what the catcher knows (e.g. the series' symbol). */
  toItem(extra: ErrorLocation = {}): ErrorItem {
    const item: ErrorItem = { code: this.code, kind: this.kind, message: this.oneLine() };
    for (const k of LOCATION_KEYS) {
      const v = this.location[k] ?? extra[k];
      if (v !== undefined) (item as unknown as Record<string, unknown>)[k] = v;
    }
    return item;
  }
}

/** A bad flag, value or config file. */
export class ConfigError extends DqError {
  constructor(message: string, advice?: string, options?: DqErrorOptions) {
    super("config", message, advice ?? "fix the flag or config value and run again", options);
  }
}

/** A bad, unreadable or malformed input file, row or symbol. */
export class InputError extends DqError {
  constructor(message: string, advice?: string, options?: DqErrorOptions) {
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
    options?: DqErrorOptions,
  ) {
    super("vendor", message, advice ?? "check the vendor's status, base URL and key, then retry", {
      code: status !== undefined && status >= 400 ? "vendor_http" : "vendor",
      ...(symbol !== undefined ? { symbol } : {}),
      ...options,
    });
  }
}

/** The lakehouse is held by another live writer. */
export class LockError extends DqError {
  constructor(message: string, advice?: string, options?: DqErrorOptions) {
    super("lock", message, advice ?? "wait for that process to finish, or pass --wait-lock 5m", { code: "locked", ...options });
  }
}

/** Wrap anything thrown into a DqError (unknown errors become input errors with their message). */
export function asDqError(err: unknown): DqError {
  if (err instanceof DqError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as NodeJS.ErrnoException).code;
  const path = (e as NodeJS.ErrnoException).path;
  const file = typeof path === "string" ? { file: path } : {};
  if (code === "ENOENT" || code === "EACCES" || code === "EISDIR" || code === "ENOTDIR") {
    return new InputError(e.message, "check the path exists and is readable", {
      cause: e,
      code: code === "EACCES" ? "permission_denied" : "not_found",
      ...file,
    });
  }
  if (code === "ENOSPC" || code === "EROFS") {
    return new InputError(e.message, "free disk space or choose a writable --lakehouse", {
      cause: e,
      code: code === "ENOSPC" ? "no_space" : "read_only",
      ...file,
    });
  }
  if (typeof code === "string" && /^E[A-Z0-9]+$/.test(code)) {
    // Any other filesystem errno (ENAMETOOLONG, EPERM, EIO, EMFILE, …): the message names the call and the path.
    return new InputError(e.message, "check the path, its permissions and the disk", { cause: e, code: code.toLowerCase(), ...file });
  }
  const wrapped = new DqError("input", `unexpected error: ${e.message}`, "run again with --verbose and report the stack trace", {
    cause: e,
    code: "unexpected",
  });
  return wrapped;
}
