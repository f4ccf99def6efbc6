// Checks pushed down as SQL (issue 19 step 4): for the same bars, the findings audit builds from the PostgreSQL
// store's evidence rows are identical — every code, severity, metric and evidence row — to those of the TS scan
// that the Parquet store's bars get, over the demo fixtures and seeded fast-check series with NaN, ±∞, zero,
// negative values, −0, repeated timestamps and inconsistent OHLC.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { calendarFor } from "../../src/calendar/index.ts";
import { calendarOfSymbol } from "../../src/calendar/resolve.ts";
import { ALL_CHECKS, resolveCheckOptions, runChecks } from "../../src/checks/index.ts";
import type { CheckInput, CheckOptions } from "../../src/checks/types.ts";
import { allocBars, type Bars, normalizeBars } from "../../src/model/bars.ts";
import type { Finding } from "../../src/model/finding.ts";
import type { Interval } from "../../src/model/interval.ts";
import { type Profile, profileForExchange } from "../../src/model/profile.ts";
import { parseSymbol, type SymbolId } from "../../src/model/symbol.ts";
import { evidenceOf, pushdownCall, pushedAt } from "../../src/pipeline/audit-pushdown.ts";
import { PgStore } from "../../src/store/postgres/store.ts";
import { pgReady, pgSchema } from "../helpers/pg.ts";
import { stageWithEntry, writerRequest } from "../helpers/stage.ts";

const ready = await pgReady("PostgreSQL pushdown");
const SEED = 19;
const DEMO = join(import.meta.dir, "../../fixtures/demo");
const NOW = Date.UTC(2026, 10, 21);
const options = resolveCheckOptions({} as never);
const req = writerRequest(5_000);

/** A demo CSV as bars (header names matched case-insensitively, an empty cell is NaN), sorted and unique as stored. */
function csvBars(text: string): Bars {
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const cols = head!.split(",").map((c) => c.trim().toLowerCase());
  const at = (name: string) => cols.indexOf(name);
  const b = allocBars(lines.length);
  lines.forEach((line, i) => {
    const cells = line.split(",");
    const num = (name: string) => (cells[at(name)]?.trim() ? Number(cells[at(name)]) : Number.NaN);
    b.timestamp[i] = Date.parse(cells[0]!);
    b.open[i] = num("open");
    b.high[i] = num("high");
    b.low[i] = num("low");
    b.close[i] = num("close");
    b.volume[i] = num("volume");
  });
  return normalizeBars(b);
}

const special = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, -1.5, 5e-324);
const value = fc.oneof({ weight: 6, arbitrary: fc.double({ min: 0.5, max: 200, noNaN: true }) }, { weight: 1, arbitrary: special });
const row = fc.tuple(fc.integer({ min: 0, max: 120 }), value, value, value, value, value);
/** Seeded series: bar times on a small grid (so timestamps repeat), prices drawn independently (so OHLC is often inconsistent). */
const series = fc.sample(fc.array(row, { minLength: 1, maxLength: 150 }), { seed: SEED, numRuns: 40 }).map((rows) => {
  const b = allocBars(rows.length);
  rows.forEach(([t, o, h, l, c, v], i) => {
    b.timestamp[i] = Date.UTC(2025, 0, 1) + t * 3_600_000;
    [b.open[i], b.high[i], b.low[i], b.close[i], b.volume[i]] = [o, h, l, c, v];
  });
  return normalizeBars(b);
});

// Walks whose closes repeat (stalls of every length, NaN or 0 breaking them) and jump by ×/÷ around the toxic
// threshold (exactly 6, just past it, far past it, to 1e300 and 5e-324, where a float8 ratio overflows in SQL).
const step = fc.oneof(
  { weight: 8, arbitrary: fc.constant(1) },
  { weight: 6, arbitrary: fc.double({ min: 0.9, max: 1.1, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(6, 1 / 6, 6.000000000000001, 0.16666666666666666, 7, 0.1, 100, 1e-3) },
  { weight: 1, arbitrary: fc.constantFrom(1e300, 1e-300, Number.NaN, 0, -1, Number.POSITIVE_INFINITY) },
);
const walks = fc.sample(fc.array(step, { minLength: 1, maxLength: 200 }), { seed: SEED + 1, numRuns: 40 }).map((steps) => {
  const b = allocBars(steps.length);
  let c = 100;
  steps.forEach((x, i) => {
    // A special step sets the close itself (and the walk restarts from 100 after it); a ratio multiplies it.
    const special = !Number.isFinite(x) || x <= 0 || x >= 1e300 || x <= 1e-300;
    const close = special ? (x >= 1e300 || x <= 1e-300 ? c * x : x) : c * x;
    c = special ? 100 : close;
    b.timestamp[i] = Date.UTC(2025, 0, 1) + i * 86_400_000;
    [b.open[i], b.high[i], b.low[i], b.close[i], b.volume[i]] = [close, close, close, close, 1000 + (i % 7)];
  });
  return b;
});

/** How a series is judged: its interval, profile and calendar (generated series: daily crypto). */
interface Who {
  interval: Interval;
  profile: Profile;
  calendar: string;
}
const DAILY_CRYPTO: Who = { interval: "1d", profile: "crypto", calendar: "crypto" };

/** A demo file's series as dqctl judges it: EXCHANGE_TICKER_INTERVAL.csv → its interval, profile and calendar. */
function whoOf(file: string): Who {
  const parts = file.replace(/\.csv$/, "").split("_");
  const interval = parts.pop() as Interval;
  const ticker = parts.pop()!;
  const sym = parseSymbol(`${parts.join("_")}:${ticker}`);
  const profile = profileForExchange(sym.exchange) ?? "crypto";
  return { interval, profile, calendar: calendarOfSymbol(sym, undefined, profile) };
}

const inputOf = (sym: SymbolId, bars: Bars, who: Who): CheckInput => ({
  symbol: sym.id,
  interval: who.interval,
  profile: who.profile,
  raw: bars,
  bars,
  calendar: calendarFor(who.calendar),
  nowMs: NOW,
});

/** What a finding serialises to, with −0 and non-finite numbers kept apart (JSON would merge them). */
const exact = (f: readonly Finding[]) =>
  JSON.stringify(f, (_k, v) => (typeof v === "number" && (Object.is(v, -0) || !Number.isFinite(v)) ? `#${Object.is(v, -0) ? "-0" : v}` : v));

describe.skipIf(!ready)("checks pushed down to PostgreSQL", () => {
  const s = pgSchema("pushdown");
  const store = new PgStore(s.url);
  beforeAll(async () => {
    await store.init();
  });
  afterAll(async () => {
    await store.close();
    await s.drop();
  });

  /** Commit `bars` as one series; audit it as audit does on PostgreSQL (rows read back + pushdown) and as on bars in memory. */
  async function both(
    name: string,
    bars: Bars,
    opts: Map<string, CheckOptions> = options,
    who: Who = DAILY_CRYPTO,
  ): Promise<{ files: Finding[]; pg: Finding[]; pushed: boolean }> {
    const sym = parseSymbol(`TEST:${name}`);
    const w = await store.openWriter(req);
    try {
      await w.claim(sym.id);
      stageWithEntry(w, sym, bars, { interval: who.interval, profile: who.profile });
      await w.commit();
    } finally {
      await w.release();
    }
    const read = await store.read(sym, who.interval, undefined);
    if (read.kind !== "ok" && read.kind !== "uncataloged") throw new Error(`${name}: read ${read.kind}`);
    // The evidence is asked as audit asks it: with the default options, whatever `opts` the checks then run with.
    const n = bars.timestamp.length;
    const ask = {
      scope: { symbol: sym.id, interval: who.interval, profile: who.profile },
      calendar: who.calendar,
      window: { fromMs: bars.timestamp[0]!, toMs: bars.timestamp[n - 1]! },
    };
    const call = pushdownCall([ask], options);
    const answer = await store.pushdown(call.series, call.sessions);
    const extra = pushedAt(evidenceOf(answer, sym.id, who.interval), read.stored.sha256);
    const pg = runChecks({ ...inputOf(sym, normalizeBars(read.stored.bars), who), ...extra }, opts, ALL_CHECKS);
    return { files: runChecks(inputOf(sym, bars, who), opts, ALL_CHECKS), pg, pushed: extra.pushed !== undefined };
  }

  test("the demo fixtures: identical findings", async () => {
    const files = readdirSync(DEMO).filter((f) => f.endsWith(".csv"));
    expect(files.length).toBeGreaterThan(10);
    for (const [i, f] of files.entries()) {
      const r = await both(`DEMO${i}`, csvBars(readFileSync(join(DEMO, f), "utf8")), options, whoOf(f));
      expect(r.pushed).toBe(true);
      expect(exact(r.pg)).toBe(exact(r.files));
    }
  });

  test(`seeded generated series (seed ${SEED}): identical findings, and the pushed checks do fire`, async () => {
    const fired = new Set<string>();
    for (const [i, bars] of series.entries()) {
      const r = await both(`GEN${i}`, bars);
      expect(r.pushed).toBe(true);
      expect(exact(r.pg)).toBe(exact(r.files));
      for (const f of r.pg) fired.add(f.code);
    }
    expect(fired.has("bad_value")).toBe(true);
    expect(fired.has("ohlc_inconsistent")).toBe(true);
    expect(fired.has("duplicate_rows")).toBe(false); // the key makes rows unique, as normalizeBars does for files
  });

  test(`seeded walks with stalls and moves around ×6 (seed ${SEED + 1}): identical findings, and toxic_return and price_stall fire`, async () => {
    const fired = new Map<string, number>();
    for (const [i, bars] of walks.entries()) {
      const r = await both(`WALK${i}`, bars);
      expect(r.pushed).toBe(true);
      expect(exact(r.pg)).toBe(exact(r.files));
      for (const f of r.pg) fired.set(f.code, (fired.get(f.code) ?? 0) + 1);
    }
    expect(fired.get("toxic_return") ?? 0).toBeGreaterThan(3);
    expect(fired.get("price_stall") ?? 0).toBeGreaterThan(3);
  });

  test("moves at the threshold to the last bit, and ratios a float8 division would overflow: identical findings", async () => {
    const closes = [1, 6, 1, 6.000000000000001, 1, 0.16666666666666666, 1, 1e300, 1e-300, 5e-324, 1e308, 3, 3, 3, 3];
    const b = allocBars(closes.length);
    closes.forEach((c, i) => {
      b.timestamp[i] = Date.UTC(2025, 0, 1) + i * 86_400_000;
      [b.open[i], b.high[i], b.low[i], b.close[i], b.volume[i]] = [c, c, c, c, 10];
    });
    const r = await both("BOUNDARY", b);
    expect(r.pushed).toBe(true);
    expect(exact(r.pg)).toBe(exact(r.files));
    expect(r.pg.find((f) => f.code === "toxic_return")?.metrics?.moves).toBe(7);
  });

  test("evidence asked at other option values than the checks run with is not used: the scan decides", async () => {
    const strict = resolveCheckOptions({ checks: { toxic_return: { maxRatio: 1.05 }, price_stall: { minRun: 1 } } } as never);
    for (const [i, bars] of walks.slice(0, 10).entries()) {
      const r = await both(`STRICT${i}`, bars, strict);
      expect(exact(r.pg)).toBe(exact(r.files));
    }
  });

  test("one call answers every series asked (cataloged ones), and evidence at another version is not used", async () => {
    const asks = ["GEN0", "GEN1", "NOSUCH"].map((n) => ({
      scope: { symbol: `TEST:${n}`, interval: "1d" as const, profile: "crypto" as const },
      calendar: "crypto",
    }));
    const call = pushdownCall(asks, options);
    const answer = await store.pushdown(call.series, call.sessions);
    expect([...answer.keys()].sort()).toEqual(["TEST:GEN0 1d", "TEST:GEN1 1d"]);
    expect(pushedAt(evidenceOf(answer, "TEST:GEN0", "1d"), "not-the-version")).toEqual({});
  });
});
