// The sections of the pipeline commands (scan, ingest, repair, audit, flow, metrics), for src/report/schema.ts.
import { count, errorItem, isoTime } from "./schema-envelope.ts";

/** flow: one stage's result (stages.scan, .ingest, .repair, .audit). */
export const stage = {
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

/** audit, flow: one asset with files in quarantine/. */
export const quarantineEntry = {
  type: "object",
  required: ["symbol", "files", "isToxic"],
  properties: { symbol: { type: "string" }, files: { type: "array", items: { type: "string" } }, isToxic: { type: "boolean" } },
  additionalProperties: false,
} as const;

/** repair: the fetches planned for one series. */
export const planEntry = {
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

/** ingest: fetch latency percentiles per vendor. */
export const latency = {
  type: "object",
  additionalProperties: {
    type: "object",
    required: ["count", "p50Ms", "p95Ms", "p99Ms"],
    properties: { count, p50Ms: { type: ["number", "null"] }, p95Ms: { type: ["number", "null"] }, p99Ms: { type: ["number", "null"] } },
  },
} as const;

/** metrics: one row of the stored metric history. */
export const metricRow = {
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
} as const;
