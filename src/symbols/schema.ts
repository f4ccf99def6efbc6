// The symbols command's section, for src/report/schema.ts: one version of a symbol's metadata (symbolCatalog[]),
// its fields taken from the catalog's own list so the schema cannot drift from src/symbols/history.ts.
import { isoTime } from "../report/schema-envelope.ts";
import { TEXT_FIELDS } from "./history.ts";

const nullableText = { type: ["string", "null"] } as const;

/** symbols: one version of a symbol's metadata, valid over [validFrom, validTo). */
export const symbolVersion = {
  type: "object",
  required: ["symbol", ...TEXT_FIELDS, "marketCap", "status", "validFrom", "validTo", "isCurrent"],
  properties: {
    symbol: { type: "string" },
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, nullableText])),
    marketCap: { type: ["number", "null"], description: "recorded when the version opened; its daily moves open no version" },
    status: { enum: ["listed", "delisted"] },
    validFrom: isoTime,
    validTo: { type: ["string", "null"], description: "null while current" },
    isCurrent: { type: "boolean" },
  },
  additionalProperties: false,
} as const;
