// Which values of a run are secrets: gathered once per command so every message can be redacted (src/redact.ts).
import { credentialsInText } from "../redact.ts";
import { apiKeyEnvs } from "../vendors/settings.ts";
import type { Config } from "./schema.ts";

/** Secrets carried by the environment: every vendor key variable, and credentials inside DQCTL_* URLs. */
export function secretsInEnv(env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const name of apiKeyEnvs()) {
    const v = env[name];
    if (v) out.push(v);
  }
  for (const [name, v] of Object.entries(env)) if (v && name.startsWith("DQCTL_")) out.push(...credentialsInText(v));
  return out;
}

/** Secrets carried by the config (vendors.*.apiKey, URL passwords and credential parameters in any string) and flags. */
export function secretsInConfig(config: Config, argv: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const vendor of Object.values(config.vendors ?? {})) if (vendor.apiKey) out.push(vendor.apiKey);
  const walk = (x: unknown): void => {
    if (typeof x === "string") out.push(...credentialsInText(x));
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === "object") Object.values(x).forEach(walk);
  };
  walk(config);
  walk(argv);
  return out;
}
