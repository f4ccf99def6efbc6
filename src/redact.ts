// The one redaction mechanism: secrets registered once (vendor keys, URL passwords) and credential-shaped URL parts
// are replaced in every message before it reaches stderr, stdout, runs.jsonl or an error. No runtime-specific code.

/** What a redacted value reads as. */
export const REDACTED = "***";

/** Shorter values are not registered: replacing a 1–3 character string would shred every message. */
const MIN_SECRET_LENGTH = 4;

// Longest first, so a secret that contains another is replaced whole.
let secrets: string[] = [];

/** Register secret values (API keys, passwords); each is also registered in its URL- and JSON-escaped forms. */
export function registerSecrets(values: Iterable<string | undefined>): void {
  const next = new Set(secrets);
  for (const raw of values) {
    if (typeof raw !== "string" || raw.length < MIN_SECRET_LENGTH) continue;
    for (const form of [raw, encodeURIComponent(raw), new URLSearchParams({ k: raw }).toString().slice(2), JSON.stringify(raw).slice(1, -1)]) {
      if (form.length >= MIN_SECRET_LENGTH) next.add(form);
    }
  }
  secrets = [...next].sort((a, b) => b.length - a.length);
}

/** Forget every registered secret (tests). */
export function clearSecrets(): void {
  secrets = [];
}

/** How many secret forms are registered (tests and diagnostics; never the values). */
export function secretCount(): number {
  return secrets.length;
}

// A query or form parameter whose name says it carries a credential: apikey, api_key, x-api-key, token, access_token,
// authToken, secret, client_secret, password, passwd, signature, sig.
const CREDENTIAL_PARAM = /([?&;]|^|[\s"'(,])([\w.-]*(?:key|token|secret|passw(?:or)?d|pwd|signature|auth)[\w.-]*|sig)=([^&\s"'#<>)]+)/gi;
// `scheme://user:password@host` (also `redis://:password@host`).
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):([^\s/?#@]*)@/gi;

/** Replace every registered secret, credential query parameter and URL password in `text`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  if (out.includes("=")) out = out.replace(CREDENTIAL_PARAM, (_m, pre: string, name: string) => `${pre}${name}=${REDACTED}`);
  if (out.includes("://")) out = out.replace(URL_USERINFO, `$1:${REDACTED}@`);
  return out;
}

/** Redact, then cut to `max` characters: cutting first could leave part of a secret that nothing recognises. */
export function redactClip(text: string, max: number): string {
  return redactSecrets(text).slice(0, max);
}

/** A JSON.stringify replacer step: strings come back redacted, everything else unchanged. */
export function redactValue(value: unknown): unknown {
  return typeof value === "string" ? redactSecrets(value) : value;
}

/** A copy of a JSON-like document with every string redacted (keys included), for renderers that print it. */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactSecrets(k), redactDeep(v)])) as T;
  }
  return value;
}

/** The credentials carried inside a URL-like string: its password and the values of credential-named parameters. */
export function credentialsInText(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(URL_USERINFO)) if (m[2]) out.push(m[2], safeDecode(m[2]));
  for (const m of text.matchAll(CREDENTIAL_PARAM)) if (m[3]) out.push(m[3], safeDecode(m[3]));
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
