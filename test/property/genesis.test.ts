// Genesis only on proof, as properties over random sequences of ingests and repairs (fast-check, fixed seed). The real
// ingest/repair/commit code runs against a vendor double on the real Vendor interface whose answers are complete,
// capped (history_cap), cut (partial, page_limit, unconfirmed_end) or empty, over a world whose history may hold an
// outage longer than --backfill-days and may grow older bars later.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { type RunContext, silentLogger, silentProgress } from "../../src/context.ts";
import { Lakehouse } from "../../src/lakehouse/store.ts";
import { allocBars, type Bars, takeRows } from "../../src/model/bars.ts";
import { parseSymbol } from "../../src/model/symbol.ts";
import { runIngest } from "../../src/pipeline/ingest.ts";
import { runRepair } from "../../src/pipeline/repair.ts";
import type { IncompleteReason } from "../../src/vendors/types.ts";
import { tempDir } from "../helpers/cli.ts";
import { memoryVendor } from "../helpers/memory-vendor.ts";

const SEED = 20261203;
const DAY = 86_400_000;
const N = 400;
const END = Date.UTC(2026, 10, 20);
const SYM = parseSymbol("BINANCE:BTCUSDT");

function ctxFor(dir: string): RunContext {
  return { config: {}, store: new Lakehouse(dir), now: new Date(END + DAY * 1.5), log: silentLogger, progress: silentProgress, waitLockMs: 0, runId: "t" };
}

/** N daily crypto bars ending at END (every day is a session), smooth prices. */
function full(): Bars {
  const b = allocBars(N);
  for (let i = 0; i < N; i++) {
    b.timestamp[i] = END - (N - 1 - i) * DAY;
    b.open[i] = b.high[i] = b.low[i] = b.close[i] = 100 + Math.sin(i / 7);
    b.volume[i] = 1000 + (i % 5);
  }
  return b;
}

/** The stored series each case starts from: the newest `STORED` bars, ingested as a first run stores them. */
const STORED = 60;
async function storeNewest(ctx: RunContext, all: Bars): Promise<void> {
  const newest = [...Array(STORED).keys()].map((i) => N - STORED + i);
  await runIngest(ctx, { vendor: memoryVendor(takeRows(all, newest)), symbols: [SYM], interval: "1d" });
}

/** What the vendor's world holds: bars from index `from` on, minus the outage [holeFrom, holeTo). */
type World = { from: number; holeFrom: number; holeTo: number };
const worldBars = (all: Bars, w: World) =>
  takeRows(
    all,
    [...Array(N).keys()].filter((i) => i >= w.from && (i < w.holeFrom || i >= w.holeTo)),
  );

type Answer = { kind: "complete" } | { kind: "capped"; depth: number } | { kind: "cut"; reason: IncompleteReason } | { kind: "empty" };
type Op = { op: "repair"; answer: Answer; backfillDays: number } | { op: "refresh"; answer: Answer } | { op: "grow"; older: number } | { op: "reset" };

const answer: fc.Arbitrary<Answer> = fc.oneof(
  fc.constant<Answer>({ kind: "complete" }),
  fc.integer({ min: 0, max: N - 1 }).map((depth): Answer => ({ kind: "capped", depth })),
  fc.constantFrom<IncompleteReason>("partial", "page_limit", "unconfirmed_end", "clipped").map((reason): Answer => ({ kind: "cut", reason })),
  fc.constant<Answer>({ kind: "empty" }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("repair" as const), answer, backfillDays: fc.constantFrom(0, 20, 60, 365) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("refresh" as const), answer }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("grow" as const), older: fc.integer({ min: 1, max: 120 }) }) },
  { weight: 1, arbitrary: fc.constant<Op>({ op: "reset" }) },
);
const world: fc.Arbitrary<World> = fc
  .record({ from: fc.integer({ min: 120, max: 330 }), hole: fc.integer({ min: 0, max: 200 }), at: fc.integer({ min: 0, max: 60 }) })
  .map(({ from, hole, at }) => ({ from, holeFrom: Math.max(0, 340 - at - hole), holeTo: 340 - at }));

describe("genesis only on proof", () => {
  test("genesis ≤ first stored bar always; recorded only from a complete answer with nothing earlier; never from a capped or cut one", async () => {
    const all = full();
    await fc.assert(
      fc.asyncProperty(world, fc.array(op, { minLength: 1, maxLength: 7 }), async (w0, ops) => {
        const { dir, cleanup } = tempDir();
        try {
          const ctx = ctxFor(dir);
          const w = { ...w0 };
          await storeNewest(ctx, all);
          const lh = new Lakehouse(dir);
          const state = async () => ({
            genesis: lh.catalog().get(SYM.id, "1d")?.genesis ?? null,
            first: (await lh.readFile(SYM, "1d"))!.bars.timestamp[0]!,
          });
          const vendorFor = (a: Answer) => {
            const data = a.kind === "empty" ? allocBars(0) : worldBars(all, w);
            if (a.kind === "capped") return memoryVendor(data, { depthFromMs: all.timestamp[a.depth]! });
            if (a.kind === "cut") return memoryVendor(data, { cut: { reason: a.reason, detail: "cut by the test" } });
            return memoryVendor(data);
          };
          for (const o of ops) {
            const before = await state();
            if (o.op === "grow") w.from = Math.max(0, w.from - o.older);
            else if (o.op === "reset") {
              const r = await runRepair(ctx, { vendor: memoryVendor(allocBars(0)), symbols: [SYM], interval: "1d", backfillDays: 0, resetGenesis: true });
              expect(r.counts.genesisReset).toBe(before.genesis ? 1 : 0);
              expect((await state()).genesis).toBeNull();
            } else if (o.op === "refresh") {
              await runIngest(ctx, { vendor: vendorFor(o.answer), symbols: [SYM], interval: "1d", refresh: true });
            } else {
              const vendor = vendorFor(o.answer);
              const r = await runRepair(ctx, { vendor, symbols: [SYM], interval: "1d", backfillDays: o.backfillDays });
              const after = await state();
              if (after.genesis && after.genesis !== before.genesis) {
                // Recorded here: only on a complete answer, from a vendor holding nothing before the first stored bar.
                expect(r.counts.genesisRecorded).toBe(1);
                expect(o.answer.kind === "complete" || o.answer.kind === "empty").toBe(true);
                expect(vendor.data.timestamp.some((t) => t < after.first)).toBe(false);
                // Proof needs a request reaching the vendor's start of history (no start).
                expect(vendor.requests.some((q) => q.fromMs === undefined && (q.toMs ?? 0) < after.first)).toBe(true);
              }
              if (o.answer.kind === "capped" || o.answer.kind === "cut") expect(after.genesis === before.genesis || after.genesis === null).toBe(true);
            }
            const now = await state();
            if (now.genesis !== null) expect(Date.parse(now.genesis)).toBeLessThanOrEqual(now.first);
          }
        } finally {
          cleanup();
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  }, 120_000);

  test("an outage longer than --backfill-days is not genesis: the probe finds the older bars and they are kept", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const all = full();
      const ctx = ctxFor(dir);
      await storeNewest(ctx, all);
      // The vendor's history: 100 bars, a 200-day outage, then the stored 60.
      const vendor = memoryVendor(worldBars(all, { from: 40, holeFrom: 140, holeTo: N - STORED }));
      const r = await runRepair(ctx, { vendor, symbols: [SYM], interval: "1d", backfillDays: 30 });
      expect(r.counts).toMatchObject({ genesisRecorded: 0, fetches: 2, barsFetched: 100 });
      expect(vendor.requests[0]).toMatchObject({ fromMs: all.timestamp[N - STORED]! - 30 * DAY, toMs: all.timestamp[N - STORED - 1]! });
      expect(vendor.requests[1]!.fromMs).toBeUndefined();
      expect((await new Lakehouse(dir).readFile(SYM, "1d"))!.bars.timestamp[0]).toBe(all.timestamp[40]!);
      expect(new Lakehouse(dir).catalog().get(SYM.id, "1d")!.genesis).toBeNull();
    } finally {
      cleanup();
    }
  });
});
