// Issue 13: orphans, a long ticker, two symbols that used to share a file name, and symlinks in the lakehouse.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { calendarFor } from "../../src/calendar/index.ts";
import { decodeBars } from "../../src/lakehouse/parquet.ts";
import { DEMO, DEMO_NOW, dqctl, tempDir } from "../helpers/cli.ts";
import { checkLakehouse, problems, sha256 } from "../helpers/lakehouse-check.ts";

let work: { dir: string; cleanup: () => void };
let n = 0;
/** A fresh folder per test. */
const fresh = () => join(work.dir, `t${n++}`);
const readJson = (p: string) => JSON.parse(readFileSync(p, "utf8"));
const entries = (lh: string) => readJson(join(lh, "catalog.json")).entries as { symbol: string; path: string; sha256: string; rows: number; source: string }[];
const ingest = (lh: string, source: string, symbols: string, ...more: string[]) =>
  dqctl(["ingest", "--source", source, "--symbols", symbols, "--json", "--quiet", ...more, "--lakehouse", lh, "--now", DEMO_NOW]);

beforeAll(() => {
  work = tempDir("dqctl-edges-");
});
afterAll(() => work.cleanup());

/** A single-file source with a symbol column: daily futures bars per symbol, closes rising from `base`; `spikes` puts one bar at 8×. */
function pairSource(path: string, series: Record<string, number>, spikes: Record<string, number> = {}): string {
  const ts = calendarFor("futures").expected("1d", Date.parse("2026-08-01"), Date.parse("2026-11-20"));
  const lines = ["symbol,timestamp,open,high,low,close,volume"];
  for (const [sym, base] of Object.entries(series)) {
    ts.forEach((t, i) => {
      // From the spike bar on, × 8: a jump that never comes back (structural: the series is quarantined whole).
      const c = (base + i * 0.25) * (spikes[sym] !== undefined && i >= spikes[sym] ? 8 : 1);
      lines.push([sym, new Date(t).toISOString(), c, c + 1, c - 1, c, 1000 + i].join(","));
    });
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("orphans", () => {
  test("a golden file the catalog does not list is adopted by the next writer, with its true hash, rows and range", async () => {
    const lh = fresh();
    expect((await ingest(lh, DEMO, "BINANCE:BTCUSDT,BINANCE:ETHUSDT,NASDAQ:AAPL")).code).toBe(0);
    // As a writer killed before its catalog save used to leave it: files on disk, entries missing.
    const cat = readJson(join(lh, "catalog.json"));
    cat.entries = cat.entries.filter((e: { symbol: string }) => e.symbol === "BINANCE:BTCUSDT");
    writeFileSync(join(lh, "catalog.json"), JSON.stringify(cat));
    // The next run ingests one of them (which it would judge fresh) and not the other.
    const r = await ingest(lh, DEMO, "BINANCE:ETHUSDT");
    expect(r.code).toBe(0);
    expect(
      entries(lh)
        .map((e) => e.symbol)
        .sort(),
    ).toEqual(["BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "NASDAQ:AAPL"]);
    expect(entries(lh).find((e) => e.symbol === "NASDAQ:AAPL")!.source).toBe("adopted");
    expect(problems(checkLakehouse(lh))).toEqual([]);
  });

  test("an orphan that does not decode, or whose name maps to no symbol, is named in a warning and kept, never cataloged", async () => {
    const lh = fresh();
    expect((await ingest(lh, DEMO, "BINANCE:BTCUSDT")).code).toBe(0);
    writeFileSync(join(lh, "NASDAQ_MSFT_1d.parquet"), "PAR1 not really parquet PAR1");
    cpSync(join(lh, "BINANCE_BTCUSDT_1d.parquet"), join(lh, "holiday-photos.parquet"));
    const before = { msft: sha256(readFileSync(join(lh, "NASDAQ_MSFT_1d.parquet"))), photos: sha256(readFileSync(join(lh, "holiday-photos.parquet"))) };
    const r = await dqctl(["ingest", "--source", DEMO, "--symbols", "BINANCE:ETHUSDT", "--lakehouse", lh, "--now", DEMO_NOW]);
    expect(r.code).toBe(0);
    const warned = r.stderr.split("\n").filter((l) => l.includes("WARN"));
    expect(warned.filter((l) => l.includes("NASDAQ_MSFT_1d.parquet"))).toHaveLength(1);
    expect(warned.filter((l) => l.includes("holiday-photos.parquet"))).toHaveLength(1);
    expect(sha256(readFileSync(join(lh, "NASDAQ_MSFT_1d.parquet")))).toBe(before.msft);
    expect(sha256(readFileSync(join(lh, "holiday-photos.parquet")))).toBe(before.photos);
    expect(
      entries(lh)
        .map((e) => e.symbol)
        .sort(),
    ).toEqual(["BINANCE:BTCUSDT", "BINANCE:ETHUSDT"]);
  });
});

describe("names", () => {
  test("the longest symbol id that passes validation (100 characters) is stored like any other: file, temp, journal and quarantine names fit", async () => {
    const dir = fresh();
    mkdirSync(dir);
    const longest = `BINANCE:${"L_NG".repeat(23)}`; // `_` in the ticker: its file name carries the escape too
    const toxic = `KRAKEN:${"T_X".repeat(31)}`;
    expect([longest.length, toxic.length]).toEqual([100, 100]);
    const src = pairSource(join(dir, "bars.csv"), { "BINANCE:BTCUSDT": 100, [longest]: 50, [toxic]: 70 }, { [toxic]: 40 });
    const lh = join(dir, "lakehouse");
    const r = await ingest(lh, src, `BINANCE:BTCUSDT,${longest},${toxic}`);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(
      entries(lh)
        .map((e) => e.symbol)
        .sort(),
    ).toEqual(["BINANCE:BTCUSDT", longest]);
    expect(readJson(join(lh, "foundation_health.json"))[toxic].is_toxic).toBe(true);
    expect(problems(checkLakehouse(lh))).toEqual([]);
  });

  test("a 230-character ticker is refused before anything is written: exit 3, one line naming it", async () => {
    const dir = fresh();
    mkdirSync(dir);
    const long = `BINANCE:${"LONG".repeat(57)}XY`;
    expect(long.length - "BINANCE:".length).toBe(230);
    const src = pairSource(join(dir, "bars.csv"), { "BINANCE:BTCUSDT": 100, [long]: 50 });
    const lh = join(dir, "lakehouse");
    const r = await ingest(lh, src, `BINANCE:BTCUSDT,${long}`);
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(long.slice(0, 40));
    expect(existsSync(lh)).toBe(false);
  });

  test("CME_MINI:ES1! and CME:MINI_ES1! never share a file; --refresh of one leaves the other byte-identical", async () => {
    const dir = fresh();
    mkdirSync(dir);
    const lh = join(dir, "lakehouse");
    const v1 = pairSource(join(dir, "v1.csv"), { "CME_MINI:ES1!": 5000, "CME:MINI_ES1!": 100 });
    expect((await ingest(lh, v1, "CME_MINI:ES1!,CME:MINI_ES1!")).code).toBe(0);
    const byId = () => Object.fromEntries(entries(lh).map((e) => [e.symbol, e]));
    const first = byId();
    // One-to-one names (README, "File names are one-to-one"): `_` inside the ticker is written `~`.
    expect(first["CME_MINI:ES1!"]!.path).toBe("CME_MINI_ES1!_1d.parquet");
    expect(first["CME:MINI_ES1!"]!.path).toBe("CME_MINI~ES1!_1d.parquet");
    for (const [sym, base] of [
      ["CME_MINI:ES1!", 5000],
      ["CME:MINI_ES1!", 100],
    ] as const) {
      expect(decodeBars(readFileSync(join(lh, first[sym]!.path)), sym).close[0]).toBe(base);
    }
    // Both move in the source; only the refreshed one may move in the lakehouse.
    const v2 = pairSource(join(dir, "v2.csv"), { "CME_MINI:ES1!": 6000, "CME:MINI_ES1!": 200 });
    for (const [refreshed, other] of [
      ["CME:MINI_ES1!", "CME_MINI:ES1!"],
      ["CME_MINI:ES1!", "CME:MINI_ES1!"],
    ] as const) {
      const before = byId();
      const otherBytes = sha256(readFileSync(join(lh, before[other]!.path)));
      expect((await ingest(lh, v2, refreshed, "--refresh")).code).toBe(0);
      const after = byId();
      expect(sha256(readFileSync(join(lh, after[other]!.path)))).toBe(otherBytes);
      expect(after[other]).toEqual(before[other]!);
      expect(after[refreshed]!.sha256).not.toBe(before[refreshed]!.sha256);
      expect(decodeBars(readFileSync(join(lh, after[refreshed]!.path)), refreshed).close[0]).toBe(refreshed === "CME:MINI_ES1!" ? 200 : 6000);
    }
    expect(problems(checkLakehouse(lh))).toEqual([]);
  });
});

describe("symlinks and other people's files", () => {
  test("the temp sweep removes a dead writer's temp file but not a user's .notes.tmp nor a live process's temp", async () => {
    const lh = fresh();
    expect((await ingest(lh, DEMO, "BINANCE:BTCUSDT")).code).toBe(0);
    const dead = join(lh, ".BINANCE_ETHUSDT_1d.parquet.4194999.deadbeef.tmp"); // above any pid_max: never a live pid
    const live = join(lh, `.BINANCE_XRPUSDT_1d.parquet.${process.pid}.0badcafe.tmp`);
    const notes = join(lh, ".notes.tmp");
    for (const f of [dead, live, notes]) writeFileSync(f, "mine");
    expect((await ingest(lh, DEMO, "BINANCE:ETHUSDT")).code).toBe(0);
    expect(existsSync(dead)).toBe(false);
    expect(readFileSync(live, "utf8")).toBe("mine");
    expect(readFileSync(notes, "utf8")).toBe("mine");
  });

  test("lock debris a writer killed while taking the lock left (.new naming a dead pid on this host) is gone after the next run", async () => {
    // Found by the audit kill trials: a SIGKILL between writing `.dqctl.lock.<pid>.<hex>.new` and linking it.
    const lh = fresh();
    expect((await ingest(lh, DEMO, "BINANCE:BTCUSDT")).code).toBe(0);
    const debris = join(lh, ".dqctl.lock.4194999.0123456789abcdef.new");
    writeFileSync(
      debris,
      JSON.stringify({ pid: 4194999, host: hostname(), command: "audit", since: new Date().toISOString(), lease: 60_000, token: "0123456789abcdef" }),
    );
    // Killed between the create and the write: an empty `.new`, whose creator is the pid in its name.
    const empty = join(lh, ".dqctl.lock.4194998.fedcba9876543210.new");
    writeFileSync(empty, "");
    expect((await dqctl(["audit", "--quiet", "--lakehouse", lh, "--now", DEMO_NOW])).code).toBe(0);
    expect(existsSync(debris)).toBe(false);
    expect(existsSync(empty)).toBe(false);
    expect(problems(checkLakehouse(lh))).toEqual([]);
  });

  test("a symlinked quarantine/: the sweep never deletes temp-looking files in its target", async () => {
    const dir = fresh();
    const target = join(dir, "elsewhere");
    mkdirSync(target, { recursive: true });
    const lh = join(dir, "lakehouse");
    mkdirSync(lh);
    symlinkSync(target, join(lh, "quarantine"));
    const theirs = [join(target, ".draft.tmp"), join(target, ".BINANCE_SOLUSDT_1d.parquet.4194999.deadbeef.tmp")];
    for (const f of theirs) writeFileSync(f, "not dqctl's");
    expect((await ingest(lh, DEMO, "BINANCE:BTCUSDT")).code).toBe(0);
    for (const f of theirs) expect(readFileSync(f, "utf8")).toBe("not dqctl's");
  });

  test("symlinked catalog.json, foundation_health.json and runs.jsonl are never written through", async () => {
    const dir = fresh();
    const lh = join(dir, "lakehouse");
    expect((await ingest(lh, DEMO, "BINANCE:BTCUSDT")).code).toBe(0);
    const outside = join(dir, "outside");
    mkdirSync(outside);
    const hashes: Record<string, string> = {};
    for (const f of ["catalog.json", "foundation_health.json", "runs.jsonl"]) {
      renameSync(join(lh, f), join(outside, f));
      symlinkSync(join(outside, f), join(lh, f));
      hashes[f] = sha256(readFileSync(join(outside, f)));
    }
    for (const args of [["ingest", "--source", DEMO, "--symbols", "BINANCE:ETHUSDT"], ["audit"]]) {
      const r = await dqctl([...args, "--quiet", "--lakehouse", lh, "--now", DEMO_NOW]);
      // Refusing (exit 3, one line naming the link) or replacing the link are both fine; writing through is not.
      if (r.code !== 0) {
        expect(r.code).toBe(3);
        expect(r.stderr).toMatch(/catalog\.json|foundation_health\.json|runs\.jsonl/);
      }
      for (const f of Object.keys(hashes)) expect(sha256(readFileSync(join(outside, f)))).toBe(hashes[f]!);
    }
  });
});
