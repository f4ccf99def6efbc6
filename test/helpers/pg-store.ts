// A PostgreSQL store of a test's own and series written through its StoreWriter as commitSeries writes them (the
// store tests under test/store/).
import type { Bars } from "../../src/model/bars.ts";
import { parseSymbol, type SymbolId } from "../../src/model/symbol.ts";
import { PgStore } from "../../src/store/postgres/store.ts";
import type { StoredSeries, StoreWriter } from "../../src/store/types.ts";
import { pgSchema } from "./pg.ts";
import { stageWithEntry, writerRequest } from "./stage.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

/** `n` daily bars from day `from`, prices rising by one from `price`. */
export function bars(n: number, from = 0, price = 100): Bars {
  const ts = Float64Array.from({ length: n }, (_, i) => T0 + (from + i) * DAY);
  const p = Float64Array.from({ length: n }, (_, i) => price + i);
  return { timestamp: ts, open: p, high: p.map((x) => x + 1), low: p.map((x) => x - 1), close: p, volume: new Float64Array(n).fill(10) };
}

/** A writer request that does not wait for the lock. */
export const req = writerRequest;

/** An initialised store in a schema of its own; `cleanup` gets what closes it and drops the schema. */
export async function freshPgStore(tag: string, cleanup: (() => Promise<void>)[]): Promise<PgStore> {
  const s = pgSchema(tag);
  const store = new PgStore(s.url);
  cleanup.push(async () => {
    await store.close();
    await s.drop();
  });
  await store.init();
  return store;
}

/** Stage a series (merged onto `base` when given) with its catalog entry, as commitSeries does, and commit. */
export async function write(w: StoreWriter, sym: SymbolId = parseSymbol("BINANCE:BTCUSDT"), b: Bars = bars(10), base?: StoredSeries): Promise<string> {
  await w.claim(sym.id);
  const sha256 = stageWithEntry(w, sym, b, base ? { base } : {});
  w.health.ensure(sym.id).status = "healthy";
  w.touchHealth(sym.id);
  await w.commit();
  return sha256;
}
