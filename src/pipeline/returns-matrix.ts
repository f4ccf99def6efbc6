// The returns matrix of a snapshot: pure arithmetic over sorted bars and calendars, no I/O.
//
// Semantics (SPEC §6, seed 003 neutral alignment):
// - A member's own sessions are the bar opens its calendar expects between its first and last
//   on-calendar bar. Rows of the matrix are the sorted union of every member's sessions.
// - A cell is the simple close-to-close return r_t = c_t / c_prev − 1, where c_prev is the close
//   of the member's previous real bar. The member's first session has a null return.
// - An expected session without a bar (or with an unusable close: non-finite or ≤ 0) is a gap:
//   neutral-filled with 0.0 and counted. The next real bar's return is measured against the last
//   real close, so the product of (1 + r) over a column still equals last close ÷ first close.
// - Cells outside a member's sessions (equity weekends and holidays, before its first bar, after
//   its last) are null: nothing is padded. Stored bars the calendar does not expect are ignored.
import type { Calendar } from "../calendar/types.ts";
import type { Interval } from "../model/interval.ts";

/** One symbol going into the matrix: its sorted, unique bars (timestamps and closes) and calendar. */
export interface MatrixMember {
  name: string;
  timestamps: Float64Array;
  closes: Float64Array;
  calendar: Calendar;
}

/** One column of the matrix (aligned to the union rows) and what it took to build it. */
export interface MatrixColumn {
  name: string;
  values: Float64Array;
  /** 1 where the cell holds a value, 0 where it is null. */
  valid: Uint8Array;
  /** Sessions the member's calendar expects in its own range whose bar was absent: filled with 0.0. */
  gapsFilled: number;
  /** Stored bars its calendar does not expect (left out of the matrix). */
  offCalendar: number;
  /** Sessions its calendar expects in its own range (the rows it spans). */
  sessions: number;
}

/** The whole matrix: union timestamps (UTC ms, ascending) and one column per member. */
export interface ReturnsMatrix {
  timestamps: Float64Array;
  columns: MatrixColumn[];
}

interface MemberReturns {
  sessions: Float64Array;
  values: Float64Array;
  valid: Uint8Array;
  gapsFilled: number;
  offCalendar: number;
}

/** Build the returns matrix of `members` at `interval` (column order = member order). */
export function buildReturnsMatrix(members: readonly MatrixMember[], interval: Interval): ReturnsMatrix {
  const per = members.map((m) => memberReturns(m, interval));
  const timestamps = unionSorted(per.map((p) => p.sessions));
  const columns = per.map((p, k) => {
    const { values, valid } = spread(p, timestamps);
    return { name: members[k]!.name, values, valid, gapsFilled: p.gapsFilled, offCalendar: p.offCalendar, sessions: p.sessions.length };
  });
  return { timestamps, columns };
}

/** A member's returns over its own sessions (before aligning to the union). */
function memberReturns(m: MatrixMember, interval: Interval): MemberReturns {
  const n = m.timestamps.length;
  if (n === 0) return { sessions: new Float64Array(0), values: new Float64Array(0), valid: new Uint8Array(0), gapsFilled: 0, offCalendar: 0 };
  // One calendar call per member; walking bars against it avoids a per-bar calendar lookup.
  const expected = m.calendar.expected(interval, m.timestamps[0]!, m.timestamps[n - 1]!);
  const onCal = new Uint8Array(expected.length);
  let offCalendar = 0;
  let j = 0;
  const barAt = new Int32Array(expected.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const t = m.timestamps[i]!;
    while (j < expected.length && expected[j]! < t) j++;
    if (j < expected.length && expected[j] === t) {
      onCal[j] = 1;
      barAt[j] = i;
    } else offCalendar++;
  }
  // The member's span runs from its first to its last on-calendar bar.
  let lo = 0;
  while (lo < expected.length && !onCal[lo]) lo++;
  let hi = expected.length - 1;
  while (hi >= lo && !onCal[hi]) hi--;
  if (lo > hi) return { sessions: new Float64Array(0), values: new Float64Array(0), valid: new Uint8Array(0), gapsFilled: 0, offCalendar };

  const len = hi - lo + 1;
  const sessions = expected.slice(lo, hi + 1);
  const values = new Float64Array(len);
  const valid = new Uint8Array(len);
  let gapsFilled = 0;
  let prev = Number.NaN;
  for (let k = 0; k < len; k++) {
    const i = barAt[lo + k]!;
    const c = i >= 0 ? m.closes[i]! : Number.NaN;
    const usable = Number.isFinite(c) && c > 0;
    if (!usable) {
      // A hole inside the member's own sessions: neutral 0.0 (before the first real close there is nothing to be neutral to).
      if (Number.isNaN(prev)) continue;
      values[k] = 0;
      valid[k] = 1;
      gapsFilled++;
      continue;
    }
    if (!Number.isNaN(prev)) {
      values[k] = c / prev - 1;
      valid[k] = 1;
    }
    prev = c;
  }
  return { sessions, values, valid, gapsFilled, offCalendar };
}

/** Sorted union of ascending arrays, without repeats. */
function unionSorted(lists: readonly Float64Array[]): Float64Array {
  let total = 0;
  for (const l of lists) total += l.length;
  const all = new Float64Array(total);
  let o = 0;
  for (const l of lists) {
    all.set(l, o);
    o += l.length;
  }
  all.sort();
  let w = 0;
  for (let r = 0; r < all.length; r++) if (r === 0 || all[r] !== all[w - 1]) all[w++] = all[r]!;
  return all.slice(0, w);
}

/** Place a member's session values on the union rows; everything else stays null. */
function spread(p: MemberReturns, rows: Float64Array): { values: Float64Array; valid: Uint8Array } {
  const values = new Float64Array(rows.length);
  const valid = new Uint8Array(rows.length);
  let r = 0;
  for (let k = 0; k < p.sessions.length; k++) {
    const t = p.sessions[k]!;
    while (rows[r]! < t) r++;
    values[r] = p.values[k]!;
    valid[r] = p.valid[k]!;
  }
  return { values, valid };
}
