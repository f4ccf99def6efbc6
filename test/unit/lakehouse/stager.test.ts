// The Store seam parallel ingest uses: a Stager stages a series off the writer (no lock), its changes are plain
// data (structured-cloned as across a worker boundary), and the lock holder's writer adopts them into its commit.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { CatalogEntry } from "../../../src/lakehouse/catalog.ts";
import { initParquet } from "../../../src/lakehouse/parquet.ts";
import { Lakehouse, seriesRange } from "../../../src/lakehouse/store.ts";
import { barCount } from "../../../src/model/bars.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import type { WriterRequest } from "../../../src/store/types.ts";
import { tempDir } from "../../helpers/cli.ts";
import { cryptoSeries } from "../../helpers/gbm-series.ts";

const req: WriterRequest = { command: "test", waitMs: 0, recovery: { profileOf: () => "crypto", now: new Date(), log() {} } };
const sym = parseSymbol("BINANCE:BTCUSDT");
const temps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".tmp"));
let work: { dir: string; cleanup: () => void } | undefined;
afterEach(() => work?.cleanup());

describe("Lakehouse stager → writer", () => {
  test("a series staged by a stager lands at the writer's commit, catalog entry and file together", async () => {
    await initParquet();
    work = tempDir("dqctl-stager-");
    const lh = new Lakehouse(work.dir);
    const w = await lh.openWriter(req);
    try {
      const stager = lh.openStager(sym.id, undefined, undefined);
      const bars = cryptoSeries(50, 0.02, 1);
      const { sha256 } = stager.stageSeries(sym, "1d", bars);
      stager.catalog.set({ ...entryFor(lh, sha256), rows: barCount(bars), ...seriesRange(bars) });
      stager.touchCatalog(sym.id, "1d");
      stager.health.ensure(sym.id);
      stager.touchHealth(sym.id);
      const changes = structuredClone(stager.take());
      expect(existsSync(lh.pathFor(sym, "1d"))).toBe(false); // only a temp until the commit
      expect(temps(work.dir)).toHaveLength(1);
      if (!w.adopt) throw new Error("the lakehouse writer must adopt what its stagers staged");
      w.adopt(changes);
      await w.commit();
    } finally {
      await w.release();
    }
    expect(temps(work.dir)).toEqual([]);
    const entry = (await lh.loadCatalog()).get(sym.id, "1d");
    expect(entry?.rows).toBe(50);
    const read = await lh.read(sym, "1d", entry);
    expect(read.kind).toBe("ok");
    expect((await lh.loadHealth()).get(sym.id)).toBeDefined();
  });

  test("discard removes the stager's temps and hands nothing over", async () => {
    await initParquet();
    work = tempDir("dqctl-stager-");
    const lh = new Lakehouse(work.dir);
    lh.ensure();
    const stager = lh.openStager(sym.id, undefined, undefined);
    stager.stageSeries(sym, "1d", cryptoSeries(20, 0.02, 2));
    expect(temps(work.dir)).toHaveLength(1);
    stager.discard();
    expect(temps(work.dir)).toEqual([]);
    expect(existsSync(join(work.dir, "catalog.json"))).toBe(false); // nothing committed
  });
});

function entryFor(lh: Lakehouse, sha256: string): CatalogEntry {
  const e = { symbol: sym.id, interval: "1d", profile: "crypto", path: lh.fileName(sym, "1d"), rows: 0, start: null, end: null };
  return { ...e, genesis: null, sha256, source: "test", ingestedAt: new Date().toISOString(), qualityScore: null };
}
