// The bootstrap cache's shared tier (--cache redis://…): an entry stored in the local folder is also put in the
// cache, so another machine (or a wiped folder) gets the same dataset without asking a vendor. The folder stays where
// the dataset is delivered: a shared hit is installed there first. Content-keyed like the folder (same key), with
// retention as the TTL; max entries is honoured through an index document of (key, created), oldest evicted first.
// The index is read-modified-written: two runs storing at once may each miss the other's addition, which leaves an
// entry beyond max entries until the next store or its TTL — never a wrong dataset (every entry is sha256-checked).
import type { Cache } from "../cache/types.ts";
import type { Logger } from "../context.ts";
import { type CacheEntry, type CacheMetadata, entryStem, install, parseEntryParts, sha256 } from "./cache.ts";

const DAY_MS = 86_400_000;
const BUNDLE = "dqctl.pricing-bundle/v1";
const INDEX_KEY = "pricing:index";
const enc = new TextEncoder();
const dec = new TextDecoder();

const entryKey = (key: string) => `pricing:${key}`;

/** One entry as a cache value: a JSON header line (metadata, issues), then the dataset bytes. */
function bundle(entry: CacheEntry, bytes: Uint8Array): Uint8Array {
  const head = enc.encode(`${JSON.stringify({ format: BUNDLE, metadata: entry.metadata, issues: entry.issues })}\n`);
  const out = new Uint8Array(head.length + bytes.length);
  out.set(head);
  out.set(bytes, head.length);
  return out;
}

function unbundle(value: Uint8Array): { metadata: CacheMetadata; issues: CacheEntry["issues"]; bytes: Uint8Array } | undefined {
  const nl = value.indexOf(10);
  if (nl < 0) return undefined;
  try {
    const h = JSON.parse(dec.decode(value.subarray(0, nl))) as { format?: string; metadata?: unknown; issues?: unknown };
    if (h.format !== BUNDLE) return undefined;
    const parts = parseEntryParts(h.metadata, h.issues);
    return parts && { ...parts, bytes: value.subarray(nl + 1) };
  } catch {
    return undefined;
  }
}

/** What the shared tier is asked with. */
export interface SharedOptions {
  dir: string;
  nowMs: number;
  retentionDays?: number | undefined;
  maxEntries?: number | undefined;
  log: Logger;
}

/** The entry for `key` from the shared cache, installed into the local folder; undefined on a miss (counted). */
export async function fetchShared(cache: Cache, key: string, o: SharedOptions): Promise<CacheEntry | undefined> {
  const value = await cache.get(entryKey(key));
  const b = value && unbundle(value);
  const fresh = b && (o.retentionDays === undefined || Date.parse(b.metadata.created) >= o.nowMs - o.retentionDays * DAY_MS);
  if (!b || !fresh || b.metadata.key !== key || sha256(b.bytes) !== b.metadata.sha256) {
    cache.stats.misses++;
    if (value) o.log.debug(`cache ${entryStem(key)}: shared entry ${b ? "expired or damaged" : "malformed"}; refetching`);
    return undefined;
  }
  cache.stats.hits++;
  o.log.info(`bootstrap: shared cache hit ${b.metadata.file} from ${cache.location}`);
  return install(o.dir, b.metadata, b.issues, b.bytes);
}

/** Put a stored entry into the shared cache (TTL = retention) and evict the oldest beyond max entries. */
export async function putShared(cache: Cache, entry: CacheEntry, bytes: Uint8Array, o: SharedOptions): Promise<void> {
  const ttl = o.retentionDays !== undefined ? Math.max(1, Date.parse(entry.metadata.created) + o.retentionDays * DAY_MS - o.nowMs) : undefined;
  await cache.set(entryKey(entry.metadata.key), bundle(entry, bytes), ttl);
  if (cache.down) return;
  const raw = await cache.get(INDEX_KEY);
  let index: { key: string; created: number }[] = [];
  try {
    index = raw ? (JSON.parse(dec.decode(raw)) as typeof index).filter((e) => typeof e?.key === "string" && typeof e.created === "number") : [];
  } catch {
    index = []; // a damaged index is rebuilt from this entry on
  }
  index = [...index.filter((e) => e.key !== entry.metadata.key), { key: entry.metadata.key, created: Date.parse(entry.metadata.created) }];
  // Retention first, then the oldest beyond max entries; the entry just stored is never evicted.
  index.sort((a, b) => b.created - a.created || a.key.localeCompare(b.key));
  const cutoff = o.retentionDays === undefined ? -Infinity : o.nowMs - o.retentionDays * DAY_MS;
  let room = o.maxEntries === undefined ? Infinity : Math.max(0, o.maxEntries - 1);
  const keep: typeof index = [];
  const evict: string[] = [];
  for (const e of index) {
    if (e.key === entry.metadata.key) keep.push(e);
    else if (e.created >= cutoff && room > 0) {
      room--;
      keep.push(e);
    } else evict.push(e.key);
  }
  if (evict.length) cache.stats.evictions += await cache.delete(evict.map(entryKey));
  await cache.set(INDEX_KEY, enc.encode(JSON.stringify(keep)));
}
