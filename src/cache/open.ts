// Which cache a spec names (the --cache value). Only Redis today; every cache opened is closed at the CLI's end.
import type { Logger } from "../context.ts";
import { ConfigError } from "../errors.ts";
import { redactSecrets } from "../redact.ts";
import { RedisCache } from "./redis.ts";
import type { Cache } from "./types.ts";
import { isRedisUrl, parseRedisUrl } from "./url.ts";

const opened = new Set<Cache>();

/** The cache `spec` names; a spec that is no cache URL is a ConfigError naming `label`. */
export function openCache(spec: string, log: Logger, label = "--cache"): Cache {
  if (!isRedisUrl(spec)) {
    throw new ConfigError(`${label} ${JSON.stringify(redactSecrets(spec))}: not a cache URL`, "write it as redis://host:6379/0");
  }
  const cache = new RedisCache(parseRedisUrl(spec, label), log, spec);
  opened.add(cache);
  return cache;
}

/** Close every cache this process opened (the CLI's last step: an open socket would keep it alive). */
export async function closeCaches(): Promise<void> {
  const all = [...opened];
  opened.clear();
  await Promise.allSettled(all.map((c) => c.close()));
}
