// The symbol catalog's SCD-2 invariants (issue 22): replaying the same scan writes nothing; any change closes
// exactly one row and opens one; --as-of returns exactly one row per symbol that existed then. Seeded scans of a
// small universe whose names, sectors and listings change between scans.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { applyObservations, asOf, type Observation, type SymbolMeta, type SymbolVersion } from "../../src/symbols/history.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);
const SYMBOLS = ["NASDAQ:AAA", "NASDAQ:BBB", "NYSE:CCC", "NYSE:DDD"];

const meta = fc.record<SymbolMeta>({
  name: fc.constantFrom("AAA", "AAB", null),
  description: fc.constantFrom("Alpha Inc", "Alpha Holdings"),
  type: fc.constant("stock"),
  subtype: fc.constantFrom("common", "preferred"),
  exchange: fc.constantFrom("NASDAQ", "NYSE"),
  currency: fc.constant("USD"),
  country: fc.constant("United States"),
  sector: fc.constantFrom("Technology Services", "Finance", "Retail Trade"),
  industry: fc.constantFrom("Packaged Software", "Banks"),
  marketCap: fc.option(fc.double({ min: 1e6, max: 1e12, noNaN: true }), { nil: null }),
  status: fc.constantFrom("listed", "listed", "delisted"),
});
const scan = fc.uniqueArray(fc.record({ symbol: fc.constantFrom(...SYMBOLS), meta }), { selector: (o) => o.symbol, maxLength: SYMBOLS.length });
const scans = fc.array(scan, { minLength: 1, maxLength: 8 });

/** Apply scans one day apart; returns the history after each. */
function replay(all: Observation[][]): SymbolVersion[][] {
  const out: SymbolVersion[][] = [];
  let h: SymbolVersion[] = [];
  all.forEach((obs, i) => {
    h = applyObservations(h, obs, T0 + i * DAY).history;
    out.push(h);
  });
  return out;
}

describe("symbol history (SCD-2)", () => {
  test("replaying the same scan writes nothing", () => {
    fc.assert(
      fc.property(scans, (all) => {
        const h = replay(all).at(-1)!;
        const again = applyObservations(h, all.at(-1)!, T0 + all.length * DAY);
        expect(again.opened).toEqual([]);
        expect(again.closed).toEqual([]);
        expect(again.history).toEqual(h);
        // An older scan replayed later changes nothing either.
        expect(applyObservations(h, all[0]!, T0).history).toEqual(h);
      }),
      { seed: 2201, numRuns: 300 },
    );
  });

  test("a change closes exactly one row and opens one; a first sighting only opens", () => {
    fc.assert(
      fc.property(scans, scan, (all, next) => {
        const h = replay(all).at(-1)!;
        const at = T0 + all.length * DAY;
        const r = applyObservations(h, next, at);
        for (const o of next) {
          const before = h.filter((v) => v.symbol === o.symbol);
          const after = r.history.filter((v) => v.symbol === o.symbol);
          const cur = before.find((v) => v.isCurrent);
          const closedNow = after.filter((v) => v.validTo === at);
          const openedNow = after.filter((v) => v.validFrom === at);
          if (!cur) {
            expect(closedNow.length).toBe(0);
            expect(openedNow.length).toBe(o.meta.status === "delisted" ? 0 : 1);
          } else if (r.opened.includes(o.symbol)) {
            expect(closedNow.length).toBe(1);
            expect(openedNow.length).toBe(1);
            expect(after.length).toBe(before.length + 1);
          } else expect(after).toEqual(before);
          // Always at most one current version, and versions never overlap.
          expect(after.filter((v) => v.isCurrent).length).toBeLessThanOrEqual(1);
          for (let i = 1; i < after.length; i++) expect(after[i - 1]!.validTo).toBe(after[i]!.validFrom);
        }
      }),
      { seed: 2202, numRuns: 300 },
    );
  });

  test("as of any time, exactly one row per symbol that existed then", () => {
    fc.assert(
      fc.property(scans, fc.integer({ min: -1, max: 10 * 24 }), (all, hours) => {
        const h = replay(all).at(-1)!;
        const at = T0 + hours * 3_600_000;
        const rows = asOf(h, at);
        const existed = new Set(h.filter((v) => v.validFrom <= at).map((v) => v.symbol));
        expect(rows.length).toBe(existed.size);
        expect(new Set(rows.map((r) => r.symbol))).toEqual(existed);
        // And it is what that day's scan said (the last scan at or before `at` that changed the symbol).
        for (const r of rows) expect(r.validFrom).toBeLessThanOrEqual(at);
      }),
      { seed: 2203, numRuns: 300 },
    );
  });
});
