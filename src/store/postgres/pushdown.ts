// The checks the PostgreSQL store answers in SQL (see src/checks/pushdown.ts), for every series of an audit at once:
// each query takes the series as arrays (unnest … with ordinality: k is the request's position) and returns only
// evidence rows, all in one read-only snapshot with the catalog versions they were computed at. Only comparisons,
// counts and run lengths run in SQL. PostgreSQL orders NaN above every number (NaN > 0 and NaN = NaN are true there,
// false in JS), so every comparison that could meet a NaN is guarded to give JS's answer; and float8 division raises
// on overflow where JS gives ∞, so ratios are compared as differences of logarithms (exact enough for a 1e-9 margin)
// and the check divides.
import type { Sql } from "postgres";
import {
  type BadCell,
  type CalendarEvidence,
  type Flagged,
  type OhlcBar,
  type PushdownRequest,
  type PushedEvidence,
  pushdownKey,
  type StallEvidenceRun,
  type ToxicEvidence,
} from "../../checks/pushdown.ts";
import { MAX_EVIDENCE } from "../../checks/types.ts";
import { inSnapshot } from "./tx.ts";

const TS = (col = "b.ts") => `(extract(epoch from ${col}) * 1000)::float8`;

// The requested series; k (1-based) says whose a row is.
const REQ = `req as (select r.sym, r.ivl, r.max_ratio, r.min_run, r.k
  from unnest($1::text[], $2::text[], $3::float8[], $4::int[]) with ordinality as r(sym, ivl, max_ratio, min_run, k))`;
const JOIN = "req r join bars b on b.symbol = r.sym and b.interval = r.ivl";
// A close usable as a ratio operand (toxic_return's `usable`) or as a stalled price: finite and positive (NaN < ∞ is false).
const usable = (c: string) => `(${c} > 0 and ${c} < 'Infinity')`;

// bad_value: a price ≤ 0, NaN or +∞ (−∞ is ≤ 0); a volume < 0, NaN or +∞. Columns in PRICE_COLUMNS order, then volume.
const BAD_VALUE = `with ${REQ}, f as (
    select r.k, b.ts, x.k as col_k, x.col, x.val from ${JOIN}
    cross join lateral (values (1, 'open', b.open), (2, 'high', b.high), (3, 'low', b.low), (4, 'close', b.close), (5, 'volume', b.volume)) as x(k, col, val)
    where (b.open <= 0 or b.high <= 0 or b.low <= 0 or b.close <= 0 or b.volume < 0
        or 'NaN' in (b.open, b.high, b.low, b.close, b.volume) or 'Infinity' in (b.open, b.high, b.low, b.close, b.volume))
      and (x.val = 'NaN' or x.val = 'Infinity' or (case when x.k = 5 then x.val < 0 else x.val <= 0 end))),
  n as (select k, ${TS("ts")} as t, col, val, count(*) over (partition by k) as n, row_number() over (partition by k order by ts, col_k) as i from f)
  select k, t, col, val, n from n where i <= ${MAX_EVIDENCE} order by k, i`;

// ohlc_inconsistent: high < open or close, low > open or close, high < low, each false when a NaN takes part (as in JS).
const OHLC = `with ${REQ}, f as (
    select r.k, b.ts, b.open, b.high, b.low, b.close from ${JOIN}
    where (b.high < b.open and b.open <> 'NaN') or (b.high < b.close and b.close <> 'NaN') or (b.low > b.open and b.low <> 'NaN')
      or (b.low > b.close and b.low <> 'NaN') or (b.high < b.low and b.low <> 'NaN')),
  n as (select *, count(*) over (partition by k) as n, row_number() over (partition by k order by ts) as i from f)
  select k, ${TS("ts")} as t, open, high, low, close, n from n where i <= ${MAX_EVIDENCE} order by k, i`;

// Close-to-close moves between usable closes, as log differences (d); the series' extremes of d.
const MOVES = `${REQ}, l as (
    select r.k, r.max_ratio, b.ts, b.close, lag(b.close) over (partition by b.symbol, b.interval order by b.ts) as prev from ${JOIN}),
  u as (select k, max_ratio, ts, prev, close, ln(close) - ln(prev) as d from l where ${usable("prev")} and ${usable("close")})`;

// toxic_return's evidence in one pass over the moves: the candidates (|d| within 1e-9 of ln(maxRatio) or beyond; the
// exact ratio test is the check's) and the pairs near each series' extremes of d, flagged per row. (Window
// aggregates, not a join with a grouped query: the planner, blind to the arrays' sizes, would nest loops.)
const MOVE_ROWS = `with ${MOVES}, m as (select k, ts, prev, close, d, ln(max_ratio) - 1e-9 as lim,
    max(d) over (partition by k) as hi, min(d) over (partition by k) as lo from u)
  select k, ${TS("ts")} as t, prev, close, abs(d) > lim as candidate, d >= hi - 1e-9 or d <= lo + 1e-9 as extreme
  from m where abs(d) > lim or d >= hi - 1e-9 or d <= lo + 1e-9 order by k, ts`;

// price_stall: runs of zero close changes between usable closes (gaps and islands over the bar index i), at least
// min_run long; per series the count, the longest and the last MAX_EVIDENCE runs.
const STALLS = `with ${REQ}, l as (
    select r.k, r.min_run, b.close, lag(b.close) over w as prev, row_number() over w - 1 as i from ${JOIN}
    window w as (partition by b.symbol, b.interval order by b.ts)),
  s as (select k, min_run, close, i, i - row_number() over (partition by k order by i) as g
    from l where close = prev and ${usable("close")}),
  runs as (select k, min(i) - 1 as fr, max(i) as t, count(*) as len, min(close) as price from s group by k, g, min_run having count(*) >= min_run),
  n as (select *, count(*) over (partition by k) as n, max(len) over (partition by k) as longest, row_number() over (partition by k order by t desc) as back from runs)
  select k, fr, t, len, price, n, longest from n where back <= ${MAX_EVIDENCE} order by k, t`;

// duplicate_rows: a timestamp stored more than once (the bars' key forbids it; asked, not assumed).
const DUPLICATES = `with ${REQ}
  select r.k, ${TS()} as t, count(*) as c from ${JOIN} group by r.k, b.ts having count(*) > 1 order by r.k, b.ts`;

// gap and coverage: the calendar's expected opens in each series' window (session lists as arrays: g is the list,
// p the position in it) matched with the bars there by one aggregate over both (not a join: the planner, blind to
// the arrays' sizes, would nest loops); per series the counts, then every missing run (islands over p).
const CALENDAR = `with ${REQ}, w as (select w.k, w.g, w.from_ms, w.to_ms
    from unnest($5::int[], $6::float8[], $7::float8[]) with ordinality as w(g, from_ms, to_ms, k) where w.g > 0),
  e as (select g, ms, p from unnest($8::int[], $9::float8[]) with ordinality as e(g, ms, p)),
  x as (select w.k, e.ms, e.p from w join e on e.g = w.g and e.ms between w.from_ms and w.to_ms),
  h as (select w.k, ${TS()} as ms from w join req r using (k) join bars b on b.symbol = r.sym and b.interval = r.ivl),
  u as (select k, ms, p, false as bar from x union all select k, ms, null, true from h),
  m as (select k, ms, max(p) as p, bool_or(bar) as seen from u group by k, ms having max(p) is not null),
  gaps as (select k, min(ms) as fr, max(ms) as t, count(*) as bars from (select *, p - row_number() over (partition by k order by p) as i from m where not seen) y group by k, i)
  select k, 'total' as kind, null::float8 as fr, null::float8 as t, count(*) as bars, count(*) filter (where seen) as seen from m group by k
  union all select k, 'gap', fr, t, bars, null from gaps order by k, kind desc, fr`;

// The catalog version and the last bar (through the key's index) of each series.
const VERSIONS = `with ${REQ}
  select r.k, c.version, (select ${TS("max(x.ts)")} from bars x where x.symbol = r.sym and x.interval = r.ivl) as last
  from req r join catalog c on c.symbol = r.sym and c.interval = r.ivl`;

type Row = Record<string, unknown>;

/** Rows grouped by their request position k (1-based). */
function byK(rows: readonly Row[]): Map<number, Row[]> {
  const m = new Map<number, Row[]>();
  for (const r of rows) {
    const k = Number(r.k);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

function flagged<T>(rows: readonly Row[] = [], item: (r: Row) => T): Flagged<T> {
  return { count: rows.length ? Number(rows[0]!.n) : 0, first: rows.map(item) };
}

/** toxic_return's candidates (in bar order) and the distinct near-extreme pairs from the MOVE_ROWS rows of one series. */
function toxicEvidence(rows: readonly Row[]): Pick<ToxicEvidence, "candidates" | "extremes"> {
  const candidates = rows.filter((r) => r.candidate === true).map((r) => ({ ts: r.t as number, prev: r.prev as number, close: r.close as number }));
  // Usable closes are finite and positive, so a pair's text is a faithful key (String round-trips a double).
  const extremes = new Map<string, { prev: number; close: number }>();
  for (const r of rows) if (r.extreme === true) extremes.set(`${r.prev} ${r.close}`, { prev: r.prev as number, close: r.close as number });
  return { candidates, extremes: [...extremes.values()] };
}

/** gap's and coverage's evidence from the CALENDAR rows of one series (its total row first, then its gaps). */
function calendarEvidence(w: { fromMs: number; toMs: number }, rows: readonly Row[]): CalendarEvidence {
  const total = rows.find((r) => r.kind === "total");
  return {
    fromMs: w.fromMs,
    toMs: w.toMs,
    expected: total ? Number(total.bars) : 0,
    observed: total ? Number(total.seen) : 0,
    missing: rows.filter((r) => r.kind === "gap").map((r) => ({ fromMs: r.fr as number, toMs: r.t as number, bars: Number(r.bars) })),
  };
}

/** The pushed-down evidence of every requested series that is cataloged, keyed by pushdownKey, in one snapshot. */
export async function pushdownQueries(sql: Sql, series: readonly PushdownRequest[], sessions: readonly Float64Array[]): Promise<Map<string, PushedEvidence>> {
  const out = new Map<string, PushedEvidence>();
  if (!series.length) return out;
  const args = [series.map((s) => s.symbol), series.map((s) => s.interval), series.map((s) => s.maxRatio), series.map((s) => s.minRun)];
  // Session lists are numbered from 1 in SQL (0: the series has no window).
  const windows = [series.map((s) => (s.window ? s.window.sessions + 1 : 0)), series.map((s) => s.window?.fromMs ?? 0), series.map((s) => s.window?.toMs ?? 0)];
  const opens = [sessions.flatMap((list, g) => Array<number>(list.length).fill(g + 1)), sessions.flatMap((list) => Array.from(list))];
  const queries = [VERSIONS, BAD_VALUE, OHLC, MOVE_ROWS, STALLS, DUPLICATES];
  const answers = await inSnapshot(sql, (tx) => Promise.all([...queries.map((q) => tx.unsafe(q, args)), tx.unsafe(CALENDAR, [...args, ...windows, ...opens])]));
  const [versions, bad, ohlc, moves, stalls, dups, cal] = answers.map((rows) => byK(rows as readonly Row[]));
  for (const [k, [v]] of versions!) {
    const req = series[k - 1]!;
    const stall = stalls!.get(k) ?? [];
    const { candidates, extremes } = toxicEvidence(moves!.get(k) ?? []);
    const repeated = (dups!.get(k) ?? []).map((r) => ({ ts: r.t as number, count: Number(r.c) }));
    out.set(pushdownKey(req.symbol, req.interval), {
      version: v!.version as string,
      bad_value: flagged<BadCell>(bad!.get(k), (r) => ({ ts: r.t as number, column: r.col as string, value: r.val as number })),
      ohlc_inconsistent: flagged<OhlcBar>(ohlc!.get(k), (r) => ({
        ts: r.t as number,
        open: r.open as number,
        high: r.high as number,
        low: r.low as number,
        close: r.close as number,
      })),
      toxic_return: { maxRatio: req.maxRatio, candidates, extremes, any: extremes.length > 0 },
      price_stall: {
        minRun: req.minRun,
        count: stall.length ? Number(stall[0]!.n) : 0,
        longest: stall.length ? Number(stall[0]!.longest) : 0,
        last: stall.map((r): StallEvidenceRun => ({ from: Number(r.fr), to: Number(r.t), length: Number(r.len), price: r.price as number })),
      },
      duplicate_rows: { extra: repeated.reduce((s, r) => s + r.count - 1, 0), repeated },
      ...(v!.last !== null ? { lastTs: v!.last as number } : {}),
      ...(req.window ? { calendar: calendarEvidence(req.window, cal!.get(k) ?? []) } : {}),
    });
  }
  return out;
}
