import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { IANAZone } from "luxon";
import * as v from "valibot";
import { ConfigError } from "../errors.ts";
import { validate } from "../lakehouse/catalog.ts";
import { parseClock, parseDateKey, yearOf } from "./dates.ts";
import type { HoursOverrides } from "./engine.ts";
import { calendarNames, canonicalCalendar, DEFAULT_CALENDAR, specOf } from "./registry.ts";
import type { DayNote } from "./sessions.ts";

export type { HoursOverrides } from "./engine.ts";

/** Profiles with sessions (crypto trades 24/7 UTC: nothing to override). */
export const SESSION_PROFILES = ["equity", "futures", "forex"] as const;
export type SessionProfile = (typeof SESSION_PROFILES)[number];

/** Closures and early closes added to (or removed from) a calendar's built-in rules; keys are day ms. */
export interface HolidayOverrides {
  closed: Map<number, string>;
  early: Map<number, { closeMin: number; name: string }>;
  /** Built-in holidays or early closes cancelled: the day trades regular hours (weekends stay closed). */
  open: Set<number>;
}

/**
 * Everything `config/reference/{holidays,sessions}.json` change about the built-in calendars, keyed by calendar name
 * (XTKS, CMES_EQUITY…) or by profile (equity = XNYS, futures = CMES and its product groups, forex = FOREX).
 */
export interface ReferenceOverrides {
  holidays: Record<string, HolidayOverrides>;
  sessions: Record<string, HoursOverrides>;
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
  closed: v.optional(
    v.array(v.union([DateStr, v.strictObject({ date: DateStr, name: v.optional(v.string()) })], "expected a date YYYY-MM-DD or { date, name }")),
  ),
  earlyClose: v.optional(
    v.record(DateStr, v.union([Clock, v.strictObject({ close: Clock, name: v.optional(v.string()) })], 'expected "HH:MM" or { close, name }')),
  ),
  open: v.optional(v.array(DateStr)),
});
const HoursEntry = v.strictObject({
  timezone: v.optional(Zone),
  open: v.optional(Clock),
  close: v.optional(Clock),
  lunch: v.optional(v.nullable(v.tuple([Clock, Clock], 'expected ["HH:MM", "HH:MM"] or null'))),
  earlyClose: v.optional(Clock),
  holidayClose: v.optional(Clock),
});

/** No overrides: the built-in rules only. */
export function emptyReference(): ReferenceOverrides {
  return { holidays: {}, sessions: {}, files: [] };
}

function readJson(path: string, advice: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`${path}: malformed JSON (${(err as Error).message})`, advice, { cause: err });
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw new ConfigError(`${path}: field (root): expected an object keyed by profile or calendar`, advice);
  return raw as Record<string, unknown>;
}

/** The entries of a reference file keyed by profile or canonical calendar name (a bad key is a ConfigError). */
function keyed(path: string, raw: Record<string, unknown>): [key: string, body: unknown, field: string][] {
  const out: [string, unknown, string][] = [];
  for (const [k, body] of Object.entries(raw)) {
    if (k === "$schema") continue;
    // Crypto is named explicitly because "unknown key" would not say why it is refused.
    if (k.toLowerCase() === "crypto")
      throw new ConfigError(`${path}: field ${k}: crypto trades 24/7 UTC, it has no holidays or session hours`, "remove the crypto entry");
    const key = (SESSION_PROFILES as readonly string[]).includes(k) ? k : canonicalCalendar(k);
    if (!key || !specOf(specKey(key))) {
      throw new ConfigError(
        `${path}: field ${k}: not a profile or calendar`,
        `key entries by equity, futures, forex or a calendar name (${calendarNames()
          .filter((n) => n !== "CRYPTO")
          .join(", ")})`,
      );
    }
    out.push([key, body, k]);
  }
  return out;
}

const HOLIDAYS_ADVICE = 'fix the entry: { "XTKS": { "closed": ["2026-01-09"], "earlyClose": { "2026-11-27": "13:00" }, "open": [] } }';
const SESSIONS_ADVICE = 'fix the entry: { "XTKS": { "timezone": "Asia/Tokyo", "open": "09:00", "close": "15:30", "lunch": ["11:30", "12:30"] } }';

/** The calendar a reference key changes (a profile key means its default calendar). */
function specKey(key: string): string {
  return (SESSION_PROFILES as readonly string[]).includes(key) ? DEFAULT_CALENDAR[key as SessionProfile] : key;
}

function specForKey(key: string) {
  return specOf(specKey(key))!;
}

/** Load `holidays.json` and `sessions.json` from `dir` (each optional); a bad file is a ConfigError naming file and field. */
export function loadReference(dir: string): ReferenceOverrides {
  const ref = emptyReference();
  const hPath = join(dir, "holidays.json");
  if (existsSync(hPath)) {
    const raw = readJson(hPath, HOLIDAYS_ADVICE);
    ref.files.push(hPath);
    for (const [key, body, field] of keyed(hPath, raw)) {
      const e = validate(v.object({ [field]: HolidayEntry }), { [field]: body }, hPath, HOLIDAYS_ADVICE, ConfigError)[field]!;
      const o: HolidayOverrides = ref.holidays[key] ?? { closed: new Map(), early: new Map(), open: new Set() };
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
      ref.holidays[key] = o;
    }
  }
  const sPath = join(dir, "sessions.json");
  if (existsSync(sPath)) {
    const raw = readJson(sPath, SESSIONS_ADVICE);
    ref.files.push(sPath);
    for (const [key, body, field] of keyed(sPath, raw)) {
      const e = validate(v.object({ [field]: HoursEntry }), { [field]: body }, sPath, SESSIONS_ADVICE, ConfigError)[field]!;
      const spec = specForKey(key);
      const h: HoursOverrides = {};
      if (e.timezone) h.timezone = e.timezone;
      if (e.open) h.open = parseClock(e.open);
      if (e.close) h.close = parseClock(e.close);
      if (e.lunch !== undefined) h.lunch = e.lunch ? [parseClock(e.lunch[0]), parseClock(e.lunch[1])] : null;
      if (e.earlyClose) h.earlyClose = parseClock(e.earlyClose);
      if (e.holidayClose) h.holidayClose = parseClock(e.holidayClose);
      // Refuse keys a calendar has no use for, rather than ignoring them silently.
      for (const k of ["earlyClose", "holidayClose"] as const) {
        if (e[k] && !spec.earlyCloses?.some((g) => g.key === k)) {
          throw new ConfigError(
            `${sPath}: field ${field}.${k}: ${spec.name} has no standard ${k === "earlyClose" ? "early close" : "holiday halt"}; list dates in holidays.json`,
            SESSIONS_ADVICE,
          );
        }
      }
      if (h.open !== undefined && h.open === h.close && spec.profile !== "forex") {
        throw new ConfigError(`${sPath}: field ${field}.close: equals open (${e.open}), a session would last 24 h`, SESSIONS_ADVICE);
      }
      if (h.lunch && !(h.lunch[0] < h.lunch[1])) throw new ConfigError(`${sPath}: field ${field}.lunch: the break must end after it starts`, SESSIONS_ADVICE);
      ref.sessions[key] = { ...ref.sessions[key], ...h };
    }
  }
  return ref;
}

/**
 * The reference keys that apply to a calendar, least specific first: its profile (for the family's default calendar
 * and what refines it, so "futures" still reaches the CME product groups), its parent, itself.
 */
export function referenceKeys(spec: { name: string; profile: string; parent?: string }): string[] {
  const keys: string[] = [];
  const def = (DEFAULT_CALENDAR as Record<string, string>)[spec.profile];
  if (spec.profile !== "crypto" && (spec.name === def || spec.parent === def)) keys.push(spec.profile);
  if (spec.parent) keys.push(spec.parent);
  keys.push(spec.name);
  return keys;
}

/** Apply holiday overrides for `year` on top of the built-in special days. */
export function applyHolidayOverrides(year: number, notes: Map<number, DayNote>, o: HolidayOverrides | undefined): Map<number, DayNote> {
  if (!o) return notes;
  for (const d of o.open) if (yearOf(d) === year) notes.delete(d);
  for (const [d, name] of o.closed) if (yearOf(d) === year) notes.set(d, { day: d, kind: "closed", name });
  for (const [d, e] of o.early) if (yearOf(d) === year) notes.set(d, { day: d, kind: "early", name: e.name, closeMin: e.closeMin });
  return notes;
}
