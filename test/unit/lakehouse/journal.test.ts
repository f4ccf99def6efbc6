// The commit protocol: a crash after any step is rolled forward (or cleanly dropped) by the next lock holder;
// recovery adopts unlisted files, migrates ambiguous names, and sweeps only dqctl's own debris.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { writeFileAtomic } from "../../../src/lakehouse/atomic.ts";
import { Batch, JOURNAL_FILE, sha256 } from "../../../src/lakehouse/journal.ts";
import { initParquet } from "../../../src/lakehouse/parquet.ts";
import { Lakehouse, type RecoveryContext, seriesRange } from "../../../src/lakehouse/store.ts";
import { allocBars, type Bars } from "../../../src/model/bars.ts";
import { fileStem, parseFileStem, parseSymbol } from "../../../src/model/symbol.ts";
import { tempDir } from "../../helpers/cli.ts";

beforeAll(async () => {
  await initParquet();
});

const DAY = 86_400_000;
function bars(n: number, start = Date.UTC(2024, 0, 1), px = 100): Bars {
  const b = allocBars(n);
  for (let i = 0; i < n; i++) {
    b.timestamp[i] = start + i * DAY;
    b.open[i] = b.high[i] = b.low[i] = b.close[i] = px + i;
    b.volume[i] = 10;
  }
  return b;
}

const logs: string[] = [];
const rc: RecoveryContext = { profileOf: () => "crypto", now: new Date("2024-02-01T00:00:00Z"), log: (m) => logs.push(m) };

/** Stage one new series (file + catalog entry + registry entry) in a batch, as a commit does. */
function stageSeries(lh: Lakehouse, b: Batch, id: string, series: Bars): string {
  const sym = parseSymbol(id);
  const file = lh.fileName(sym, "1d");
  const { sha256: hash } = b.stage(sym.id, file, lh.encode(series));
  b.catalog.set({
    symbol: sym.id,
    interval: "1d",
    profile: "crypto",
    path: file,
    rows: series.timestamp.length,
    ...seriesRange(series),
    genesis: null,
    sha256: hash,
    source: "file",
    ingestedAt: "2024-02-01T00:00:00.000Z",
    qualityScore: null,
  });
  b.touchCatalog(sym.id, "1d");
  b.health.ensure(sym.id).gaps_filled = series.timestamp.length;
  return hash;
}

function open(dir: string) {
  const lh = new Lakehouse(dir);
  lh.ensure();
  const catalog = lh.catalog();
  const health = lh.health();
  return { lh, batch: new Batch(lh.root, catalog, health) };
}

async function relock(lh: Lakehouse): Promise<void> {
  (await lh.lock("test", 0, rc)).release();
}

describe("commit journal", () => {
  test("a clean commit lands files, catalog and registry, and leaves no journal or temp file", () => {
    const { dir, cleanup } = tempDir();
    try {
      const { lh, batch } = open(dir);
      const hash = stageSeries(lh, batch, "BINANCE:BTCUSDT", bars(5));
      batch.commit();
      expect(sha256(readFileSync(join(dir, "BINANCE_BTCUSDT_1d.parquet")))).toBe(hash);
      expect(lh.catalog().get("BINANCE:BTCUSDT", "1d")?.sha256).toBe(hash);
      expect(lh.health().get("BINANCE:BTCUSDT")?.gaps_filled).toBe(5);
      expect(readdirSync(dir).sort()).toEqual(["BINANCE_BTCUSDT_1d.parquet", "catalog.json", "foundation_health.json"]);
    } finally {
      cleanup();
    }
  });

  for (const failpoint of ["journal", "rename", "catalog"] as const) {
    test(`a crash right after the ${failpoint} step is rolled forward whole by the next lock holder`, async () => {
      const { dir, cleanup } = tempDir();
      try {
        const { lh, batch } = open(dir);
        const h1 = stageSeries(lh, batch, "BINANCE:BTCUSDT", bars(5));
        const h2 = stageSeries(lh, batch, "BINANCE:ETHUSDT", bars(7));
        expect(() => batch.commit(failpoint)).toThrow(`failpoint ${failpoint}`);
        expect(existsSync(join(dir, JOURNAL_FILE))).toBe(true);
        await relock(lh);
        expect(existsSync(join(dir, JOURNAL_FILE))).toBe(false);
        const cat = lh.catalog();
        expect([cat.get("BINANCE:BTCUSDT", "1d")?.sha256, cat.get("BINANCE:ETHUSDT", "1d")?.sha256]).toEqual([h1, h2]);
        expect(sha256(readFileSync(join(dir, "BINANCE_ETHUSDT_1d.parquet")))).toBe(h2);
        expect(lh.health().get("BINANCE:ETHUSDT")?.gaps_filled).toBe(7);
        expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
      } finally {
        cleanup();
      }
    });
  }

  test("an intent whose temp file is gone is dropped with its entries; the previous version stays", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const first = open(dir);
      const old = stageSeries(first.lh, first.batch, "BINANCE:BTCUSDT", bars(5));
      first.batch.commit();
      const { lh, batch } = open(dir);
      stageSeries(lh, batch, "BINANCE:BTCUSDT", bars(9));
      expect(() => batch.commit("journal")).toThrow();
      for (const f of readdirSync(dir)) if (f.endsWith(".tmp")) rmSync(join(dir, f));
      await relock(lh);
      expect(lh.catalog().get("BINANCE:BTCUSDT", "1d")?.sha256).toBe(old);
      expect(lh.health().get("BINANCE:BTCUSDT")?.gaps_filled).toBe(5);
      expect(sha256(readFileSync(join(dir, "BINANCE_BTCUSDT_1d.parquet")))).toBe(old);
    } finally {
      cleanup();
    }
  });

  test("a journal dqctl did not write is refused with one line naming it", async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, JOURNAL_FILE), "{not json");
      await expect(new Lakehouse(dir).lock("test", 0, rc)).rejects.toThrow(JOURNAL_FILE);
      expect(existsSync(join(dir, ".dqctl.lock"))).toBe(false);
    } finally {
      cleanup();
    }
  });
});

describe("recovery", () => {
  test("a golden file the catalog does not list is adopted; an undecodable one is reported and left alone", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const lh = new Lakehouse(dir);
      lh.ensure();
      const bytes = lh.encode(bars(4));
      writeFileAtomic(join(dir, "BINANCE_SOLUSDT_1d.parquet"), bytes);
      writeFileSync(join(dir, "BINANCE_XRPUSDT_1d.parquet"), "garbage");
      logs.length = 0;
      await relock(lh);
      const e = lh.catalog().get("BINANCE:SOLUSDT", "1d");
      expect(e).toMatchObject({ rows: 4, sha256: sha256(bytes), source: "adopted", path: "BINANCE_SOLUSDT_1d.parquet" });
      expect(lh.catalog().get("BINANCE:XRPUSDT", "1d")).toBeUndefined();
      expect(logs.some((m) => m.includes("BINANCE_XRPUSDT_1d.parquet") && m.includes("not adopted"))).toBe(true);
      expect(readFileSync(join(dir, "BINANCE_XRPUSDT_1d.parquet"), "utf8")).toBe("garbage");
    } finally {
      cleanup();
    }
  });

  test("an entry under the old ambiguous name moves to its one-to-one name; a file two entries shared keeps only its owner", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const lh = new Lakehouse(dir);
      lh.ensure();
      const cat = lh.catalog();
      const entry = (symbol: string, path: string, b: Bars) => {
        const bytes = lh.encode(b);
        writeFileAtomic(join(dir, path), bytes);
        cat.set({
          symbol,
          interval: "1d",
          profile: "futures",
          path,
          rows: b.timestamp.length,
          ...seriesRange(b),
          genesis: null,
          sha256: sha256(bytes),
          source: "file",
          ingestedAt: "x",
          qualityScore: null,
        });
      };
      entry("NYMEX:CL_X", "NYMEX_CL_X_1d.parquet", bars(3)); // old naming, alone: migrated
      entry("CME_MINI:ES1!", "CME_MINI_ES1!_1d.parquet", bars(4));
      entry("CME:MINI_ES1!", "CME_MINI_ES1!_1d.parquet", bars(5)); // shared the file under the old naming
      cat.save();
      await relock(lh);
      const after = lh.catalog();
      expect(after.get("NYMEX:CL_X", "1d")?.path).toBe("NYMEX_CL~X_1d.parquet");
      expect(existsSync(join(dir, "NYMEX_CL~X_1d.parquet")) && !existsSync(join(dir, "NYMEX_CL_X_1d.parquet"))).toBe(true);
      expect(after.get("CME_MINI:ES1!", "1d")?.path).toBe("CME_MINI_ES1!_1d.parquet");
      expect(after.get("CME:MINI_ES1!", "1d")).toBeUndefined();
    } finally {
      cleanup();
    }
  });

  test("the sweep removes only dqctl's temp files of dead writers, and never reaches through a symbolic link", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const lh = new Lakehouse(join(dir, "lh"));
      lh.ensure();
      const outside = join(dir, "outside");
      mkdirSync(outside);
      symlinkSync(outside, join(lh.root, "quarantine"));
      const dead = Bun.spawnSync(["true"]).pid;
      const names = {
        deadTemp: `.BINANCE_BTCUSDT_1d.parquet.${dead}.0123abcd.tmp`,
        liveTemp: `.BINANCE_BTCUSDT_1d.parquet.${process.pid}.0123abcd.tmp`,
        userTemp: ".notes.tmp",
      };
      for (const n of Object.values(names)) writeFileSync(join(lh.root, n), "x");
      writeFileSync(join(outside, names.deadTemp), "x");
      await relock(lh);
      expect(existsSync(join(lh.root, names.deadTemp))).toBe(false);
      expect(existsSync(join(lh.root, names.liveTemp))).toBe(true);
      expect(existsSync(join(lh.root, names.userTemp))).toBe(true);
      expect(existsSync(join(outside, names.deadTemp))).toBe(true);
      expect(() => lh.quarantineFiles(parseSymbol("BINANCE:BTCUSDT"), "1d", bars(2), {}, "2024")).toThrow("symbolic link");
    } finally {
      cleanup();
    }
  });

  test("the sweep reaches the metric history's day folders: a dead appender's temp goes, a live one's stays", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const lh = new Lakehouse(join(dir, "lh"));
      const day = join(lh.root, "metrics", "day=2026-11-21");
      mkdirSync(day, { recursive: true });
      const dead = Bun.spawnSync(["true"]).pid;
      const deadTemp = `.20261121T060000Z-64cd-ingest.parquet.${dead}.5eb3eded.tmp`;
      const liveTemp = `.20261121T060000Z-64ce-audit.parquet.${process.pid}.5eb3eded.tmp`;
      for (const n of [deadTemp, liveTemp, "20261121T060000Z-64cc-audit.parquet"]) writeFileSync(join(day, n), "x");
      await relock(lh);
      expect(existsSync(join(day, deadTemp))).toBe(false);
      expect(existsSync(join(day, liveTemp))).toBe(true);
      expect(existsSync(join(day, "20261121T060000Z-64cc-audit.parquet"))).toBe(true);
    } finally {
      cleanup();
    }
  });
});

describe("file names", () => {
  const part = (min: number) => fc.stringMatching(new RegExp(`^[A-Z0-9._!-]{${min},12}$`)).filter((s) => !s.includes(".."));
  test("property: the symbol → file mapping is one-to-one and inverted by parseFileStem", () => {
    fc.assert(
      fc.property(part(1), part(1), part(1), part(1), (e1, t1, e2, t2) => {
        const a = parseSymbol(`${e1.replace(/^[._-]+/, "A")}:${t1}`);
        const b = parseSymbol(`${e2.replace(/^[._-]+/, "A")}:${t2}`);
        expect(parseFileStem(fileStem(a, "1d"))).toEqual({ id: a.id, interval: "1d" });
        if (a.id !== b.id) expect(fileStem(a, "1d")).not.toBe(fileStem(b, "1d"));
      }),
      { seed: 13, numRuns: 500 },
    );
  });

  test("CME_MINI:ES1! and CME:MINI_ES1! get different files", () => {
    expect(fileStem(parseSymbol("CME_MINI:ES1!"), "1d")).toBe("CME_MINI_ES1!_1d");
    expect(fileStem(parseSymbol("CME:MINI_ES1!"), "1d")).toBe("CME_MINI~ES1!_1d");
  });
});

describe("vendor bars outside the time window", () => {
  test("fail their series with one line naming the vendor and the value; nothing is committed", async () => {
    const { runIngest } = await import("../../../src/pipeline/ingest.ts");
    const { contextFor } = await import("../snapshot/fixture.ts");
    const { memoryVendor } = await import("../../helpers/memory-vendor.ts");
    const { dir, cleanup } = tempDir();
    try {
      const b = bars(5, Date.UTC(1850, 0, 1));
      const ctx = contextFor(dir, "2024-02-01T00:00:00Z");
      const res = await runIngest(ctx, { vendor: memoryVendor(b), symbols: [parseSymbol("BINANCE:BTCUSDT")], interval: "1d" });
      expect(res.counts.failed).toBe(1);
      expect(res.errors?.[0]?.message).toContain("memory sent BINANCE:BTCUSDT 1d a bar at 1850-01-01T00:00:00.000Z");
      expect(new Lakehouse(dir).catalog().all()).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
