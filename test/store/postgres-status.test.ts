// PgStore.status (what `dqctl doctor` reports), read only: not initialised, then its schema version; a writer's
// claim on a symbol is listed as a lock holder while it holds it, and gone once released.
import { afterEach, describe, expect, test } from "bun:test";
import { parseSymbol } from "../../src/model/symbol.ts";
import { SCHEMA_VERSION } from "../../src/store/postgres/schema.ts";
import { PgStore } from "../../src/store/postgres/store.ts";
import { pgReady, pgSchema } from "../helpers/pg.ts";
import { stageWithEntry, writerRequest } from "../helpers/stage.ts";

const ready = await pgReady("PostgreSQL store status");
const BTC = parseSymbol("BINANCE:BTCUSDT");
const req = writerRequest(0, "ingest");
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe.skipIf(!ready)("PostgreSQL store status", () => {
  test("not initialised, then current; a claimed symbol names its writer until released", async () => {
    const s = pgSchema("status");
    cleanup.push(s.drop);
    const store = new PgStore(s.url);
    cleanup.push(() => store.close());
    expect(await store.status()).toEqual({ exists: false, needsInit: true, version: 0, latest: SCHEMA_VERSION, lockHolders: [] });
    await store.init();
    // A catalog row for the symbol (holders are listed by the catalog's symbols).
    const t = Float64Array.of(Date.UTC(2025, 0, 1));
    const w1 = await store.openWriter(req);
    await w1.claim(BTC.id);
    const one = () => t.map(() => 1);
    stageWithEntry(w1, BTC, { timestamp: t, open: one(), high: one(), low: one(), close: one(), volume: one() });
    await w1.commit();
    const held = await store.status();
    expect(held).toMatchObject({ exists: true, version: SCHEMA_VERSION });
    expect(held.lockHolders).toEqual([expect.objectContaining({ symbol: BTC.id, pid: process.pid })]);
    await w1.release();
    expect((await store.status()).lockHolders).toEqual([]);
  });
});
