import { type Interval, intervalMs } from "../model/interval.ts";
import type { Profile } from "../model/profile.ts";
import { yearOf } from "./dates.ts";
import { type CompiledCalendar, yearNotes, yearSessions } from "./engine.ts";
import type { CalendarSpec, Grid } from "./spec.ts";
import type { Calendar } from "./types.ts";

/** One trading session: `label` is its date at 00:00 UTC (the daily bar's timestamp); open/close are UTC ms. */
export interface Session {
  label: number;
  openMs: number;
  closeMs: number;
  /** Lunch break (Tokyo, Hong Kong, Shanghai…), UTC ms; no bars are expected inside it. */
  breakStartMs?: number;
  breakEndMs?: number;
  /** Name of the early close or halt, when the session is short. */
  early?: string;
  /** Name of a late open or other special hours. */
  special?: string;
}

/** A day the rules make special: closed, closing early, opening late, or trading other special hours (local minutes). */
export interface DayNote {
  day: number;
  kind: "closed" | "early" | "late" | "special";
  name: string;
  closeMin?: number;
  openMin?: number;
  /** The lunch break that day, or null when there is none. */
  lunch?: [number, number] | null;
}

/** A calendar that can also list its sessions and special days (for `dqctl calendar` and the stale check). */
export interface MarketCalendar extends Calendar {
  /** Calendar name: XNYS, XTKS, CMES_EQUITY, FOREX, CRYPTO… */
  readonly name: string;
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

/** The trading stretches of a session: [open, close], or morning and afternoon around a lunch break. */
export function tradingParts(s: Session): [number, number][] {
  if (s.breakStartMs === undefined || s.breakEndMs === undefined) return [[s.openMs, s.closeMs]];
  return [
    [s.openMs, s.breakStartMs],
    [s.breakEndMs, s.closeMs],
  ];
}

function buildBars(sessions: readonly Session[], step: number, grid: Grid): BarTable {
  let cap = 0;
  for (const s of sessions) cap += Math.ceil((s.closeMs - s.openMs) / step) + 2;
  const opens = new Float64Array(cap);
  const ends = new Float64Array(cap);
  let n = 0;
  for (const s of sessions) {
    for (const [from, to] of tradingParts(s)) {
      let t = grid === "epoch" ? Math.floor(from / step) * step : from;
      for (; t < to; t += step) {
        const end = Math.min(t + step, to);
        // An epoch slot straddling two parts (the CME halt, a lunch break) is one bar; it completes with the later part.
        if (n > 0 && opens[n - 1]! >= t) ends[n - 1] = Math.max(ends[n - 1]!, end);
        else {
          opens[n] = t;
          ends[n] = end;
          n++;
        }
      }
    }
  }
  return { opens: opens.slice(0, n), ends: ends.slice(0, n) };
}

/** A calendar of discrete sessions built by the engine from a declared spec, cached per year and interval. */
export class SessionCalendar implements MarketCalendar {
  private readonly years = new Map<number, { sessions: Session[]; labels: Float64Array; closes: Float64Array; notes: DayNote[] }>();
  private readonly tables = new Map<string, BarTable>();
  readonly profile: Profile;
  readonly name: string;
  private readonly grid: Grid;

  /** `adjust` edits a year's special days before its sessions are built (reference overrides from holidays.json). */
  constructor(
    private readonly compiled: CompiledCalendar,
    private readonly adjust?: (year: number, notes: Map<number, DayNote>) => Map<number, DayNote>,
  ) {
    this.profile = compiled.spec.profile;
    this.name = compiled.spec.name;
    this.grid = compiled.spec.grid ?? "session";
  }

  get timezone(): string {
    return this.compiled.timezone;
  }

  /** The declared calendar this one was built from. */
  get spec(): CalendarSpec {
    return this.compiled.spec;
  }

  private year(y: number) {
    let entry = this.years.get(y);
    if (!entry) {
      const base = yearNotes(this.compiled, y);
      const noteMap = this.adjust ? this.adjust(y, base) : base;
      const sessions = yearSessions(this.compiled, y, noteMap);
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
