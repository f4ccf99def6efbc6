// The writer's stamps (src/lakehouse/stamps.ts): a file it landed is known unchanged by its stamp alone, in a later
// process too; any change to the file (rewritten in place, replaced, or the notes torn) is found by its hash as before.
// And a commit whose only change is a registry entry re-judged to what the file holds writes nothing.
import { afterEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CatalogEntry } from "../../../src/lakehouse/catalog.ts";
import { initParquet } from "../../../src/lakehouse/parquet.ts";
import { STAMPS_FILE } from "../../../src/lakehouse/stamps.ts";
import { Lakehouse, seriesRange } from "../../../src/lakehouse/store.ts";
import { barCount } from "../../../src/model/bars.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import type { WriterRequest } from "../../../src/store/types.ts";
import { tempDir } from "../../helpers/cli.ts";
import { cryptoSeries } from "../../helpers/gbm-series.ts";

const req: WriterRequest = { command: "test", waitMs: 0, recovery: { profileOf: () => "crypto", now: new Date(), log() {} } };
const sym = parseSymbol("BINANCE:BTCUSDT");
let work: { dir: string; cleanup: () => void } | undefined;
afterEach(() => work?.cleanup());

/** A lakehouse holding one committed series; returns its catalog entry. */
async function oneSeries(dir: string): Promise<CatalogEntry> {
  await initParquet();
  const lh = new Lakehouse(dir);
  const w = await lh.openWriter(req);
  try {
    const bars = cryptoSeries(40, 0.02, 3);
    const { sha256 } = w.stageSeries(sym, "1d", bars);
    const e = { symbol: sym.id, interval: "1d", profile: "crypto", path: lh.fileName(sym, "1d"), rows: barCount(bars), ...seriesRange(bars) };
    w.catalog.set({ ...e, genesis: null, sha256, source: "test", ingestedAt: new Date().toISOString(), qualityScore: null });
    w.touchCatalog(sym.id, "1d");
    w.health.ensure(sym.id);
    w.touchHealth(sym.id);
    await w.commit();
  } finally {
    await w.release();
  }
  return (await new Lakehouse(dir).loadCatalog()).get(sym.id, "1d")!;
}

const known = (entry: CatalogEntry) => (v: string) => v === entry.sha256;

describe("stamps of landed files", () => {
  test("a landed file is noted with its stamp and version, and a later process knows it unchanged", async () => {
    work = tempDir("dqctl-stamps-");
    const entry = await oneSeries(work.dir);
    const notes = JSON.parse(readFileSync(join(work.dir, STAMPS_FILE), "utf8"));
    expect(notes.files[entry.path].version).toBe(entry.sha256);
    const later = new Lakehouse(work.dir);
    later.readHashed = () => {
      throw new Error("read and hashed although its stamp was noted");
    };
    expect((await later.readUnlessKnown(sym, "1d", entry, known(entry))).kind).toBe("unchanged");
  });

  test("a file rewritten in place (same size, one byte flipped) or replaced is found corrupt by its hash", async () => {
    work = tempDir("dqctl-stamps-");
    const entry = await oneSeries(work.dir);
    const path = join(work.dir, entry.path);
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(path, bytes); // in place: same inode and size, new ctime
    expect((await new Lakehouse(work.dir).readUnlessKnown(sym, "1d", entry, known(entry))).kind).toBe("corrupt");
    bytes[bytes.length >> 1]! ^= 0xff; // the original bytes again, in a new file renamed over it
    writeFileSync(`${path}.new`, bytes);
    renameSync(`${path}.new`, path);
    expect((await new Lakehouse(work.dir).readUnlessKnown(sym, "1d", entry, known(entry))).kind).toBe("unchanged");
  });

  test("torn or foreign notes are ignored: every file is hashed once more", async () => {
    work = tempDir("dqctl-stamps-");
    const entry = await oneSeries(work.dir);
    writeFileSync(join(work.dir, STAMPS_FILE), '{"files": {"x": 1');
    expect((await new Lakehouse(work.dir).readUnlessKnown(sym, "1d", entry, known(entry))).kind).toBe("unchanged");
    writeFileSync(join(work.dir, STAMPS_FILE), JSON.stringify({ files: { [entry.path]: { stamp: "0:0:0:0:0", version: entry.sha256 } } }));
    const path = join(work.dir, entry.path);
    writeFileSync(path, "not parquet at all, and not the recorded hash");
    expect((await new Lakehouse(work.dir).readUnlessKnown(sym, "1d", entry, known(entry))).kind).toBe("corrupt");
  });

  test("a file the catalog names that is not Parquet is never noted: it stays unreadable, stamp or not", async () => {
    work = tempDir("dqctl-stamps-");
    const entry = await oneSeries(work.dir);
    const path = join(work.dir, entry.path);
    writeFileSync(path, "garbage");
    const bad = { ...entry, sha256: createHash("sha256").update("garbage").digest("hex") };
    const lh = new Lakehouse(work.dir);
    const w = await lh.openWriter(req); // a lock holder reads it (as audit does), then saves its notes
    try {
      expect((await lh.readUnlessKnown(sym, "1d", bad, known(bad))).kind).toBe("unreadable");
    } finally {
      await w.release();
    }
    expect((await new Lakehouse(work.dir).readUnlessKnown(sym, "1d", bad, known(bad))).kind).toBe("unreadable");
  });

  test("a registry entry touched but re-judged to what the file holds commits nothing", async () => {
    work = tempDir("dqctl-stamps-");
    await oneSeries(work.dir);
    const lh = new Lakehouse(work.dir);
    const health = join(work.dir, "foundation_health.json");
    const before = statSync(health, { bigint: true }).mtimeNs;
    const w = await lh.openWriter(req);
    try {
      w.health.ensure(sym.id).status = w.health.get(sym.id)!.status; // re-judged, to the same verdict
      w.touchHealth(sym.id);
      await w.commit();
      expect(statSync(health, { bigint: true }).mtimeNs).toBe(before);
      w.health.ensure(sym.id).status = "toxic"; // a real change still lands
      w.touchHealth(sym.id);
      await w.commit();
    } finally {
      await w.release();
    }
    expect((await new Lakehouse(work.dir).loadHealth()).get(sym.id)?.status).toBe("toxic");
  });
});
