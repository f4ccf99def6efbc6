import * as v from "valibot";
import { calendarNames, canonicalCalendar } from "../calendar/registry.ts";
import { PROFILES } from "../model/profile.ts";

const CheckOptions = v.looseObject({
  severity: v.optional(v.picklist(["warning", "error", "off"])),
});

const count = (min: number) => v.pipe(v.number(), v.integer("a whole number"), v.minValue(min, `a whole number ≥ ${min}`));

/** `vendors.<name>` of a network vendor: every key known (a typo such as `retry` is refused, not ignored). */
export const NetworkVendorOptions = v.strictObject({
  baseUrl: v.optional(v.pipe(v.string(), v.url("a URL such as https://host:port"))),
  apiKey: v.optional(v.string()),
  timeoutMs: v.optional(count(1)),
  totalTimeoutMs: v.optional(count(1)),
  retries: v.optional(count(0)),
  rateLimitPerMinute: v.optional(v.pipe(v.number(), v.minValue(0, "a number ≥ 0"))),
  concurrency: v.optional(count(1)),
  batchSize: v.optional(count(1)),
});

/** Every vendor setting; a local vendor declares which of them it takes (the file vendor: maxFileBytes). */
export const VendorOptions = v.strictObject({
  ...NetworkVendorOptions.entries,
  /** file vendor only: the largest input file it reads (default 2 GiB). */
  maxFileBytes: v.optional(count(1)),
});

/** `stream`: the NATS JetStream event stream (--emit overrides `url`) and the streaming ingest's stream. */
export const StreamOptions = v.strictObject({
  /** Where run events go: nats://host:port (JetStream) or an http(s) OpenLineage endpoint. */
  url: v.optional(v.pipe(v.string(), v.url("a URL such as nats://127.0.0.1:4222"))),
  /** The JetStream stream of run events (created when absent; default DQCTL). */
  name: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ or -"))),
  /** The first token of every event subject (default dqctl: dqctl.runs, dqctl.findings.<code>, dqctl.lineage). */
  prefix: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "dot-separated tokens"))),
  /** The local outbox's bound in bytes (default 16 MiB): past it, events are refused and the run says so. */
  outboxMaxBytes: v.optional(count(1)),
  /** How long to wait for the broker to connect or acknowledge, ms (default 2000). */
  timeoutMs: v.optional(count(1)),
  /** streaming ingest: the stream holding the bar subject (created when absent; default DQCTL_BARS). */
  barsStream: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ or -"))),
  /** streaming ingest: the durable consumer's name (default dqctl-ingest). */
  durable: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ or -"))),
  /** streaming ingest: where malformed messages go, with the reason (default dqctl.deadletter). */
  deadLetter: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "dot-separated tokens"))),
  /** streaming ingest: messages committed together at most (default 500). */
  batchSize: v.optional(count(1)),
  /** streaming ingest: how long a delivered, unacknowledged message waits before it is delivered again, ms (default 30000). */
  ackWaitMs: v.optional(count(1000)),
});

export const Instrument = v.strictObject({
  profile: v.optional(v.picklist(PROFILES)),
  /** The exchange calendar (XTKS, XLON, CMES_EQUITY… or an exchange alias such as TSE). */
  calendar: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (c) => canonicalCalendar(c) !== undefined,
        () => `expected a calendar: ${calendarNames().join(", ")}`,
      ),
    ),
  ),
  assetClass: v.optional(v.string()),
  tickers: v.optional(v.record(v.string(), v.string())),
  tickSize: v.optional(v.number()),
  stablecoin: v.optional(v.boolean()),
});

/**
 * `macro`: the FRED release calendar (`dqctl calendar --macro`, and staleness of FRED series). `series` are the
 * series of interest beyond the FRED series in the store; `releases` maps a series to its FRED release id (else it
 * is looked up with fred/series/release); `maxAgeHours` is how long a cached calendar is reused (default 12).
 */
export const MacroConfig = v.strictObject({
  series: v.optional(v.array(v.string())),
  releases: v.optional(v.record(v.string(), count(1))),
  maxAgeHours: v.optional(v.pipe(v.number(), v.minValue(0, "a number ≥ 0"))),
});

/** The config file (`dqctl.config.json`, or `.yaml`/`.yml`): every key optional; flags override it. See validate.ts for the strict form. */
export const ConfigSchema = v.strictObject({
  $schema: v.optional(v.string()),
  lakehouse: v.optional(v.string()),
  /** Where bars live: a lakehouse folder or a postgres:// URL (--store and DQCTL_STORE override it; absent: `lakehouse`). */
  store: v.optional(v.string()),
  /** A Redis cache, redis://[user:pass@]host:port/db (--cache and DQCTL_CACHE override it). */
  cache: v.optional(v.string()),
  interval: v.optional(v.string()),
  referenceDir: v.optional(v.string()),
  /** Stored prices: the vendor's close (raw, the default) or its adjusted close (adjusted); --price overrides it. */
  price: v.optional(v.picklist(["raw", "adjusted"])),
  checks: v.optional(v.record(v.string(), CheckOptions)),
  vendors: v.optional(v.record(v.string(), VendorOptions)),
  instruments: v.optional(v.record(v.string(), Instrument)),
  lineage: v.optional(v.looseObject({})),
  stream: v.optional(StreamOptions),
  /** `features ingest`: the screener columns stored (--columns overrides; absent: the default technicals). */
  features: v.optional(
    v.strictObject({
      columns: v.optional(v.pipe(v.array(v.pipe(v.string(), v.nonEmpty("expected a column name"))), v.minLength(1, "expected at least one column"))),
    }),
  ),
  macro: v.optional(MacroConfig),
});

export type Config = v.InferOutput<typeof ConfigSchema>;
export type InstrumentConfig = v.InferOutput<typeof Instrument>;
