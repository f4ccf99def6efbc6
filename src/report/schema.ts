import { calendar, knownCalendar, macro } from "../calendar/schema.ts";
import { CONSUME_SECTION, STREAM_BAR_SCHEMA, STREAM_SECTION } from "../stream/schema.ts";
import { symbolVersion } from "../symbols/schema.ts";
import { count, errorItem, finding, isoTime, symbolRow } from "./schema-envelope.ts";
import { latency, metricRow, planEntry, quarantineEntry, stage } from "./schema-pipeline.ts";
import { SUMMARY_SCHEMA_ID } from "./summary.ts";

// The JSON Schema of the one summary document. It is exact: every top-level section a command may add is listed
// (anything else fails validation), so a new section cannot ship without being described here.
// Its parts: the envelope's rows (schema-envelope.ts), the pipeline commands' sections (schema-pipeline.ts), and
// the sections of calendar, symbols and stream beside the code that fills them.

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
      items: metricRow,
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
        "bootstrap: the cache entry (dir, key, hit, stored, pruned); any run with --cache: the Redis cache (location without password, this run's counts, and why it went down if it did)",
      properties: {
        location: { type: "string" },
        hits: { ...count, description: "series reads (and bootstrap lookups) answered from the cache at the store's current version" },
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
    macro,
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
