/**
 * The one session engine behind every declared calendar: a year's special days from the rules, then its sessions
 * (open, close and lunch break in UTC, one tz lookup per edge). Pure and deterministic; cached by SessionCalendar.
 */
import { DAY_MS, dayMs, parseClock, parseDateKey, wallClockMs, weekday, yearOf } from "./dates.ts";
import type { DayNote, Session } from "./sessions.ts";
import type { CalendarSpec, Clock } from "./spec.ts";

/** Regular hours replaced by sessions.json (local minutes). */
export interface HoursOverrides {
  timezone?: string;
  open?: number;
  close?: number;
  /** [start, end] of the lunch break, or null for none. */
  lunch?: [number, number] | null;
  earlyClose?: number;
  holidayClose?: number;
}

interface Era {
  from: number;
  open: number;
  close: number;
  lunch: [number, number] | undefined;
  /** −1 when the session opens the evening before its date (open at or after close). */
  openDay: number;
  /** Regular open/close per weekday (0 = Sunday) where a weekday differs. */
  byWeekday: ({ open: number; close: number } | undefined)[];
}

interface Special {
  name: string;
  open?: number;
  close?: number;
  lunch?: [number, number] | null;
}

/** A spec with its clock strings parsed and its overrides applied, ready to build years from. */
export interface CompiledCalendar {
  spec: CalendarSpec;
  timezone: string;
  eras: Era[];
  weekdays: { from: number; mask: boolean[] }[];
  early: { close: number; rules: CalendarSpec["holidays"] }[];
  late: { open: number; rules: CalendarSpec["holidays"] }[];
  shifts: NonNullable<CalendarSpec["shifts"]>;
  special: Map<number, Special>;
  extra: Map<number, string>;
  /** No session before this day (the exchange's first). */
  since: number;
}

const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function clock(spec: CalendarSpec, c: Clock): number {
  const m = parseClock(c);
  if (Number.isNaN(m)) throw new RangeError(`${spec.name}: "${c}" is not a time HH:MM`);
  return m;
}

function date(spec: CalendarSpec, s: string | undefined): number {
  if (s === undefined) return -Infinity;
  const d = parseDateKey(s);
  if (Number.isNaN(d)) throw new RangeError(`${spec.name}: "${s}" is not a date YYYY-MM-DD`);
  return d;
}

/** "Mon-Fri", "Sun-Thu", "Mon,Wed" → a mask indexed by weekday (0 = Sunday). */
export function parseWeekdays(s: string): boolean[] {
  const mask = Array<boolean>(7).fill(false);
  for (const part of s.toLowerCase().split(",")) {
    const [a, b] = part
      .trim()
      .split("-")
      .map((x) => DAY_NAMES.indexOf(x.trim().slice(0, 3)));
    if (a === undefined || a < 0 || (b !== undefined && b < 0)) throw new RangeError(`"${s}" is not a list of weekdays such as Mon-Fri`);
    for (let d = a; ; d = (d + 1) % 7) {
      mask[d] = true;
      if (d === (b ?? a)) break;
    }
  }
  return mask;
}

/** Parse a spec and apply sessions.json overrides. */
export function compile(spec: CalendarSpec, o: HoursOverrides = {}): CompiledCalendar {
  const eras: Era[] = spec.hours.map((h) => {
    const open = o.open ?? clock(spec, h.open);
    const close = o.close ?? clock(spec, h.close);
    const lunch =
      o.lunch !== undefined ? (o.lunch ?? undefined) : h.lunch ? ([clock(spec, h.lunch[0]), clock(spec, h.lunch[1])] as [number, number]) : undefined;
    const byWeekday = DAY_NAMES.map((n) => {
      const d = Object.entries(h.days ?? {}).find(([k]) => k.toLowerCase() === n)?.[1];
      return d ? { open: d.open ? clock(spec, d.open) : open, close: d.close ? clock(spec, d.close) : close } : undefined;
    });
    return { from: date(spec, h.from), open, close, lunch, openDay: open >= close ? -1 : 0, byWeekday };
  });
  const wd = typeof spec.weekdays === "string" || spec.weekdays === undefined ? [{ days: spec.weekdays ?? "Mon-Fri" }] : spec.weekdays;
  const special = new Map<number, Special>();
  for (const [d, s] of Object.entries(spec.special ?? {})) {
    const x: Special = { name: s.name };
    if (s.open) x.open = clock(spec, s.open);
    if (s.close) x.close = clock(spec, s.close);
    if (s.lunch !== undefined) x.lunch = s.lunch ? [clock(spec, s.lunch[0]), clock(spec, s.lunch[1])] : null;
    special.set(date(spec, d), x);
  }
  return {
    spec,
    timezone: o.timezone ?? spec.timezone,
    eras,
    weekdays: wd.map((w) => ({ from: date(spec, "from" in w ? w.from : undefined), mask: parseWeekdays(w.days) })),
    early: (spec.earlyCloses ?? []).map((g) => ({ close: (g.key ? o[g.key] : undefined) ?? clock(spec, g.close), rules: g.rules })),
    late: (spec.lateOpens ?? []).map((g) => ({ open: clock(spec, g.open), rules: g.rules })),
    shifts: spec.shifts ?? [],
    special,
    extra: new Map(Object.entries(spec.extraSessions ?? {}).map(([d, n]) => [date(spec, d), n])),
    since: spec.since ? date(spec, spec.since) : dayMs(spec.firstYear, 1, 1),
  };
}

function latest<T extends { from: number }>(list: readonly T[], day: number): T {
  let hit = list[0]!;
  for (const x of list) if (x.from <= day) hit = x;
  return hit;
}

/** The regular hours of `day`: its era's, or the era's hours for that weekday. */
function regular(c: CompiledCalendar, day: number): Era {
  const era = latest(c.eras, day);
  const w = era.byWeekday[weekday(day)];
  return w ? { ...era, open: w.open, close: w.close } : era;
}

/** True when `day` is a regular trading weekday of the calendar (holidays aside). */
export function isTradingWeekday(c: CompiledCalendar, day: number): boolean {
  return latest(c.weekdays, day).mask[weekday(day)]! || c.extra.has(day);
}

/** Special days of `year`: holidays (closed), early closes, late opens and special sessions, on trading weekdays. */
export function yearNotes(c: CompiledCalendar, year: number): Map<number, DayNote> {
  const notes = new Map<number, DayNote>();
  if (year < c.spec.firstYear) return notes;
  // Rules run over the neighbouring years too: an observed date can cross New Year (Dec 31 for a Saturday Jan 1).
  const holidays = new Map<number, string>();
  // "Taken" for an observance: already a holiday, or not a trading weekday at all.
  const taken = (d: number) => holidays.has(d) || !isTradingWeekday(c, d);
  for (const rule of c.spec.holidays) {
    for (let y = year - 1; y <= year + 1; y++) for (const d of rule.dates(y, taken)) if (!holidays.has(d)) holidays.set(d, rule.name);
  }
  for (const [d, name] of holidays) if (yearOf(d) === year && isTradingWeekday(c, d)) notes.set(d, { day: d, kind: "closed", name });
  const open = (d: number) => yearOf(d) === year && isTradingWeekday(c, d) && notes.get(d)?.kind !== "closed";
  for (const g of c.early) {
    for (const rule of g.rules) {
      for (const d of rule.dates(year, taken)) if (open(d) && !notes.has(d)) notes.set(d, { day: d, kind: "early", name: rule.name, closeMin: g.close });
    }
  }
  for (const g of c.late) {
    for (const rule of g.rules) {
      for (const d of rule.dates(year, taken)) {
        if (!open(d)) continue;
        const n = notes.get(d);
        if (n) n.openMin ??= g.open;
        else notes.set(d, { day: d, kind: "late", name: rule.name, openMin: g.open });
      }
    }
  }
  for (const g of c.shifts) {
    for (const rule of g.rules) {
      for (const d of rule.dates(year, taken)) {
        if (!open(d) || notes.has(d)) continue;
        const era = regular(c, d);
        const n: DayNote = { day: d, kind: g.edges === "all" ? "special" : "late", name: rule.name, openMin: era.open + g.minutes };
        if (g.edges === "all") {
          n.closeMin = era.close + g.minutes;
          n.lunch = era.lunch ? [era.lunch[0] + g.minutes, era.lunch[1] + g.minutes] : null;
        }
        notes.set(d, n);
      }
    }
  }
  for (const [d, s] of c.special) {
    if (!open(d)) continue;
    const n: DayNote = { day: d, kind: s.close !== undefined ? "early" : s.open !== undefined ? "late" : "special", name: s.name };
    if (s.open !== undefined) n.openMin = s.open;
    if (s.close !== undefined) n.closeMin = s.close;
    if (s.lunch !== undefined) n.lunch = s.lunch;
    notes.set(d, n);
  }
  return notes;
}

/** Sessions of `year` from its special days (one tz lookup per session edge). */
export function yearSessions(c: CompiledCalendar, year: number, notes: ReadonlyMap<number, DayNote>): Session[] {
  const out: Session[] = [];
  if (year < c.spec.firstYear) return out;
  const zone = c.timezone;
  for (let day = Math.max(dayMs(year, 1, 1), c.since); yearOf(day) === year; day += DAY_MS) {
    if (!isTradingWeekday(c, day)) continue;
    const note = notes.get(day);
    if (note?.kind === "closed") continue;
    const era = regular(c, day);
    let open = note?.openMin ?? era.open;
    let close = note?.closeMin ?? era.close;
    let lunch = note?.lunch !== undefined ? (note.lunch ?? undefined) : era.lunch;
    // A half day that ends at or inside the lunch break is the morning session only; a late open after it, the
    // afternoon (an evening open is the day before, so only the close can cut its break).
    if (lunch && close <= lunch[1]) {
      close = Math.min(close, lunch[0]);
      lunch = undefined;
    }
    if (lunch && open >= lunch[0] && era.openDay === 0) {
      open = Math.max(open, lunch[1]);
      lunch = undefined;
    }
    const s: Session = { label: day, openMs: wallClockMs(day + era.openDay * DAY_MS, open, zone), closeMs: wallClockMs(day, close, zone) };
    if (lunch) {
      s.breakStartMs = wallClockMs(day, lunch[0], zone);
      s.breakEndMs = wallClockMs(day, lunch[1], zone);
    }
    if (note) {
      if (note.closeMin !== undefined && note.closeMin < era.close) s.early = note.name;
      else s.special = note.name;
    }
    if (s.closeMs > s.openMs) out.push(s);
  }
  return out;
}
