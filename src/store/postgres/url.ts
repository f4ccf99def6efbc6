// A PostgreSQL store's URL: postgres://user[:password]@host[:port]/db[?schema=name][&pushdown=on]. The password never leaves here
// except into the client's options; `location` is the URL without it.
import { ConfigError } from "../../errors.ts";
import { redactSecrets } from "../../redact.ts";

/** True when `spec` names a PostgreSQL store (not a lakehouse folder). */
export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/** What the client needs, and the URL to show. */
export interface PgTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  /** The PostgreSQL schema dqctl's tables live in (default `dqctl`). */
  schema: string;
  /**
   * Whether audit asks the server for the pushed-down checks' evidence (`pushdown=on`; default off: audit reads every
   * row anyway for the checks SQL does not answer, so the SQL is extra work; see the README's "Checks in SQL").
   */
  pushdown: boolean;
  /** The URL without the password, for messages, lineage and manifests. */
  location: string;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Parse a store URL; a malformed one is a ConfigError naming it (without its password). */
export function parsePgUrl(spec: string): PgTarget {
  const shown = redactSecrets(spec);
  const bad = (why: string) =>
    new ConfigError(`--store ${shown}: not a PostgreSQL URL (${why})`, "write it as postgres://user[:password]@host[:port]/database[?schema=name]");
  let u: URL;
  try {
    u = new URL(spec);
  } catch {
    throw bad("it does not parse as a URL");
  }
  if (!u.hostname) throw bad("no host");
  const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (!database || database.includes("/")) throw bad("no database: add /NAME after the host");
  const port = u.port ? Number(u.port) : 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(`port ${u.port}`);
  for (const k of u.searchParams.keys()) if (k !== "schema" && k !== "pushdown") throw bad(`unknown parameter ${k}: only schema= and pushdown= are read`);
  const pushdown = u.searchParams.get("pushdown") ?? "off";
  if (pushdown !== "on" && pushdown !== "off") throw bad(`pushdown=${pushdown}: write pushdown=on or pushdown=off`);
  const schema = u.searchParams.get("schema") ?? "dqctl";
  if (!IDENT.test(schema)) throw bad(`schema "${schema}" is not a plain lower-case identifier`);
  const user = decodeURIComponent(u.username) || "postgres";
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const location = `postgres://${encodeURIComponent(user)}@${u.host}/${encodeURIComponent(database)}${schema === "dqctl" ? "" : `?schema=${schema}`}`;
  return { host, port, database, user, ...(password !== undefined ? { password } : {}), schema, pushdown: pushdown === "on", location };
}
