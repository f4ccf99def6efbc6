import { credentialsInText, registerSecrets } from "../redact.ts";
import type { VendorContext } from "./types.ts";

/** Network vendors dqctl knows, in the order `--vendor` help lists them. */
export const NETWORK_VENDORS = ["yahoo", "binance", "alphavantage", "fred", "tradingview"] as const;
export type NetworkVendor = (typeof NETWORK_VENDORS)[number];

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

interface Defaults {
  baseUrl: string;
  baseEnv: string;
  keyEnv?: string;
  rateLimitPerMinute: number;
  concurrency: number;
  batchSize: number;
}

/** Public defaults: rate limits sit under each vendor's documented free-tier limits. */
const DEFAULTS: Record<string, Defaults> = {
  yahoo: { baseUrl: "https://query1.finance.yahoo.com", baseEnv: "DQCTL_YAHOO_BASE_URL", rateLimitPerMinute: 120, concurrency: 4, batchSize: 20 },
  // Binance: 6000 request weight a minute, klines weigh 2; stay well below.
  binance: { baseUrl: "https://api.binance.com", baseEnv: "DQCTL_BINANCE_BASE_URL", rateLimitPerMinute: 600, concurrency: 8, batchSize: 50 },
  // Alpha Vantage free tier: 5 calls a minute (25 a day).
  alphavantage: { baseUrl: "https://www.alphavantage.co", baseEnv: "DQCTL_ALPHAVANTAGE_BASE_URL", keyEnv: "ALPHAVANTAGE_API_KEY", rateLimitPerMinute: 5, concurrency: 1, batchSize: 5 },
  // FRED: 120 requests a minute per key.
  fred: { baseUrl: "https://api.stlouisfed.org", baseEnv: "DQCTL_FRED_BASE_URL", keyEnv: "FRED_API_KEY", rateLimitPerMinute: 100, concurrency: 4, batchSize: 20 },
  tradingview: { baseUrl: "wss://data.tradingview.com/socket.io/websocket?type=chart", baseEnv: "DQCTL_TRADINGVIEW_WS_URL", keyEnv: "TRADINGVIEW_AUTH_TOKEN", rateLimitPerMinute: 60, concurrency: 2, batchSize: 10 },
  "tradingview-scanner": { baseUrl: "https://scanner.tradingview.com", baseEnv: "DQCTL_TRADINGVIEW_SCANNER_URL", rateLimitPerMinute: 60, concurrency: 2, batchSize: 1 },
};

/** The environment variable that overrides a vendor's base URL (undefined for unknown vendors). */
export function baseUrlEnv(vendor: string): string | undefined {
  return DEFAULTS[vendor]?.baseEnv;
}

/** The environment variable holding a vendor's API key, if it has one. */
export function apiKeyEnv(vendor: string): string | undefined {
  return DEFAULTS[vendor]?.keyEnv;
}

/** Every environment variable a vendor reads a credential from (ALPHAVANTAGE_API_KEY, FRED_API_KEY, …). */
export function apiKeyEnvs(): string[] {
  return Object.values(DEFAULTS).flatMap((d) => (d.keyEnv ? [d.keyEnv] : []));
}

function positive(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Settings for `vendor`: `vendors.<vendor>` in the config wins, then the environment, then defaults.
 * The scanner reads `vendors["tradingview-scanner"]` (baseUrl also from DQCTL_TRADINGVIEW_SCANNER_URL).
 */
export function vendorSettings(vendor: string, ctx: Pick<VendorContext, "config" | "env">): VendorSettings {
  const d = DEFAULTS[vendor] ?? { baseUrl: "", baseEnv: "", rateLimitPerMinute: 60, concurrency: 4, batchSize: 10 };
  const c = ctx.config.vendors?.[vendor] ?? {};
  const env = ctx.env;
  const baseUrl = c.baseUrl ?? (d.baseEnv ? env[d.baseEnv] : undefined) ?? d.baseUrl;
  const apiKey = c.apiKey ?? (d.keyEnv ? env[d.keyEnv] : undefined);
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
