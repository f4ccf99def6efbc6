import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { IANAZone } from "luxon";
import * as v from "valibot";
import { ConfigError } from "../errors.ts";
import { validate } from "../lakehouse/catalog.ts";
import { parseClock, parseDateKey, yearOf } from "./dates.ts";
import type { DayNote } from "./sessions.ts";

/** Profiles with sessions (crypto trades 24/7 UTC: nothing to override). */
export const SESSION_PROFILES = ["equity", "futures", "forex"] as const;
export type SessionProfile = (typeof SESSION_PROFILES)[number];

/** Closures and early closes added to (or removed from) a profile's built-in rules; keys are day ms. */
export interface HolidayOverrides {
  closed: Map<number, string>;
  early: Map<number, { closeMin: number; name: string }>;
  /** Built-in holidays or early closes cancelled: the day trades regular hours (weekends stay closed). */
  open: Set<number>;
}

/** Regular hours replaced for a profile (local minutes after midnight). */
export interface HoursOverrides {
  timezone?: string;
  open?: number;
  close?: number;
  earlyClose?: number;
  holidayClose?: number;
}

/** Everything `config/reference/{holidays,sessions}.json` change about the built-in calendars. */
export interface ReferenceOverrides {
  holidays: Partial<Record<SessionProfile, HolidayOverrides>>;
  sessions: Partial<Record<SessionProfile, HoursOverrides>>;
  /** Files the overrides came from (for lineage and messages). */
  files: string[];
}

const DateStr = v.pipe(
  v.string(),
  v.check((s) => !Number.isNaN(parseDateKey(s)), "expected a date YYYY-MM-DD"),
);
const Clock = v.pipe(
  v.string(),
  v.check((s) => !Number.isNaN(parseClock(s)), 'expected a local time "HH:MM" (00:00–24:00)'),
);
const Zone = v.pipe(
  v.string(),
  v.check((z) => IANAZone.isValidZone(z), "expected an IANA time zone such as America/New_York"),
);

const HolidayEntry = v.strictObject({
  closed: v.optional(v.array(v.union([DateStr, v.strictObject({ date: DateStr, name: v.optional(v.string()) })], "expected a date YYYY-MM-DD or { date, name }"))),
  earlyClose: v.optional(v.record(DateStr, v.union([Clock, v.strictObject({ close: Clock, name: v.optional(v.string()) })], 'expected "HH:MM" or { close, name }'))),
  open: v.optional(v.array(DateStr)),
});
const HolidaysFile = v.strictObject({
  $schema: v.optional(v.string()),
  equity: v.optional(HolidayEntry),
  futures: v.optional(HolidayEntry),
  forex: v.optional(HolidayEntry),
});

const HoursEntry = v.strictObject({
  timezone: v.optional(Zone),
  open: v.optional(Clock),
  close: v.optional(Clock),
  earlyClose: v.optional(Clock),
  holidayClose: v.optional(Clock),
});
const SessionsFile = v.strictObject({
  $schema: v.optional(v.string()),
  equity: v.optional(HoursEntry),
  futures: v.optional(HoursEntry),
  forex: v.optional(HoursEntry),
});

/** No overrides: the built-in rules only. */
export function emptyReference(): ReferenceOverrides {
  return { holidays: {}, sessions: {}, files: [] };
}

function readJson(path: string, advice: string): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`${path}: malformed JSON (${(err as Error).message})`, advice, { cause: err });
  }
  // Crypto is named explicitly because "unknown key" would not say why it is refused.
  if (raw && typeof raw === "object" && "crypto" in raw) {
    throw new ConfigError(`${path}: field crypto: crypto trades 24/7 UTC, it has no holidays or session hours`, "remove the crypto entry");
  }
  return raw;
}

const HOLIDAYS_ADVICE = 'fix the entry: { "equity": { "closed": ["2026-01-09"], "earlyClose": { "2026-11-27": "13:00" }, "open": [] } }';
const SESSIONS_ADVICE = 'fix the entry: { "equity": { "timezone": "America/New_York", "open": "09:30", "close": "16:00", "earlyClose": "13:00" } }';

/** Load `holidays.json` and `sessions.json` from `dir` (each optional); a bad file is a ConfigError naming file and field. */
export function loadReference(dir: string): ReferenceOverrides {
  const ref = emptyReference();
  const hPath = join(dir, "holidays.json");
  if (existsSync(hPath)) {
    const doc = validate(HolidaysFile, readJson(hPath, HOLIDAYS_ADVICE), hPath, HOLIDAYS_ADVICE, ConfigError);
    ref.files.push(hPath);
    for (const p of SESSION_PROFILES) {
      const e = doc[p];
      if (!e) continue;
      const o: HolidayOverrides = { closed: new Map(), early: new Map(), open: new Set() };
      for (const c of e.closed ?? []) {
        if (typeof c === "string") o.closed.set(parseDateKey(c), "Closed (reference)");
        else o.closed.set(parseDateKey(c.date), c.name ?? "Closed (reference)");
      }
      for (const [d, c] of Object.entries(e.earlyClose ?? {})) {
        const close = typeof c === "string" ? c : c.close;
        const name = typeof c === "string" ? "Early close (reference)" : (c.name ?? "Early close (reference)");
        o.early.set(parseDateKey(d), { closeMin: parseClock(close), name });
      }
      for (const d of e.open ?? []) o.open.add(parseDateKey(d));
      ref.holidays[p] = o;
    }
  }
  const sPath = join(dir, "sessions.json");
  if (existsSync(sPath)) {
    const doc = validate(SessionsFile, readJson(sPath, SESSIONS_ADVICE), sPath, SESSIONS_ADVICE, ConfigError);
    ref.files.push(sPath);
    for (const p of SESSION_PROFILES) {
      const e = doc[p];
      if (!e) continue;
      const h: HoursOverrides = {};
      if (e.timezone) h.timezone = e.timezone;
      if (e.open) h.open = parseClock(e.open);
      if (e.close) h.close = parseClock(e.close);
      if (e.earlyClose) h.earlyClose = parseClock(e.earlyClose);
      if (e.holidayClose) h.holidayClose = parseClock(e.holidayClose);
      // Refuse keys a profile has no use for, rather than ignoring them silently.
      if (e.holidayClose && p !== "futures") throw new ConfigError(`${sPath}: field ${p}.holidayClose: only futures have holiday halts`, SESSIONS_ADVICE);
      if (e.earlyClose && p === "forex") throw new ConfigError(`${sPath}: field forex.earlyClose: forex has no standard early close; list dates in holidays.json`, SESSIONS_ADVICE);
      if (h.open !== undefined && h.open === h.close && p !== "forex") {
        throw new ConfigError(`${sPath}: field ${p}.close: equals open (${e.open}), a session would last 24 h`, SESSIONS_ADVICE);
      }
      ref.sessions[p] = h;
    }
  }
  return ref;
}

/** Apply holiday overrides for `year` on top of the built-in special days. */
export function applyHolidayOverrides(year: number, notes: Map<number, DayNote>, o: HolidayOverrides | undefined): Map<number, DayNote> {
  if (!o) return notes;
  for (const d of o.open) if (yearOf(d) === year) notes.delete(d);
  for (const [d, name] of o.closed) if (yearOf(d) === year) notes.set(d, { day: d, kind: "closed", name });
  for (const [d, e] of o.early) if (yearOf(d) === year) notes.set(d, { day: d, kind: "early", name: e.name, closeMin: e.closeMin });
  return notes;
}
