import { credentialsInText, registerSecrets } from "../redact.ts";
import type { VendorContext } from "./types.ts";

/** Resolved knobs of one vendor: config `vendors.<name>.*` over environment over defaults. */
export interface VendorSettings {
  vendor: string;
  baseUrl: string;
  apiKey?: string;
  timeoutMs: number;
  totalTimeoutMs: number;
  retries: number;
  rateLimitPerMinute: number;
  concurrency: number;
  batchSize: number;
  /** First backoff delay; doubles per attempt (env DQCTL_HTTP_BACKOFF_MS lets tests and CI keep it small). */
  backoffBaseMs: number;
}

/** A network endpoint's defaults, declared in its descriptor (rate limits sit under its documented free-tier limits). */
export interface EndpointDefaults {
  baseUrl: string;
  /** Environment variable that overrides the base URL (e.g. DQCTL_YAHOO_BASE_URL), so a proxy or a local server can stand in. */
  baseUrlEnv: string;
  /** Environment variable holding the API key or token, if the endpoint takes one. */
  apiKeyEnv?: string;
  rateLimitPerMinute: number;
  concurrency: number;
  batchSize: number;
}

/** What vendorSettings needs of a descriptor: its name (the config key) and its defaults. */
export interface SettingsOwner {
  name: string;
  settings: EndpointDefaults;
}

function positive(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Settings of one endpoint (a vendor passes its own descriptor): `vendors.<name>` in the config wins, then the
 * environment, then the descriptor's defaults. The scanner's are under `vendors["tradingview-scanner"]`.
 */
export function vendorSettings(owner: SettingsOwner, ctx: Pick<VendorContext, "config" | "env">): VendorSettings {
  const vendor = owner.name;
  const d = owner.settings;
  const c = ctx.config.vendors?.[vendor] ?? {};
  const env = ctx.env;
  const baseUrl = c.baseUrl ?? env[d.baseUrlEnv] ?? d.baseUrl;
  const apiKey = c.apiKey ?? (d.apiKeyEnv ? env[d.apiKeyEnv] : undefined);
  // Whoever resolves a key registers it, so a vendor built without the CLI (tests, embedding) is redacted too.
  registerSecrets([apiKey, ...credentialsInText(baseUrl)]);
  return {
    vendor,
    baseUrl: baseUrl.replace(/\/+$/, ""),
    ...(apiKey ? { apiKey } : {}),
    timeoutMs: c.timeoutMs ?? positive(env.DQCTL_HTTP_TIMEOUT_MS) ?? 30_000,
    totalTimeoutMs: c.totalTimeoutMs ?? positive(env.DQCTL_HTTP_TOTAL_TIMEOUT_MS) ?? 180_000,
    retries: c.retries ?? positive(env.DQCTL_HTTP_RETRIES) ?? 4,
    rateLimitPerMinute: c.rateLimitPerMinute ?? d.rateLimitPerMinute,
    concurrency: c.concurrency ?? d.concurrency,
    batchSize: c.batchSize ?? d.batchSize,
    backoffBaseMs: positive(env.DQCTL_HTTP_BACKOFF_MS) ?? 500,
  };
}
