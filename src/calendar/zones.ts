import { IANAZone } from "luxon";

/**
 * Time-zone arithmetic for session edges, from the tz database through luxon. Asking luxon for every edge costs
 * ~10 µs, which adds up over 35 years × 20 calendars, so each zone's UTC offset changes are found once per year
 * (luxon offsets sampled every 3 days, each change bisected to the minute) and edges become a lookup. Nothing here
 * is a hand-written DST table: every offset comes from luxon.
 */
const MIN_MS = 60_000;
const STEP_MS = 3 * 86_400_000;

interface ZoneYear {
  /** Instants (UTC ms) at which the offset changes, ascending, and the offset (minutes) from each on. */
  at: number[];
  after: number[];
  /** Offset at the start of the year. */
  first: number;
}

const cache = new Map<string, Map<number, ZoneYear>>();
const zones = new Map<string, IANAZone>();

function zoneOf(name: string): IANAZone {
  let z = zones.get(name);
  if (!z) {
    z = IANAZone.create(name);
    if (!z.isValid) throw new RangeError(`unknown time zone ${name}`);
    zones.set(name, z);
  }
  return z;
}

// Sampled from a little before Jan 1 to a little after Dec 31, so a switch on New Year's night is seen either way.
function scan(zone: IANAZone, year: number): ZoneYear {
  const start = Date.UTC(year, 0, 1) - 2 * 86_400_000;
  const end = Date.UTC(year + 1, 0, 1) + 2 * 86_400_000;
  const first = zone.offset(start);
  const at: number[] = [];
  const after: number[] = [];
  let prevT = start;
  let prev = first;
  for (let t = start + STEP_MS; ; t += STEP_MS) {
    const tt = Math.min(t, end);
    const o = zone.offset(tt);
    if (o !== prev) {
      // Bisect (prevT, tt] to the first minute with the new offset (tz switches fall on whole minutes).
      let lo = prevT;
      let hi = tt;
      while (hi - lo > MIN_MS) {
        const mid = lo + Math.floor((hi - lo) / 2 / MIN_MS) * MIN_MS;
        if (zone.offset(mid) === prev) lo = mid;
        else hi = mid;
      }
      at.push(hi);
      after.push(zone.offset(hi));
      prev = zone.offset(hi);
    }
    prevT = tt;
    if (tt >= end) break;
  }
  return { at, after, first };
}

function zoneYear(name: string, year: number): ZoneYear {
  let years = cache.get(name);
  if (!years) cache.set(name, (years = new Map()));
  let y = years.get(year);
  if (!y) years.set(year, (y = scan(zoneOf(name), year)));
  return y;
}

/** UTC offset (minutes east) of `zone` at instant `ms`. */
export function offsetAt(zone: string, ms: number): number {
  const y = zoneYear(zone, new Date(ms).getUTCFullYear());
  let o = y.first;
  for (let i = 0; i < y.at.length && y.at[i]! <= ms; i++) o = y.after[i]!;
  return o;
}

/**
 * UTC ms of a local wall-clock time (`localMs` = the local date and time written as if it were UTC). In a spring-
 * forward gap the time is read with the offset before the switch (02:30 → 03:30), as luxon does; in the repeated hour
 * of a fall-back the earlier instant wins.
 */
export function localToUtc(zone: string, localMs: number): number {
  const o1 = offsetAt(zone, localMs - 14 * 60 * MIN_MS); // the offset a little before, then refine
  let t = localMs - o1 * MIN_MS;
  const o2 = offsetAt(zone, t);
  if (o2 !== o1) {
    const t2 = localMs - o2 * MIN_MS;
    if (offsetAt(zone, t2) === o2) t = t2;
  }
  return t;
}

/** The local wall clock of instant `ms` in `zone`, written as UTC ms (so getUTC* give the local fields). */
export function utcToLocal(zone: string, ms: number): number {
  return ms + offsetAt(zone, ms) * MIN_MS;
}
