// The PostgreSQL store against the real server: init is idempotent and versioned, a commit replaces the series
// whole in one transaction with its catalog row, the version is the bars' content, writers of different symbols
// proceed side by side while writers of the same symbol serialise, and bars changed behind dqctl's back read as corrupt.
import { afterEach, describe, expect, test } from "bun:test";
import { LockError } from "../../src/errors.ts";
import type { Bars } from "../../src/model/bars.ts";
import { parseSymbol } from "../../src/model/symbol.ts";
import { contentVersion } from "../../src/store/content.ts";
import { PgStore } from "../../src/store/postgres/store.ts";
import type { StoreWriter } from "../../src/store/types.ts";
import { pgAdmin, pgReady, pgSchema } from "../helpers/pg.ts";
import { stageWithEntry, writerRequest } from "../helpers/stage.ts";

const ready = await pgReady("PostgreSQL store");
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const BTC = parseSymbol("BINANCE:BTCUSDT");
const ETH = parseSymbol("BINANCE:ETHUSDT");

function bars(n: number, from = 0, price = 100): Bars {
  const ts = Float64Array.from({ length: n }, (_, i) => T0 + (from + i) * DAY);
  const p = Float64Array.from({ length: n }, (_, i) => price + i);
  return { timestamp: ts, open: p, high: p.map((x) => x + 1), low: p.map((x) => x - 1), close: p, volume: new Float64Array(n).fill(10) };
}

const req = writerRequest;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function freshStore(tag: string): Promise<PgStore> {
  const s = pgSchema(tag);
  const store = new PgStore(s.url);
  cleanup.push(async () => {
    await store.close();
    await s.drop();
  });
  await store.init();
  return store;
}

/** Stage a series with its catalog entry, as commitSeries does, and commit. */
async function write(w: StoreWriter, sym = BTC, b: Bars = bars(10)): Promise<string> {
  await w.claim(sym.id);
  const sha256 = stageWithEntry(w, sym, b);
  w.health.ensure(sym.id).status = "healthy";
  w.touchHealth(sym.id);
  await w.commit();
  return sha256;
}

describe.skipIf(!ready)("PostgreSQL store", () => {
  test("store init is versioned and idempotent; bars is a hypertable only when timescaledb is available", async () => {
    const s = pgSchema("init");
    const store = new PgStore(s.url);
    cleanup.push(async () => {
      await store.close();
      await s.drop();
    });
    await expect(store.assertExists()).rejects.toThrow("not initialised");
    const first = await store.init();
    expect(first.applied).toEqual([1, 2, 3, 4]);
    const again = await store.init();
    expect(again.applied).toEqual([]);
    expect(again.version).toBe(first.version);
    const timescale = await pgAdmin((sql) => sql`select 1 from pg_available_extensions where name = 'timescaledb'`);
    // This machine's server has no timescaledb: bars is a plain table indexed by its primary key (symbol, interval, ts).
    expect(first.layout).toBe(timescale.length ? "hypertable" : "table");
    const pk = await pgAdmin(
      (sql) => sql`select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = ${`${s.schema}.bars`}::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)`,
    );
    expect(pk.map((r) => r.attname)).toEqual(["symbol", "interval", "ts"]);
    await store.assertExists();
  });

  test("a commit replaces the series whole; its version is the content's, and bars read back exactly", async () => {
    const store = await freshStore("commit");
    const w = await store.openWriter(req());
    const b = bars(30);
    b.close[3] = Number.NaN; // bad values are kept as they came
    b.volume[4] = -0;
    const v1 = await write(w, BTC, b);
    expect(v1).toBe(contentVersion(b));
    const r1 = await store.read(BTC, "1d", (await store.loadCatalog()).get(BTC.id, "1d"));
    expect(r1.kind).toBe("ok");
    if (r1.kind !== "ok") return;
    expect(r1.stored.sha256).toBe(v1);
    expect(Object.is(r1.stored.bars.volume[4], -0)).toBe(true);
    expect(Number.isNaN(r1.stored.bars.close[3]!)).toBe(true);
    // A re-fetched bar replaces the stored one; bars no longer in the series go.
    const b2 = bars(20, 5, 200);
    const v2 = await write(w, BTC, b2);
    await w.release();
    const r2 = await store.read(BTC, "1d", (await store.loadCatalog()).get(BTC.id, "1d"));
    expect(r2.kind === "ok" && r2.stored.sha256).toBe(v2);
    expect(r2.kind === "ok" && [...r2.stored.bars.close]).toEqual([...b2.close]);
    const count = await pgAdmin((sql) => sql`select count(*)::int as n from bars`, (store as unknown as { target: { schema: string } }).target.schema);
    expect(count[0]!.n).toBe(20);
    expect((await store.loadHealth()).get(BTC.id)?.status).toBe("healthy");
  });

  test("bars changed outside dqctl read as corrupt (their content is not the catalog's version)", async () => {
    const store = await freshStore("corrupt");
    const w = await store.openWriter(req());
    const v = await write(w);
    await w.release();
    const schema = (store as unknown as { target: { schema: string } }).target.schema;
    await pgAdmin((sql) => sql`update bars set close = close * 2 where ts = ${new Date(T0 + 3 * DAY)}`, schema);
    const r = await store.read(BTC, "1d", (await store.loadCatalog()).get(BTC.id, "1d"));
    expect(r.kind).toBe("corrupt");
    expect(r.kind === "corrupt" && r.expected).toBe(v);
  });

  test("writers of different symbols proceed together; the same symbol serialises, and --wait-lock waits", async () => {
    const store = await freshStore("locks");
    const other = new PgStore(store.spec);
    cleanup.unshift(() => other.close());
    const a = await store.openWriter(req());
    const b = await other.openWriter(req());
    await a.claim(BTC.id);
    await b.claim(ETH.id); // a different symbol: no wait
    await expect(b.claim(BTC.id)).rejects.toBeInstanceOf(LockError);
    await expect(b.claim(BTC.id)).rejects.toThrow(/BINANCE:BTCUSDT: being written to .* by pid \d+/);
    const c = await other.openWriter(req(5_000));
    const waited = c.claim(BTC.id);
    await write(a, BTC, bars(12));
    await a.release();
    await waited; // got it once the first writer let go, and sees what it committed
    expect(c.catalog.get(BTC.id, "1d")?.rows).toBe(12);
    await Promise.all([b.release(), c.release()]);
  });

  test("two stores in one database (two schemas) never block each other's writers of the same symbol", async () => {
    const one = await freshStore("claims_a");
    const two = await freshStore("claims_b");
    const a = await one.openWriter(req());
    const b = await two.openWriter(req());
    await a.claim(BTC.id);
    await b.claim(BTC.id); // advisory locks are database-wide: the key names the schema
    await Promise.all([a.release(), b.release()]);
  });

  test("run records and documents round-trip", async () => {
    const store = await freshStore("runs");
    const rec = {
      schema: "dqctl.run/v1" as const,
      runId: "r1",
      command: "audit",
      version: "0",
      startedAt: "2026-01-01T00:00:00Z",
      finishedAt: "2026-01-01T00:00:01Z",
      status: "ok",
      exitCode: 0,
      counts: { symbols: 1 },
      inputs: [],
      outputs: [],
      symbols: [],
      findings: [],
    };
    await store.assertRunsAppendable();
    await store.appendRun(rec);
    expect(await store.readRuns()).toEqual([rec]);
    expect(await store.readDoc("audit_state")).toBeUndefined();
    await store.writeDoc("audit_state", { format: 1, series: {} });
    expect(await store.readDoc("audit_state")).toEqual({ format: 1, series: {} });
  });
});
