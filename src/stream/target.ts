// Stream targets as typed: checked before any work runs, without loading the NATS client (only a run that
// publishes or consumes loads it).
import { ConfigError } from "../errors.ts";
import { registerSecrets } from "../redact.ts";

/** True for a nats:// (or tls://) URL. */
export function isNatsUrl(raw: string): boolean {
  return /^(nats|tls):\/\//i.test(raw.trim());
}

/** The parts of a nats:// URL the client takes; its password or token is registered as a secret first. */
export function parseNatsUrl(raw: string, label: string): { server: string; user?: string; pass?: string; token?: string; shown: string } {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${label}: "${raw}" is not a URL`, "write e.g. nats://127.0.0.1:4222");
  }
  if (u.protocol !== "nats:" && u.protocol !== "tls:") throw new ConfigError(`${label}: "${raw}" is not a nats:// URL`, "write e.g. nats://127.0.0.1:4222");
  if (!u.hostname) throw new ConfigError(`${label}: "${raw}" names no host`, "write e.g. nats://127.0.0.1:4222");
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  registerSecrets([pass || undefined, !pass && user ? user : undefined]);
  const server = `${u.hostname}:${u.port || "4222"}`;
  const shown = `${u.protocol}//${server}`;
  // nats://TOKEN@host is a token; nats://user:pass@host a user and password.
  if (user && !pass) return { server, token: user, shown };
  return { server, ...(user ? { user, pass } : {}), shown };
}

/** Refuse an --emit target that is neither nats:// nor http(s):// before anything runs. */
export function checkEmitTarget(raw: string): void {
  if (isNatsUrl(raw)) {
    parseNatsUrl(raw, "--emit");
    return;
  }
  let u: URL | undefined;
  try {
    u = new URL(raw);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== "http:" && u.protocol !== "https:"))
    throw new ConfigError(
      `--emit: "${raw}" is not a nats:// or http(s):// URL`,
      "write e.g. --emit nats://127.0.0.1:4222 or --emit http://127.0.0.1:5000/api/v1/lineage",
    );
}
