// Repair and the genesis heuristic, as properties over random holes (fast-check, fixed seed).
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { calendarFor } from "../../src/calendar/index.ts";
import { type RunContext, silentLogger, silentProgress } from "../../src/context.ts";
import { Lakehouse } from "../../src/lakehouse/store.ts";
import { allocBars, type Bars, takeRows } from "../../src/model/bars.ts";
import type { Profile } from "../../src/model/profile.ts";
import { parseSymbol } from "../../src/model/symbol.ts";
import { runIngest } from "../../src/pipeline/ingest.ts";
import { runRepair } from "../../src/pipeline/repair.ts";
import { tempDir } from "../helpers/cli.ts";
import { memoryVendor } from "../helpers/memory-vendor.ts";

const SEED = 20261124;
const END = Date.UTC(2026, 10, 20);

function ctxFor(dir: string): RunContext {
  return {
    config: {},
    store: new Lakehouse(dir),
    now: new Date(END + 86_400_000 * 1.5),
    log: silentLogger,
    progress: silentProgress,
    waitLockMs: 0,
    runId: "t",
  };
}

/** A smooth series on the calendar's expected daily bars over `days` days. */
function series(profile: Profile, days: number): Bars {
  const ts = calendarFor(profile).expected("1d", END - (days - 1) * 86_400_000, END);
  const b = allocBars(ts.length);
  for (let i = 0; i < ts.length; i++) {
    b.timestamp[i] = ts[i]!;
    b.open[i] = b.high[i] = b.low[i] = b.close[i] = 100 + Math.sin(i / 5);
    b.volume[i] = 1000 + (i % 7);
  }
  return b;
}

const without = (b: Bars, drop: Set<number>) =>
  takeRows(
    b,
    [...Array(b.timestamp.length).keys()].filter((i) => !drop.has(i)),
  );

async function seed(dir: string, profile: Profile, stored: Bars) {
  const sym = parseSymbol(profile === "crypto" ? "BINANCE:BTCUSDT" : "NASDAQ:AAPL");
  await runIngest(ctxFor(dir), { vendor: memoryVendor(stored), symbols: [sym], interval: "1d" });
  return sym;
}

describe("repair", () => {
  test("against a vendor holding all the data, no gap is left; against one missing bars, exactly those remain", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Profile>("crypto", "equity"),
        fc.uniqueArray(fc.integer({ min: 1, max: 58 }), { maxLength: 12 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 58 }), { maxLength: 5 }),
        async (profile, holes, vendorHoles) => {
          const { dir, cleanup } = tempDir();
          try {
            const full = series(profile, 90);
            const sym = await seed(dir, profile, without(full, new Set(holes)));
            const vendor = memoryVendor(without(full, new Set(vendorHoles)));
            const r = await runRepair(ctxFor(dir), { vendor, symbols: [sym], interval: "1d", backfillDays: 0 });
            const after = (await new Lakehouse(dir).readFile(sym, "1d"))!.bars;
            const have = new Set(after.timestamp);
            const stillMissing = holes.filter((i) => !have.has(full.timestamp[i]!)).sort((a, b) => a - b);
            const expected = holes.filter((i) => vendorHoles.includes(i)).sort((a, b) => a - b);
            expect(stillMissing).toEqual(expected);
            expect(r.counts.remainingBars).toBe(expected.length);
            expect(r.counts.gapsFilled).toBe(holes.length - expected.length);
            // Gaps are requested newest first.
            const gapReqs = vendor.requests.map((q) => q.fromMs!);
            expect([...gapReqs].sort((a, b) => b - a)).toEqual(gapReqs);
          } finally {
            cleanup();
          }
        },
      ),
      { seed: SEED, numRuns: 25 },
    );
  });

  test("genesis: recorded only after an empty, uncapped backfill; never asked before again; idempotent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 30 }), fc.boolean(), async (extraHistory, capped) => {
        const { dir, cleanup } = tempDir();
        try {
          const full = series("crypto", 60 + extraHistory);
          const stored = takeRows(
            full,
            [...Array(60).keys()].map((i) => i + extraHistory),
          ); // the newest 60 bars
          const sym = await seed(dir, "crypto", stored);
          const first = stored.timestamp[0]!;
          const vendor = memoryVendor(full, capped ? { depthFromMs: first } : {});
          const ctx = ctxFor(dir);
          await runRepair(ctx, { vendor, symbols: [sym], interval: "1d", backfillDays: 365 });
          const entry = () => new Lakehouse(dir).catalog().get(sym.id, "1d")!;
          const firstNow = (await new Lakehouse(dir).readFile(sym, "1d"))!.bars.timestamp[0]!;
          if (extraHistory > 0 && !capped) {
            // The backfill found older bars: history grows, genesis not yet known.
            expect(firstNow).toBe(full.timestamp[0]!);
            expect(entry().genesis).toBeNull();
            await runRepair(ctx, { vendor, symbols: [sym], interval: "1d", backfillDays: 365 });
          }
          if (capped) {
            expect(entry().genesis).toBeNull(); // an empty answer from a capped request proves nothing
            return;
          }
          const genesis = entry().genesis;
          expect(genesis).toBe(new Date(full.timestamp[0]!).toISOString());
          // Never ask before genesis again, and recording is idempotent.
          vendor.requests.length = 0;
          await runRepair(ctx, { vendor, symbols: [sym], interval: "1d", backfillDays: 365 });
          expect(vendor.requests.every((q) => (q.fromMs ?? Infinity) >= Date.parse(genesis!))).toBe(true);
          expect(entry().genesis).toBe(genesis);
        } finally {
          cleanup();
        }
      }),
      { seed: SEED, numRuns: 20 },
    );
  });

  test("--dry-run plans and writes nothing; budgets stop fetching and report what remains", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const full = series("crypto", 60);
      const sym = await seed(dir, "crypto", without(full, new Set([10, 20, 30, 40])));
      const vendor = memoryVendor(full);
      const plan = await runRepair(ctxFor(dir), { vendor, symbols: [sym], interval: "1d", dryRun: true, backfillDays: 0 });
      expect(vendor.requests).toHaveLength(0);
      expect((plan.extra!.plan as any)[0].fetches.map((f: any) => f.from)).toEqual([40, 30, 20, 10].map((i) => new Date(full.timestamp[i]!).toISOString()));
      const r = await runRepair(ctxFor(dir), { vendor, symbols: [sym], interval: "1d", maxFills: 2, backfillDays: 0 });
      expect(vendor.requests).toHaveLength(2);
      expect(r.counts).toMatchObject({ gapsFilled: 2, remainingGaps: 2, remainingBars: 2, skippedBudget: 2 });
      const health = new Lakehouse(dir).health().get(sym.id)!;
      expect(health.gaps_filled).toBe(2);
      expect(health.last_repair).not.toBeNull();
    } finally {
      cleanup();
    }
  });
});
