// Checks pushed down as SQL (issue 19 step 4): for the same bars, the findings audit builds from the PostgreSQL
// store's evidence rows are identical — every code, severity, metric and evidence row — to those of the TS scan
// that the Parquet store's bars get, over the demo fixtures and seeded fast-check series with NaN, ±∞, zero,
// negative values, −0, repeated timestamps and inconsistent OHLC.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { calendarFor } from "../../src/calendar/index.ts";
import { ALL_CHECKS, resolveCheckOptions, runChecks } from "../../src/checks/index.ts";
import type { CheckInput } from "../../src/checks/types.ts";
import { allocBars, type Bars, normalizeBars } from "../../src/model/bars.ts";
import type { Finding } from "../../src/model/finding.ts";
import { parseSymbol, type SymbolId } from "../../src/model/symbol.ts";
import { PgStore } from "../../src/store/postgres/store.ts";
import { pushedFor } from "../../src/store/pushdown.ts";
import type { WriterRequest } from "../../src/store/types.ts";
import { pgReady, pgSchema } from "../helpers/pg.ts";

const ready = await pgReady("PostgreSQL pushdown");
const SEED = 19;
const DEMO = join(import.meta.dir, "../../fixtures/demo");
const NOW = Date.UTC(2026, 10, 21);
const options = resolveCheckOptions({} as never);
const req: WriterRequest = { command: "test", waitMs: 5_000, recovery: { profileOf: () => "crypto", now: new Date(), log() {} } };

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

const inputOf = (sym: SymbolId, bars: Bars): CheckInput => ({
  symbol: sym.id,
  interval: "1h",
  profile: "crypto",
  raw: bars,
  bars,
  calendar: calendarFor("crypto"),
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
  async function both(name: string, bars: Bars): Promise<{ files: Finding[]; pg: Finding[]; pushed: boolean }> {
    const sym = parseSymbol(`TEST:${name}`);
    const w = await store.openWriter(req);
    try {
      await w.claim(sym.id);
      const { sha256 } = w.stageSeries(sym, "1h", bars);
      const n = bars.timestamp.length;
      w.catalog.set({
        symbol: sym.id,
        interval: "1h",
        profile: "crypto",
        path: "x.parquet",
        rows: n,
        start: new Date(bars.timestamp[0]!).toISOString(),
        end: new Date(bars.timestamp[n - 1]!).toISOString(),
        genesis: null,
        sha256,
        source: "test",
        ingestedAt: new Date().toISOString(),
        qualityScore: null,
      });
      w.touchCatalog(sym.id, "1h");
      await w.commit();
    } finally {
      await w.release();
    }
    const read = await store.read(sym, "1h", undefined);
    if (read.kind !== "ok" && read.kind !== "uncataloged") throw new Error(`${name}: read ${read.kind}`);
    const extra = await pushedFor(store, sym, "1h", read.stored.sha256);
    const pg = runChecks({ ...inputOf(sym, normalizeBars(read.stored.bars)), ...extra }, options, ALL_CHECKS);
    return { files: runChecks(inputOf(sym, bars), options, ALL_CHECKS), pg, pushed: extra.pushed !== undefined };
  }

  test("the demo fixtures: identical findings", async () => {
    const files = readdirSync(DEMO).filter((f) => f.endsWith(".csv"));
    expect(files.length).toBeGreaterThan(10);
    for (const [i, f] of files.entries()) {
      const r = await both(`DEMO${i}`, csvBars(readFileSync(join(DEMO, f), "utf8")));
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
  });

  test("evidence computed at another version than the one read is not used", async () => {
    const sym = parseSymbol("TEST:GEN0");
    expect(await pushedFor(store, sym, "1h", "not-the-version")).toEqual({});
  });
});
