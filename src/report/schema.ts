import { SUMMARY_SCHEMA_ID } from "./summary.ts";

const finding = {
  type: "object",
  required: ["code", "severity", "message"],
  properties: {
    code: { type: "string", pattern: "^[a-z_]+$" },
    severity: { enum: ["warning", "error"] },
    symbol: { type: "string" },
    interval: { type: "string" },
    message: { type: "string" },
    metrics: { type: "object", additionalProperties: { type: "number" } },
    details: { type: "object" },
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
    rows: { type: "integer", minimum: 0 },
    start: { type: ["string", "null"], format: "date-time" },
    end: { type: ["string", "null"], format: "date-time" },
    qualityScore: { type: ["number", "null"], minimum: 0, maximum: 1 },
  },
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
    startedAt: { type: "string", format: "date-time" },
    finishedAt: { type: "string", format: "date-time" },
    durationMs: { type: "integer", minimum: 0 },
    status: { enum: ["ok", "warning", "error"] },
    exitCode: { enum: [0, 1, 2, 3] },
    counts: { type: "object", additionalProperties: { type: "integer", minimum: 0 } },
    symbols: { type: "array", items: symbolRow },
    findings: { type: "array", items: finding },
    errors: {
      type: "array",
      items: { type: "object", required: ["message"], properties: { message: { type: "string" }, symbol: { type: "string" } } },
    },
  },
} as const;
