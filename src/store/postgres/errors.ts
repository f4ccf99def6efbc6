// PostgreSQL failures as dqctl's one-line errors (exit 3): what failed, on which store, and what to do.
import { DqError, InputError } from "../../errors.ts";

const CONNECT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ETIMEDOUT", "CONNECT_TIMEOUT"]);
const LOST = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "ECONNRESET", "EPIPE"]);

/** True when `err` says the connection to the server is gone (nothing more can be sent on it). */
export function isLost(err: unknown): boolean {
  return LOST.has((err as { code?: string })?.code ?? "");
}

/** The DqError for an error the client threw talking to the store at `location` (a DqError passes through). */
export function pgError(err: unknown, location: string, doing: string): DqError {
  if (err instanceof DqError) return err;
  const e = err as { code?: string; message?: string; severity?: string };
  const code = e?.code ?? "";
  const msg = String(e?.message ?? err);
  if (CONNECT.has(code))
    return new InputError(`PostgreSQL store ${location}: cannot connect (${code})`, "start the server, or check host and port in --store / DQCTL_STORE", {
      cause: err,
    });
  if (LOST.has(code))
    return new InputError(
      `PostgreSQL store ${location}: the connection was lost while ${doing} (${code}); the open transaction was rolled back, nothing half-written`,
      "check the server and run again",
      { cause: err },
    );
  if (code === "28P01" || code === "28000")
    return new InputError(`PostgreSQL store ${location}: authentication failed (${msg})`, "check the user and password in --store / DQCTL_STORE", {
      cause: err,
    });
  if (code === "3D000") return new InputError(`PostgreSQL store ${location}: ${msg}`, "create the database, or fix its name in the URL", { cause: err });
  return new InputError(`PostgreSQL store ${location}: ${doing} failed (${code ? `${code}: ` : ""}${msg})`, "check the server's log, then run again", {
    cause: err,
  });
}
