// The calendar command's sections, for src/report/schema.ts: `calendar` (one calendar's sessions), `calendars`
// (--list) and `macro` (--macro: FRED's release calendar).
import { count, isoTime } from "../report/schema-envelope.ts";

/** calendar: one calendar's sessions, holidays, early closes and special hours over a window. */
export const calendar = {
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

/** calendar --list: one known calendar. */
export const knownCalendar = {
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

/** calendar --macro: the release calendar and where it came from. */
export const macro = {
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
} as const;
