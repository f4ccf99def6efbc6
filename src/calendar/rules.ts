/**
 * Holiday rules for the declarative calendars: a rule names the days it gives in a year (day ms), optionally
 * limited to a range of dates and moved by an observance. Modelled on pandas' `Holiday` as exchange_calendars uses
 * it: `days` filters the unobserved date, `from`/`to` the observed one.
 */
import { DAY_MS, dayMs, easter, lastWeekday, nthWeekday, parseDateKey, weekday } from "./dates.ts";

export const SUN = 0;
export const MON = 1;
export const TUE = 2;
export const WED = 3;
export const THU = 4;
export const FRI = 5;
export const SAT = 6;

/** Moves a holiday that falls on a day off; `taken` says whether a day is already a holiday (for "next free day"). */
export type Observance = (day: number, taken: (d: number) => boolean) => number | undefined;

/** A holiday rule: the dates it gives in `year` (already observed and range-checked). */
export interface Rule {
  readonly name: string;
  dates(year: number, taken: (d: number) => boolean): number[];
}

/** Options shared by every rule. */
export interface RuleOptions {
  /** First date the rule applies (observed date, "YYYY-MM-DD" or a year). */
  from?: string | number;
  /** Last date the rule applies (observed date, inclusive). */
  to?: string | number;
  /** Weekdays (0 = Sunday) the unobserved date must fall on. */
  days?: readonly number[];
  observe?: Observance;
  /** Years skipped (the rule did not apply, e.g. a holiday moved for a jubilee). */
  except?: readonly number[];
}

function bound(v: string | number | undefined, end: boolean): number {
  if (v === undefined) return end ? Infinity : -Infinity;
  if (typeof v === "number") return end ? dayMs(v, 12, 31) : dayMs(v, 1, 1);
  const ms = parseDateKey(v);
  if (Number.isNaN(ms)) throw new RangeError(`rule bound "${v}" is not a date`);
  return ms;
}

function make(name: string, raw: (year: number) => number | undefined, o: RuleOptions = {}): Rule {
  const lo = bound(o.from, false);
  const hi = bound(o.to, true);
  return {
    name,
    dates(year, taken) {
      if (o.except?.includes(year)) return [];
      const d = raw(year);
      if (d === undefined || (o.days && !o.days.includes(weekday(d)))) return [];
      const obs = o.observe ? o.observe(d, taken) : d;
      return obs !== undefined && obs >= lo && obs <= hi ? [obs] : [];
    },
  };
}

/** A fixed date every year (month 1–12). */
export function fixed(name: string, month: number, day: number, o?: RuleOptions): Rule {
  return make(name, (y) => dayMs(y, month, day), o);
}

/** A day relative to Easter Sunday (Good Friday −2, Easter Monday +1, Ascension +39, Whit Monday +50). */
export function easterOffset(name: string, offset: number, o?: RuleOptions): Rule {
  return make(name, (y) => easter(y) + offset * DAY_MS, o);
}

/** The n-th weekday of a month (n = −1: the last). */
export function nth(name: string, month: number, wd: number, n: number, o?: RuleOptions): Rule {
  return make(name, (y) => (n < 0 ? lastWeekday(y, month, wd) : nthWeekday(y, month, wd, n)), o);
}

/** The first weekday `wd` on or after a date (e.g. Midsummer Eve: the Friday from June 19). */
export function onOrAfter(name: string, month: number, day: number, wd: number, o?: RuleOptions): Rule {
  return make(name, (y) => dayMs(y, month, day) + ((wd - weekday(dayMs(y, month, day)) + 7) % 7) * DAY_MS, o);
}

/** Any computed date (a lunar or solar table, a rule no other helper states). */
export function computed(name: string, fn: (year: number) => number | undefined, o?: RuleOptions): Rule {
  return make(name, fn, o);
}

/** Dates as the exchange announced them ("YYYY-MM-DD"): one-off closures, lunar holidays. */
export function dates(name: string, list: readonly string[]): Rule {
  // Indexed on first use: every calendar's lists are built when the calendars module loads, and parsing them all
  // there cost ~10 ms of every command's start, most of which never asks for a holiday.
  let byYear: Map<number, number[]> | undefined;
  const index = () => {
    const m = new Map<number, number[]>();
    for (const s of list) {
      const d = parseDateKey(s);
      if (Number.isNaN(d)) throw new RangeError(`${name}: "${s}" is not a date`);
      const y = new Date(d).getUTCFullYear();
      const at = m.get(y);
      if (at) at.push(d);
      else m.set(y, [d]);
    }
    return m;
  };
  return { name, dates: (year) => (byYear ??= index()).get(year) ?? [] };
}

/** The first trading day of each year (after the New Year holidays), from `from` on. */
export function firstSessionOfYear(name: string, o: { from?: number } = {}): Rule {
  return {
    name,
    dates(year, taken) {
      if (o.from !== undefined && year < o.from) return [];
      let d = dayMs(year, 1, 1);
      while (taken(d)) d += DAY_MS;
      return [d];
    },
  };
}

/** Named one-off dates: { "2022-09-19": "State funeral of Queen Elizabeth II", … }. */
export function named(list: Readonly<Record<string, string>>): Rule[] {
  return Object.entries(list).map(([d, name]) => dates(name, [d]));
}

const isWeekendDay = (d: number) => weekday(d) === SAT || weekday(d) === SUN;

/** Observances (what happens to a holiday that falls on a weekend). */
export const observe = {
  /** Sunday → Monday; Saturday stays (lost). */
  sundayToMonday: ((d) => (weekday(d) === SUN ? d + DAY_MS : d)) as Observance,
  /** Saturday or Sunday → Monday. */
  weekendToMonday: ((d) => (weekday(d) === SAT ? d + 2 * DAY_MS : weekday(d) === SUN ? d + DAY_MS : d)) as Observance,
  /** Saturday → Friday, Sunday → Monday. */
  nearestWeekday: ((d) => (weekday(d) === SAT ? d - DAY_MS : weekday(d) === SUN ? d + DAY_MS : d)) as Observance,
  /** Saturday or Sunday → the Friday before. */
  previousFriday: ((d) => (weekday(d) === SAT ? d - DAY_MS : weekday(d) === SUN ? d - 2 * DAY_MS : d)) as Observance,
  /** Saturday → Friday; Sunday stays (lost). */
  saturdayToFriday: ((d) => (weekday(d) === SAT ? d - DAY_MS : d)) as Observance,
  /** Saturday or Sunday → two days later: Christmas and Boxing Day on a weekend (UK, Australia, Canada). */
  christmasPair: ((d) => (isWeekendDay(d) ? d + 2 * DAY_MS : d)) as Observance,
  /** Weekend or already a holiday → the next weekday that is neither. */
  nextFreeDay: ((d, taken) => {
    if (!isWeekendDay(d)) return d;
    let x = d + DAY_MS;
    while (isWeekendDay(x) || taken(x)) x += DAY_MS;
    return x;
  }) as Observance,
  /** Sunday (or already a holiday) → the next free weekday; Saturday stays (Japan's substitute holiday). */
  sundayToNextFree: ((d, taken) => {
    if (weekday(d) !== SUN) return d;
    let x = d + DAY_MS;
    while (isWeekendDay(x) || taken(x)) x += DAY_MS;
    return x;
  }) as Observance,
} as const;

/** Closures per year: closure name → "MM-DD", "MM-DD..MM-DD" or a comma-separated list of them (see announced). */
export type ClosureTable = Readonly<Record<number, Readonly<Record<string, string>>>>;

/**
 * Closures as an exchange announces them, year by year: `{ 2024: { "Spring Festival": "02-09..02-16", "Qingming":
 * "04-04,04-05" } }`. A range covers every day from its first to its last (weekends in it are off anyway).
 */
export function announced(table: ClosureTable): Rule[] {
  const byName = new Map<string, string[]>();
  for (const [year, entries] of Object.entries(table)) {
    for (const [name, spec] of Object.entries(entries)) {
      const list = byName.get(name) ?? [];
      for (const part of spec.split(",")) {
        const [a, b] = part.trim().split("..");
        const first = parseDateKey(`${year}-${a}`);
        const last = b ? parseDateKey(`${year}-${b}`) : first;
        if (Number.isNaN(first) || Number.isNaN(last) || last < first) throw new RangeError(`${name} ${year}: "${part}" is not MM-DD or MM-DD..MM-DD`);
        for (let d = first; d <= last; d += DAY_MS) list.push(new Date(d).toISOString().slice(0, 10));
      }
      byName.set(name, list);
    }
  }
  return [...byName].map(([name, list]) => dates(name, list));
}
