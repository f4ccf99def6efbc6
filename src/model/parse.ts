// The one parser for the values people type into flags and config: instants, dates, durations and numbers.
// Exact on purpose: 2026-02-30, minute 99 or year 0050 are refused rather than rolled over, and an instant
// without an offset is UTC on every machine (never the local zone), so a pinned run is the same everywhere.
import { ConfigError } from "../errors.ts";

/** Years an instant or date may name; anything else is a typo (0050, 20260) rather than market data. */
export const YEAR_RANGE = { min: 1900, max: 2200 } as const;

const DAY_MS = 86_400_000;
const INSTANT = /^(\d{4,})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** `label` names where the value came from: a flag (`--now`) or a config path (`dqctl.config.json: checks.gap.maxGapDays`). */
function refuse(label: string, raw: string, why: string, example: string): never {
  throw new ConfigError(`${label}: ${JSON.stringify(raw)} ${why}`, label.startsWith("-") ? `write e.g. ${label} ${example}` : `write e.g. ${example}`);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Checked civil date → 00:00 UTC epoch ms. */
function civilDay(label: string, raw: string, y: number, mo: number, d: number, example: string): number {
  if (y < YEAR_RANGE.min || y > YEAR_RANGE.max)
    refuse(label, raw, `has year ${String(y).padStart(4, "0")}, outside ${YEAR_RANGE.min}–${YEAR_RANGE.max}`, example);
  if (mo < 1 || mo > 12) refuse(label, raw, `has month ${mo} (months are 01–12)`, example);
  const last = daysIn(y, mo);
  if (d < 1 || d > last) refuse(label, raw, `is not a date (${MONTHS[mo - 1]} ${y} has ${last} days)`, example);
  return Date.UTC(y, mo - 1, d);
}

/**
 * An instant: `YYYY-MM-DD` (00:00 UTC), or `YYYY-MM-DDTHH:MM[:SS[.fff]]` with an optional `Z` or `±HH[:MM]`
 * offset (`T` may be a space). No offset means UTC. Returns epoch ms; anything else is a ConfigError naming `label`.
 */
export function parseInstant(raw: string, label: string): number {
  const example = "2026-11-21T06:00:00Z";
  const m = INSTANT.exec(raw.trim());
  if (!m) refuse(label, raw, "is not an ISO-8601 time (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])", example);
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  let ms = civilDay(label, raw, Number(y), Number(mo), Number(d), example);
  if (h === undefined) return ms;
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23) refuse(label, raw, `has hour ${h} (hours are 00–23)`, example);
  if (minute > 59) refuse(label, raw, `has minute ${mi} (minutes are 00–59)`, example);
  if (second > 59) refuse(label, raw, `has second ${s} (seconds are 00–59)`, example);
  ms += ((hour * 60 + minute) * 60 + second) * 1000 + (frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
  if (tz && tz.toUpperCase() !== "Z") {
    const digits = tz.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 14 || om > 59) refuse(label, raw, `has offset ${tz} (offsets are −14:00…+14:00)`, example);
    ms -= (tz[0] === "-" ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return ms;
}

/** A calendar date `YYYY-MM-DD` → 00:00 UTC epoch ms. */
export function parseDate(raw: string, label: string): number {
  const m = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(raw.trim());
  if (!m) refuse(label, raw, "is not a date (YYYY-MM-DD)", "2026-11-21");
  return civilDay(label, raw, Number(m[1]), Number(m[2]), Number(m[3]), "2026-11-21");
}

/** The last millisecond of the UTC day of `dayMs` (for inclusive `--to DATE`). */
export function endOfDay(dayMs: number): number {
  return Math.floor(dayMs / DAY_MS) * DAY_MS + DAY_MS - 1;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS };

/** A duration: `500ms`, `30s`, `5m`, `1h`, `2d`, or a sum such as `1h30m`; a bare number is seconds. Returns ms. */
export function parseDuration(raw: string, label: string): number {
  const s = raw.trim().toLowerCase();
  const example = "30s";
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(s)) refuse(label, raw, "is not a duration (a number with ms, s, m, h or d, e.g. 30s, 5m, 1h30m)", example);
  let ms = 0;
  for (const part of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) ms += Number(part[1]) * UNIT_MS[part[2]!]!;
  return Math.round(ms);
}

/** Bounds of a number flag or config value. */
export interface NumberRange {
  min?: number;
  max?: number;
  /** Whole numbers only. */
  integer?: boolean;
}

/** The words for a range, e.g. "a whole number ≥ 0" or "a number between 0 and 1". */
export function describeRange(r: NumberRange): string {
  const kind = r.integer ? "a whole number" : "a number";
  if (r.min !== undefined && r.max !== undefined) return `${kind} between ${r.min} and ${r.max}`;
  if (r.min !== undefined) return `${kind} ≥ ${r.min}`;
  if (r.max !== undefined) return `${kind} ≤ ${r.max}`;
  return kind;
}

function exampleIn(r: NumberRange): string {
  if (r.max !== undefined && r.max <= 1) return "0.9";
  const lo = r.min ?? 0;
  return String(r.integer ? Math.max(lo, 10) : Math.max(lo, 2.5));
}

/**
 * A number written as decimal digits (`365`, `0.9`, `-1.5`; no hex, no exponents, no blanks), or one that is
 * already a number (YAML/JSON config), checked against `range`.
 */
export function parseNumber(raw: string | number, label: string, range: NumberRange = {}): number {
  const text = String(raw);
  const n = typeof raw === "number" ? raw : /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  const ok =
    Number.isFinite(n) && (!range.integer || Number.isInteger(n)) && (range.min === undefined || n >= range.min) && (range.max === undefined || n <= range.max);
  if (!ok) refuse(label, text, `is not ${describeRange(range)}`, exampleIn(range));
  return n;
}

/** A whole number ≥ 0 (counts, days, budgets). */
export function parseCount(raw: string, label: string, range: Omit<NumberRange, "integer"> = {}): number {
  return parseNumber(raw, label, { min: 0, ...range, integer: true });
}

/** The items of a comma-separated value (`--symbols A,B`), trimmed, empty ones dropped; undefined when not given. */
export function parseList(raw: string | undefined): string[] | undefined {
  return raw
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
