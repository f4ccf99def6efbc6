// A cache URL: redis://[user:password@]host[:port][/db][?prefix=name&timeout=DURATION]. The password never leaves
// here except into AUTH; `location` is the URL without it.
import { ConfigError } from "../errors.ts";
import { parseDuration } from "../model/parse.ts";
import { redactSecrets } from "../redact.ts";

/** What the client needs, and the URL to show. */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  user?: string;
  password?: string;
  /** Every key dqctl writes starts with it (default `dqctl:`), so one Redis can serve several teams or tests. */
  prefix: string;
  /** How long one operation (or the connect) may take before the cache is declared down for the run. */
  timeoutMs: number;
  location: string;
}

const DEFAULT_TIMEOUT_MS = 1000;

/** True when `spec` names a Redis cache. */
export function isRedisUrl(spec: string): boolean {
  return /^rediss?:\/\//i.test(spec);
}

/** Parse a cache URL; a malformed one is a ConfigError naming it (without its password). */
export function parseRedisUrl(spec: string, label = "--cache"): RedisTarget {
  const shown = redactSecrets(spec);
  const bad = (why: string) =>
    new ConfigError(`${label} ${shown}: not a Redis URL (${why})`, "write it as redis://[user:password@]host[:port][/db][?prefix=name&timeout=1s]");
  if (/^rediss:/i.test(spec)) throw bad("TLS (rediss://) is not supported: use redis:// on a trusted network or a local TLS tunnel");
  if (!isRedisUrl(spec)) throw bad("it does not start with redis://");
  let u: URL;
  try {
    u = new URL(spec);
  } catch {
    throw bad("it does not parse as a URL");
  }
  if (!u.hostname) throw bad("no host");
  const port = u.port ? Number(u.port) : 6379;
  const dbText = u.pathname.replace(/^\//, "") || "0";
  if (!/^\d{1,5}$/.test(dbText)) throw bad(`database "${dbText}" is not a number such as /0`);
  for (const k of u.searchParams.keys()) if (k !== "prefix" && k !== "timeout") throw bad(`unknown parameter ${k}: only prefix= and timeout= are read`);
  const prefix = u.searchParams.get("prefix") ?? "dqctl:";
  if (!/^[\w.:-]{1,64}$/.test(prefix)) throw bad(`prefix "${prefix}" must be 1–64 letters, digits, _ . : -`);
  const timeoutRaw = u.searchParams.get("timeout");
  const timeoutMs = timeoutRaw === null ? DEFAULT_TIMEOUT_MS : parseDuration(timeoutRaw, `${label} timeout=`);
  const user = u.username ? decodeURIComponent(u.username) : undefined;
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const query = u.search ? u.search : "";
  const location = `redis://${user ? `${encodeURIComponent(user)}@` : ""}${u.host}/${Number(dbText)}${query}`;
  return {
    host,
    port,
    db: Number(dbText),
    ...(user ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
    prefix,
    timeoutMs: Math.max(1, timeoutMs),
    location,
  };
}
