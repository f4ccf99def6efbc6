import { CONSUME_SECTION, STREAM_BAR_SCHEMA, STREAM_SECTION } from "../stream/schema.ts";
import { SUMMARY_SCHEMA_ID } from "./summary.ts";

// The JSON Schema of the one summary document. It is exact: every top-level section a command may add is listed
// (anything else fails validation), so a new section cannot ship without being described here.

const isoTime = { type: "string", format: "date-time" } as const;
const count = { type: "integer", minimum: 0 } as const;

const finding = {
  type: "object",
  required: ["code", "severity", "message"],
  properties: {
    code: { type: "string", pattern: "^[a-z_]+$" },
    severity: { enum: ["warning", "error"] },
    symbol: { type: "string", description: "absent on a finding about a vendor (feed_stalled, feed_stale: details.vendor)" },
    interval: { type: "string" },
    message: { type: "string" },
    metrics: {
      type: "object",
      additionalProperties: { type: "number" },
      description: "the finding's figures; metric_anomaly: value, median, sigma, sessions (and z when sigma > 0)",
    },
    details: {
      type: "object",
      description:
        "the finding's evidence; metric_anomaly: metric (newBarsPerSession, coverage, lagSessions, findings, revisionRate, latencyP95Ms) and vendor for a vendor's metric; feed_stalled, feed_stale: vendor (feed_stale: symbols)",
    },
    stage: { enum: ["scan", "ingest", "repair", "audit"], description: "flow only: the stage that reported the finding" },
  },
  additionalProperties: false,
} as const;

const errorItem = {
  type: "object",
  required: ["code", "kind", "message"],
  properties: {
    code: {
      type: "string",
      pattern: "^[a-z_]+$",
      description: "stable slug: the kind, or a more specific one (bad_row, not_found, locked, vendor_http, invalid_field, …)",
    },
    kind: { enum: ["config", "input", "vendor", "lock", "usage"] },
    message: { type: "string", description: "the one line printed on stderr: what is wrong — what to do" },
    symbol: { type: "string" },
    file: { type: "string" },
    line: { type: "integer", minimum: 1 },
    column: { type: ["string", "integer"] },
    field: { type: "string" },
  },
  additionalProperties: false,
} as const;

const symbolRow = {
  type: "object",
  required: ["symbol", "interval", "profile", "status", "rows", "start", "end", "qualityScore"],
  properties: {
    symbol: { type: "string" },
    interval: { type: "string" },
    profile: { type: "string" },
    status: { type: "string" },
    rows: count,
    start: { type: ["string", "null"], format: "date-time" },
    end: { type: ["string", "null"], format: "date-time" },
    qualityScore: { type: ["number", "null"], minimum: 0, maximum: 1 },
    outcome: { type: "string", description: "ingest: written, unchanged, quarantined (the whole series, structural), fresh (a toxic asset with nothing new)" },
    partial: { type: "boolean", description: "ingest: the vendor's answer was cut by a timeout or dropped connection (incomplete: partial)" },
    barsQuarantined: { ...count, description: "ingest, repair: toxic bars cut out of this commit and kept in quarantine/ (the file is under quarantined)" },
    barsReplaced: {
      ...count,
      description: "ingest, repair: stored bars the vendor sent again with other values (revisions; the metric history's revisionRate = barsReplaced ÷ rows)",
    },
    heldBack: { ...count, description: "ingest, repair: bars not committed yet (the bar in progress, or a latest bar held back for one more bar of evidence)" },
    genesis: { ...isoTime, description: "repair: the genesis this run proved and recorded (the first stored bar)" },
    genesisReset: { ...isoTime, description: "repair --reset-genesis: the genesis this run cleared" },
    genesisCleared: { ...isoTime, description: "ingest, repair: the genesis cleared because bars before it arrived" },
    price: { enum: ["raw", "adjusted"], description: "ingest, repair: the price basis the series is stored with (--price)" },
    quarantined: {
      type: "array",
      items: { type: "string" },
      description: "the asset's files in quarantine/ (toxic series, or toxic bars cut out, kept as evidence)",
    },
  },
} as const;

const stage = {
  type: "object",
  properties: {
    skipped: { const: true },
    counts: { type: "object", additionalProperties: count },
    errors: { type: "array", items: errorItem },
    findings: { ...count, description: "how many findings the stage reported (the findings themselves are in the top-level findings, tagged with this stage)" },
    latency: { type: "object" },
    candidatesPath: { type: "string" },
    plan: { type: "array" },
  },
  additionalProperties: false,
} as const;

const quarantineEntry = {
  type: "object",
  required: ["symbol", "files", "isToxic"],
  properties: { symbol: { type: "string" }, files: { type: "array", items: { type: "string" } }, isToxic: { type: "boolean" } },
  additionalProperties: false,
} as const;

const planEntry = {
  type: "object",
  required: ["symbol", "interval", "fetches"],
  properties: {
    symbol: { type: "string" },
    interval: { type: "string" },
    fetches: {
      type: "array",
      items: {
        type: "object",
        required: ["kind", "from", "to"],
        properties: { kind: { enum: ["gap", "backfill"] }, from: isoTime, to: isoTime, bars: count },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

const latency = {
  type: "object",
  additionalProperties: {
    type: "object",
    required: ["count", "p50Ms", "p95Ms", "p99Ms"],
    properties: { count, p50Ms: { type: ["number", "null"] }, p95Ms: { type: ["number", "null"] }, p99Ms: { type: ["number", "null"] } },
  },
} as const;

const calendar = {
  type: "object",
  required: ["calendar", "profile", "timezone", "from", "to", "sessions", "holidays", "earlyCloses", "specialHours"],
  properties: {
    calendar: { type: "string", description: "the calendar's name: XNYS, XTKS, CMES_EQUITY…" },
    profile: { type: "string" },
    timezone: { type: "string" },
    from: { type: "string", format: "date" },
    to: { type: "string", format: "date" },
    interval: { type: "string" },
    sessions: {
      type: "array",
      items: {
        type: "object",
        required: ["date", "open", "close"],
        properties: {
          date: { type: "string", format: "date" },
          open: isoTime,
          close: isoTime,
          breakStart: isoTime,
          breakEnd: isoTime,
          early: { type: "string" },
          special: { type: "string" },
          bars: count,
        },
        additionalProperties: false,
      },
    },
    holidays: { type: "array", items: { type: "object", required: ["date", "name"], properties: { date: { type: "string" }, name: { type: "string" } } } },
    earlyCloses: {
      type: "array",
      items: {
        type: "object",
        required: ["date", "name", "close"],
        properties: { date: { type: "string" }, name: { type: "string" }, close: { type: "string" }, localClose: { type: "string" } },
      },
    },
    specialHours: {
      type: "array",
      items: {
        type: "object",
        required: ["date", "name", "open"],
        properties: { date: { type: "string" }, name: { type: "string" }, open: { type: "string" }, localOpen: { type: "string" } },
      },
    },
  },
  additionalProperties: false,
} as const;

const knownCalendar = {
  type: "object",
  required: ["name", "title", "profile", "timezone", "aliases", "from", "knownUntil"],
  properties: {
    name: { type: "string" },
    title: { type: "string" },
    profile: { type: "string" },
    timezone: { type: "string" },
    aliases: { type: "array", items: { type: "string" } },
    roots: { type: "array", items: { type: "string" } },
    from: count,
    knownUntil: count,
  },
  additionalProperties: false,
} as const;

const nullableText = { type: ["string", "null"] } as const;
const symbolVersion = {
  type: "object",
  required: [
    "symbol",
    "name",
    "description",
    "type",
    "subtype",
    "exchange",
    "currency",
    "country",
    "sector",
    "industry",
    "marketCap",
    "status",
    "validFrom",
    "validTo",
    "isCurrent",
  ],
  properties: {
    symbol: { type: "string" },
    name: nullableText,
    description: nullableText,
    type: nullableText,
    subtype: nullableText,
    exchange: nullableText,
    currency: nullableText,
    country: nullableText,
    sector: nullableText,
    industry: nullableText,
    marketCap: { type: ["number", "null"], description: "recorded when the version opened; its daily moves open no version" },
    status: { enum: ["listed", "delisted"] },
    validFrom: isoTime,
    validTo: { type: ["string", "null"], description: "null while current" },
    isCurrent: { type: "boolean" },
  },
  additionalProperties: false,
} as const;

/** JSON Schema (draft 2020-12) of the summary every command prints with --json. */
export const SUMMARY_JSON_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://dqctl.dev/schema/summary-v1.json",
  title: "dqctl summary",
  type: "object",
  required: ["schema", "command", "version", "runId", "startedAt", "finishedAt", "durationMs", "status", "exitCode", "counts", "symbols", "findings"],
  properties: {
    schema: { const: SUMMARY_SCHEMA_ID },
    command: { type: "string" },
    version: { type: "string" },
    runId: { type: "string", pattern: "^[A-Za-z0-9._-]+$" },
    startedAt: isoTime,
    finishedAt: isoTime,
    durationMs: count,
    status: { enum: ["ok", "warning", "error"], description: "the worst finding; error whenever errors[] is non-empty or the exit code is 3" },
    exitCode: { enum: [0, 1, 2, 3] },
    counts: { type: "object", additionalProperties: count },
    symbols: { type: "array", items: symbolRow },
    findings: { type: "array", items: finding },
    errors: { type: "array", minItems: 1, items: errorItem },
    // Sections, by the commands that add them.
    candidatesPath: { type: "string", description: "scan, flow" },
    droppedToxic: { type: "array", items: { type: "string" }, description: "scan: candidates dropped because the registry marks them toxic" },
    latency: { ...latency, description: "ingest: fetch latency per vendor" },
    plan: { type: "array", items: planEntry, description: "repair: the fetches planned per series, newest first" },
    dryRun: { type: "boolean", description: "repair" },
    quarantine: { type: "array", items: quarantineEntry, description: "audit, flow: assets with files in quarantine/" },
    metrics: {
      type: "array",
      description: 'metrics: the stored metric history, oldest first (one row per metric of a series, or of a vendor with symbol "")',
      items: {
        type: "object",
        required: ["runId", "command", "at", "vendor", "symbol", "interval", "metric", "value"],
        properties: {
          runId: { type: "string" },
          command: { enum: ["audit", "ingest", "repair", "flow"] },
          at: { type: "number", description: "epoch ms: the run's now" },
          vendor: { type: "string" },
          symbol: { type: "string" },
          interval: { type: "string" },
          metric: {
            type: "string",
            description:
              "rows, qualityScore, firstBarMs, lastBarMs, coverage (bars ÷ expected, ≤ 1), lagSessions (sessions behind; crypto: days), findings (without metric_anomaly), findings.<code>, the command's numeric fields per series (barsReplaced: bars received again with other values), latencyP50Ms/P95Ms/P99Ms per vendor, cacheHits/cacheMisses/cacheEvictions (vendor cache) with --cache",
          },
          value: { type: "number" },
        },
        additionalProperties: false,
      },
    },
    stages: {
      type: "object",
      description: "flow: one entry per stage",
      required: ["scan", "ingest", "repair", "audit"],
      properties: { scan: stage, ingest: stage, repair: stage, audit: stage },
      additionalProperties: false,
    },
    snapshot: { type: "object", description: "snapshot, snapshot verify: the run folder" },
    store: { type: "object", description: "store init, store copy: the store (and, for copy, both stores and what was verified)" },
    dataset: { type: ["object", "null"], description: "bootstrap: the cached dataset" },
    rows: { ...count, description: "bootstrap: rows in the dataset" },
    symbolsSeen: { type: "array", items: { type: "string" }, description: "bootstrap" },
    window: { type: "object", description: "bootstrap: the resolved time window" },
    vendors: { type: "object", description: "bootstrap: vendors requested and used" },
    cache: {
      type: "object",
      description:
        "bootstrap: the cache entry (dir, key, hit, stored, pruned); any run with --cache: the Redis cache (location without password, this run's counts summed over every worker thread, and why it went down if it did)",
      properties: {
        location: { type: "string" },
        hits: { ...count, description: "series and catalog reads (and bootstrap lookups) answered from the cache at the store's current version" },
        misses: { ...count, description: "lookups the cache could not answer: absent, another version, or the cache down" },
        evictions: { ...count, description: "entries replaced because new bars changed the version, or pruned past max entries" },
        writes: count,
        errors: count,
        down: { type: "string", description: "the cache's first failure; the run then read straight from the store" },
      },
    },
    doctor: {
      type: "object",
      description: "doctor: one row per thing the configuration names; the first failed row is also the run's error",
      required: ["checks"],
      properties: {
        checks: {
          type: "array",
          items: {
            type: "object",
            required: ["check", "target", "status", "detail", "ms"],
            properties: {
              check: { type: "string", description: "store, writable, lock, cache, stream, vendor, reference, …" },
              target: { type: "string", description: "a folder, a URL without its password, a vendor and its host" },
              status: { enum: ["ok", "warn", "fail", "skip"] },
              detail: { type: "string" },
              fix: { type: "string" },
              ms: count,
            },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
    lineage: { type: "object", description: "lineage: the measured lineage graph; bootstrap: what it read and wrote" },
    reference: { type: "object", description: "reference check: the files checked" },
    calendar: { ...calendar, description: "calendar: sessions, holidays and early closes" },
    macro: {
      type: "object",
      description: "calendar --macro: FRED's release calendar from --from to --to, and where it came from",
      required: ["source", "from", "to", "fetchedAt", "cached", "events", "series"],
      properties: {
        source: { const: "fred" },
        from: { type: "string", format: "date" },
        to: { type: "string", format: "date" },
        fetchedAt: { type: ["string", "null"], format: "date-time", description: "when it was fetched from FRED; null without an API key (no events)" },
        cached: { type: "boolean", description: "true when the calendar cached in the store was reused (fresh and covering the window)" },
        events: {
          type: "array",
          items: {
            type: "object",
            required: ["date", "releaseId", "name", "calendar", "currency", "series"],
            properties: {
              date: { type: "string", format: "date" },
              releaseId: { type: "integer", minimum: 1 },
              name: { type: "string" },
              calendar: { const: "FRED" },
              currency: { const: "USD" },
              series: { type: "array", items: { type: "string" }, description: "the series of interest this release publishes" },
            },
            additionalProperties: false,
          },
        },
        series: {
          type: "array",
          description: "series of interest (config macro.series and the FRED series in the store) and the release publishing each",
          items: {
            type: "object",
            required: ["symbol", "releaseId", "name"],
            properties: { symbol: { type: "string" }, releaseId: { type: "integer", minimum: 1 }, name: { type: "string" } },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
    calendars: { type: "array", items: knownCalendar, description: "calendar --list: every calendar and the exchange prefixes that map to it" },
    jsonSchema: { type: "object", description: "schema: this JSON Schema" },
    codes: {
      type: "array",
      items: { type: "object", required: ["code", "rule", "severity"] },
      description: "explain: the finding codes' records (rule, default severity, options, example)",
    },
    init: {
      type: "array",
      description: "init: each starter file, written or kept (never overwritten)",
      items: {
        type: "object",
        required: ["path", "written"],
        properties: { path: { type: "string" }, written: { type: "boolean" }, what: { type: "string" } },
      },
    },
    stream: STREAM_SECTION,
    consume: CONSUME_SECTION,
    features: { type: "object", description: "features ingest: the feature set, its columns and the session dates written" },
    asOf: { type: ["string", "null"], description: "symbols: the time answered for (null with --history)" },
    symbolCatalog: { type: "array", items: symbolVersion, description: "symbols: the versions valid on asOf (or, with --history, every version)" },
    unknownSymbols: { type: "array", items: { type: "string" }, description: "symbols: requested symbols the catalog did not know then" },
    completion: {
      type: "object",
      required: ["shell", "script"],
      properties: { shell: { enum: ["bash", "zsh", "fish"] }, script: { type: "string" } },
      additionalProperties: false,
      description: "completion: the script",
    },
  },
  additionalProperties: false,
  $defs: { streamBar: STREAM_BAR_SCHEMA },
  allOf: [
    { if: { required: ["errors"] }, then: { properties: { status: { const: "error" }, exitCode: { const: 3 } } } },
    { if: { properties: { exitCode: { const: 3 } } }, then: { properties: { status: { const: "error" } } } },
    { if: { properties: { exitCode: { const: 2 } } }, then: { properties: { status: { const: "error" } } } },
    { if: { properties: { exitCode: { const: 1 } } }, then: { properties: { status: { enum: ["warning", "error"] } } } },
  ],
} as const;
