import { type Interval, intervalMs } from "../model/interval.ts";
import type { Profile } from "../model/profile.ts";
import { DAY_MS, dayMs, isWeekend, wallClockMs, yearOf } from "./dates.ts";
import type { Calendar } from "./types.ts";

/** One trading session: `label` is its date at 00:00 UTC (the daily bar's timestamp); open/close are UTC ms. */
export interface Session {
  label: number;
  openMs: number;
  closeMs: number;
  /** Name of the early close or halt, when the session is short. */
  early?: string;
}

/** A day the rules make special: closed, or closing early at `closeMin` local minutes. */
export interface DayNote {
  day: number;
  kind: "closed" | "early";
  name: string;
  closeMin?: number;
}

/** Regular hours of a session calendar, as local minutes after midnight. */
export interface SessionHours {
  timezone: string;
  /** Open ≥ close means the session opens the previous calendar day (CME 17:00 → 16:00, forex 17:00 → 17:00). */
  open: number;
  close: number;
}

/** A calendar that can also list its sessions and special days (for `dqctl calendar` and the stale check). */
export interface MarketCalendar extends Calendar {
  readonly timezone: string;
  /** Sessions whose label lies in [fromMs, toMs], ascending. */
  sessionsBetween(fromMs: number, toMs: number): Session[];
  /** Holidays and early closes whose date lies in [fromMs, toMs], ascending. */
  notesBetween(fromMs: number, toMs: number): DayNote[];
  /** The last session that has closed by `nowMs`. */
  lastClosedSession(nowMs: number): Session | undefined;
}

/** True when `c` can list sessions (every calendar built here can; a test stub may not). */
export function isMarketCalendar(c: Calendar): c is MarketCalendar {
  return typeof (c as Partial<MarketCalendar>).lastClosedSession === "function";
}

/**
 * Where intraday bars sit inside a session:
 * - "session": on a grid starting at the session open (NYSE 1h bars at 09:30, 10:30 … 15:30; a short last bar on an early close);
 * - "epoch": on UTC multiples of the interval (as FX and futures vendors label them); a slot is expected when it
 *   overlaps trading time, so a 4h slot that straddles the open (or the CME daily halt) is one expected bar.
 */
export type Grid = "session" | "epoch";

interface BarTable {
  opens: Float64Array;
  /** When each bar completes: min(open + interval, session close); non-decreasing. */
  ends: Float64Array;
}

const EMPTY = new Float64Array(0);

/** Lower bound: first index with a[i] >= x. */
export function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Build a year's sessions from its regular hours and special days (one luxon call per session edge). */
export function buildSessions(year: number, hours: SessionHours, notes: ReadonlyMap<number, DayNote>): Session[] {
  const out: Session[] = [];
  const openOffset = hours.open >= hours.close ? -DAY_MS : 0;
  for (let day = dayMs(year, 1, 1); yearOf(day) === year; day += DAY_MS) {
    const note = notes.get(day);
    if (isWeekend(day) || note?.kind === "closed") continue;
    const closeMin = note?.kind === "early" && note.closeMin !== undefined ? note.closeMin : hours.close;
    const s: Session = { label: day, openMs: wallClockMs(day + openOffset, hours.open, hours.timezone), closeMs: wallClockMs(day, closeMin, hours.timezone) };
    if (note?.kind === "early") s.early = note.name;
    if (s.closeMs > s.openMs) out.push(s);
  }
  return out;
}

function buildBars(sessions: readonly Session[], step: number, grid: Grid): BarTable {
  let cap = 0;
  for (const s of sessions) cap += Math.ceil((s.closeMs - s.openMs) / step) + 2;
  const opens = new Float64Array(cap);
  const ends = new Float64Array(cap);
  let n = 0;
  for (const s of sessions) {
    let t = grid === "epoch" ? Math.floor(s.openMs / step) * step : s.openMs;
    for (; t < s.closeMs; t += step) {
      const end = Math.min(t + step, s.closeMs);
      // An epoch slot straddling two sessions (the CME halt) is one bar; it completes with the later session's part.
      if (n > 0 && opens[n - 1]! >= t) ends[n - 1] = Math.max(ends[n - 1]!, end);
      else {
        opens[n] = t;
        ends[n] = end;
        n++;
      }
    }
  }
  return { opens: opens.slice(0, n), ends: ends.slice(0, n) };
}

/** A calendar of discrete sessions (equity, futures, forex), cached per year and interval. */
export class SessionCalendar implements MarketCalendar {
  private readonly years = new Map<number, { sessions: Session[]; labels: Float64Array; closes: Float64Array; notes: DayNote[] }>();
  private readonly tables = new Map<string, BarTable>();

  constructor(
    readonly profile: Profile,
    readonly hours: SessionHours,
    private readonly grid: Grid,
    private readonly notesOf: (year: number) => ReadonlyMap<number, DayNote>,
  ) {}

  get timezone(): string {
    return this.hours.timezone;
  }

  private year(y: number) {
    let entry = this.years.get(y);
    if (!entry) {
      const noteMap = this.notesOf(y);
      const sessions = buildSessions(y, this.hours, noteMap);
      entry = {
        sessions,
        labels: Float64Array.from(sessions, (s) => s.label),
        closes: Float64Array.from(sessions, (s) => s.closeMs),
        notes: [...noteMap.values()].sort((a, b) => a.day - b.day),
      };
      this.years.set(y, entry);
    }
    return entry;
  }

  private table(y: number, interval: Interval): BarTable {
    const key = `${y}:${interval}`;
    let t = this.tables.get(key);
    if (!t) {
      const yr = this.year(y);
      t = interval === "1d" ? { opens: yr.labels, ends: yr.closes } : buildBars(yr.sessions, intervalMs(interval), this.grid);
      this.tables.set(key, t);
    }
    return t;
  }

  expected(interval: Interval, fromMs: number, toMs: number): Float64Array {
    if (!(fromMs <= toMs)) return EMPTY;
    // Intraday bars of a session labelled y+1 can open late in year y (evening opens), so look one year around.
    const pad = interval === "1d" ? 0 : 1;
    const parts: Float64Array[] = [];
    let total = 0;
    for (let y = yearOf(fromMs) - pad; y <= yearOf(toMs) + pad; y++) {
      const { opens } = this.table(y, interval);
      const part = opens.subarray(lowerBound(opens, fromMs), lowerBound(opens, toMs + 1));
      if (part.length) {
        parts.push(part);
        total += part.length;
      }
    }
    const out = new Float64Array(total);
    let n = 0;
    for (const part of parts) {
      // A shared epoch slot at a year boundary appears in both years' tables.
      const skip = n > 0 && part[0]! <= out[n - 1]! ? 1 : 0;
      out.set(skip ? part.subarray(1) : part, n);
      n += part.length - skip;
    }
    return n === total ? out : out.slice(0, n);
  }

  isExpected(interval: Interval, ts: number): boolean {
    if (!Number.isFinite(ts)) return false;
    const y = yearOf(ts);
    for (let yy = interval === "1d" ? y : y - 1; yy <= (interval === "1d" ? y : y + 1); yy++) {
      const { opens } = this.table(yy, interval);
      const i = lowerBound(opens, ts);
      if (opens[i] === ts) return true;
    }
    return false;
  }

  lastCompleted(interval: Interval, nowMs: number): number | undefined {
    const y0 = yearOf(nowMs);
    // Walk back a few years at most: a calendar with no session for a decade is not a market.
    for (let y = y0 + 1; y >= y0 - 10; y--) {
      const { opens, ends } = this.table(y, interval);
      const i = lowerBound(ends, nowMs + 1) - 1;
      if (i >= 0) return opens[i];
    }
    return undefined;
  }

  sessionsBetween(fromMs: number, toMs: number): Session[] {
    const out: Session[] = [];
    for (let y = yearOf(fromMs); y <= yearOf(toMs); y++) {
      for (const s of this.year(y).sessions) if (s.label >= fromMs && s.label <= toMs) out.push(s);
    }
    return out;
  }

  notesBetween(fromMs: number, toMs: number): DayNote[] {
    const out: DayNote[] = [];
    for (let y = yearOf(fromMs); y <= yearOf(toMs); y++) {
      for (const n of this.year(y).notes) if (n.day >= fromMs && n.day <= toMs) out.push(n);
    }
    return out;
  }

  lastClosedSession(nowMs: number): Session | undefined {
    const y0 = yearOf(nowMs);
    for (let y = y0; y >= y0 - 10; y--) {
      const yr = this.year(y);
      const i = lowerBound(yr.closes, nowMs + 1) - 1;
      if (i >= 0) return yr.sessions[i];
    }
    return undefined;
  }
}
