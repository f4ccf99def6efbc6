// The summary's envelope, for src/report/schema.ts: the shared field types, and the rows every command may
// print (symbols[], findings[], errors[]).

/** An ISO-8601 UTC instant. */
export const isoTime = { type: "string", format: "date-time" } as const;
/** A whole number ≥ 0. */
export const count = { type: "integer", minimum: 0 } as const;

/** One item of findings[]. */
export const finding = {
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

/** One item of errors[]. */
export const errorItem = {
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

/** One item of symbols[]: a series and what the command did to it. */
export const symbolRow = {
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
