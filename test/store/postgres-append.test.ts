// Bars that only append to the stored series (streaming ingest's small batches, a daily ingest's new bars): the
// PostgreSQL writer copies just the new rows, in the same transaction as the catalog row, when the stored version is
// still the one they were merged onto; otherwise (a stale base, bars revised) it replaces the series whole.
import { afterEach, describe, expect, test } from "bun:test";
import { type Bars, barCount, mergeBars } from "../../src/model/bars.ts";
import { parseSymbol } from "../../src/model/symbol.ts";
import type { PgStore } from "../../src/store/postgres/store.ts";
import type { StoredSeries } from "../../src/store/types.ts";
import { pgAdmin, pgReady } from "../helpers/pg.ts";
import { bars, freshPgStore, req, write } from "../helpers/pg-store.ts";

const ready = await pgReady("PostgreSQL append");
const BTC = parseSymbol("BINANCE:BTCUSDT");
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function readOk(store: PgStore): Promise<StoredSeries> {
  const r = await store.read(BTC, "1d", (await store.loadCatalog()).get(BTC.id, "1d"));
  if (r.kind !== "ok") throw new Error(`read ${r.kind}`);
  return r.stored;
}

/** Commit `b` in a writer of its own, merged onto `base`. */
async function commit(store: PgStore, b: Bars, base?: StoredSeries): Promise<string> {
  const w = await store.openWriter(req());
  try {
    return await write(w, BTC, b, base);
  } finally {
    await w.release();
  }
}

const schemaOf = (store: PgStore) => (store as unknown as { target: { schema: string } }).target.schema;
/** Change a stored bar behind dqctl's back (the catalog version stays): which rows a commit rewrote shows in it. */
const tamper = (store: PgStore, ts: number) => pgAdmin((sql) => sql`update bars set close = -1 where ts = ${new Date(ts)}`, schemaOf(store));

describe.skipIf(!ready)("PostgreSQL writer: appends", () => {
  test("bars after the stored ones: only the new rows are written; the series reads back whole at its new version", async () => {
    const store = await freshPgStore("append", cleanup);
    await commit(store, bars(50));
    const base = await readOk(store);
    // A stored bar changed behind dqctl's back survives an append (only rows after the base are copied) ...
    await tamper(store, base.bars.timestamp[0]!);
    const longer = mergeBars(base.bars, bars(5, 50, 150));
    const v = await commit(store, longer, base);
    const r = await store.read(BTC, "1d", (await store.loadCatalog()).get(BTC.id, "1d"));
    expect(r.kind).toBe("corrupt"); // ... and is still found out
    // Replaced whole (no base), the series is what was staged again.
    await commit(store, longer);
    const back = await readOk(store);
    expect(back.sha256).toBe(v);
    expect(barCount(back.bars)).toBe(55);
    expect(Array.from(back.bars.close)).toEqual(Array.from(longer.close));
  });

  test("a base that is no longer the stored version: the series is replaced whole, never appended onto other bars", async () => {
    const store = await freshPgStore("append_stale", cleanup);
    await commit(store, bars(40));
    const stale = await readOk(store);
    await commit(store, bars(40, 0, 500)); // another writer's commit: other prices
    const staged = mergeBars(stale.bars, bars(3, 40, 140));
    const v = await commit(store, staged, stale);
    const back = await readOk(store);
    expect(back.sha256).toBe(v);
    expect(Array.from(back.bars.close)).toEqual(Array.from(staged.close));
  });

  test("revised bars (not an append): replaced whole, the revision lands", async () => {
    const store = await freshPgStore("append_revised", cleanup);
    await commit(store, bars(30));
    const base = await readOk(store);
    const revised = mergeBars(base.bars, bars(4, 28, 900)); // two stored bars revised, two appended
    await commit(store, revised, base);
    const back = await readOk(store);
    expect(barCount(back.bars)).toBe(32);
    expect(Array.from(back.bars.close)).toEqual(Array.from(revised.close));
  });
});
