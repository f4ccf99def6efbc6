import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, InputError } from "../../../src/errors.ts";
import { HealthRegistry } from "../../../src/lakehouse/health.ts";
import { encodeBars, initParquet } from "../../../src/lakehouse/parquet.ts";
import { sha256 } from "../../../src/lakehouse/store.ts";
import { parseSymbol, parseSymbolList } from "../../../src/model/symbol.ts";
import { runSnapshot } from "../../../src/pipeline/snapshot.ts";
import { canonicalJson, snapshotIdOf, verifySnapshot } from "../../../src/pipeline/verify.ts";
import { VERSION } from "../../../src/version.ts";
import { tempDir } from "../../helpers/cli.ts";
import { buildLakehouse, contextFor, days, PAIR_NOW, pair, walkBars, without } from "./fixture.ts";

const SYMBOLS = parseSymbolList("BINANCE:BTCUSDT,NASDAQ:AAPL");
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir("dqctl-snap-")));
afterEach(() => cleanup());

const lakeDir = () => join(dir, "lake");
const outDir = () => join(dir, "runs");
const tree = (root: string) => (existsSync(root) ? readdirSync(root, { recursive: true }).map(String).sort() : []);

describe("snapshot", () => {
  test("copies the files read-only, writes the manifest and the matrix; a later lakehouse change leaves the run folder intact", async () => {
    const lh = await buildLakehouse(lakeDir(), pair());
    const res = await runSnapshot(contextFor(lakeDir(), PAIR_NOW), { symbols: SYMBOLS, interval: "1d", runId: "r1", out: outDir() });
    expect(res.exitCode).toBeUndefined();
    expect(res.counts).toMatchObject({ symbols: 2, copied: 2, blocked: 0, gapsFilled: 0, matrixRows: 25 });
    const run = join(outDir(), "r1");
    expect(tree(run)).toEqual(["data", "data/BINANCE_BTCUSDT_1d.parquet", "data/NASDAQ_AAPL_1d.parquet", "manifest.json", "returns_matrix.parquet"]);
    expect(tree(outDir())).toEqual(
      tree(run)
        .map((p) => `r1/${p}`)
        .concat("r1")
        .sort(),
    ); // no temp folder left behind

    expect(statSync(run).mode & 0o777).toBe(0o755);
    for (const f of ["data/BINANCE_BTCUSDT_1d.parquet", "data/NASDAQ_AAPL_1d.parquet", "returns_matrix.parquet", "manifest.json"]) {
      expect(statSync(join(run, f)).mode & 0o777).toBe(0o444);
    }
    for (const f of ["data/BINANCE_BTCUSDT_1d.parquet", "data/NASDAQ_AAPL_1d.parquet"]) {
      const st = statSync(join(run, f));
      expect(st.mode & 0o777).toBe(0o444);
      expect(st.nlink).toBe(1); // a copy, never a hard link into the lakehouse
      expect(readFileSync(join(run, f)).equals(readFileSync(join(lakeDir(), f.slice(5))))).toBe(true);
    }

    const m = JSON.parse(readFileSync(join(run, "manifest.json"), "utf8"));
    expect(m).toMatchObject({
      schema: "dqctl.snapshot/v1",
      runId: "r1",
      created: "2024-03-29T12:00:00.000Z",
      tool: { name: "dqctl", version: VERSION },
      interval: "1d",
    });
    expect(m.gapsFilled).toEqual({ "BINANCE:BTCUSDT": 0, "NASDAQ:AAPL": 0 });
    expect(m.files.map((f: { path: string }) => f.path)).toEqual(["data/BINANCE_BTCUSDT_1d.parquet", "data/NASDAQ_AAPL_1d.parquet", "returns_matrix.parquet"]);
    const aapl = m.files[1];
    expect(aapl).toMatchObject({
      kind: "series",
      symbol: "NASDAQ:AAPL",
      profile: "equity",
      rows: 19,
      first: "2024-03-04T00:00:00.000Z",
      last: "2024-03-28T00:00:00.000Z",
    });
    expect(aapl.sha256).toBe(sha256(readFileSync(join(run, aapl.path))));
    expect(aapl.size).toBe(statSync(join(run, aapl.path)).size);
    expect(aapl.source).toEqual(lh.catalog().get("NASDAQ:AAPL", "1d"));
    expect(m.files[2]).toMatchObject({ kind: "returns_matrix", rows: 25, columns: ["BINANCE:BTCUSDT", "NASDAQ:AAPL"] });
    expect(m.snapshotId).toBe(sha256(canonicalJson(m.files)));
    expect(snapshotIdOf([...m.files].reverse())).toBe(m.snapshotId); // entries are sorted before hashing
    expect((res.extra!.snapshot as { snapshotId: string }).snapshotId).toBe(m.snapshotId);

    const before = tree(run).map((p) => (statSync(join(run, p)).isFile() ? sha256(readFileSync(join(run, p))) : p));
    await buildLakehouse(lakeDir(), { "NASDAQ:AAPL": walkBars(days("2024-03-04", "2024-04-05", true), 99) });
    const after = tree(run).map((p) => (statSync(join(run, p)).isFile() ? sha256(readFileSync(join(run, p))) : p));
    expect(after).toEqual(before);
    expect(verifySnapshot(run)).toMatchObject({ intact: true, exitCode: 0, findings: [] });
  });

  test("the snapshot id depends on the contents only: same lakehouse, another run id and time → same id", async () => {
    await buildLakehouse(lakeDir(), pair());
    await runSnapshot(contextFor(lakeDir(), PAIR_NOW), { symbols: SYMBOLS, runId: "a", out: outDir() });
    await runSnapshot(contextFor(lakeDir(), "2024-03-29T13:00:00Z"), { symbols: [...SYMBOLS].reverse(), runId: "b", out: outDir() });
    const id = (r: string) => JSON.parse(readFileSync(join(outDir(), r, "manifest.json"), "utf8")).snapshotId;
    expect(id("a")).toBe(id("b"));
    expect(readFileSync(join(outDir(), "a/returns_matrix.parquet")).equals(readFileSync(join(outDir(), "b/returns_matrix.parquet")))).toBe(true);
  });

  test("a removed in-session equity bar is neutral-filled and counted in the manifest", async () => {
    const p = pair();
    p["NASDAQ:AAPL"] = without(p["NASDAQ:AAPL"]!, [Date.parse("2024-03-13")]);
    await buildLakehouse(lakeDir(), p);
    const res = await runSnapshot(contextFor(lakeDir(), PAIR_NOW), { symbols: SYMBOLS, runId: "r", out: outDir() });
    expect(res.exitCode).toBeUndefined();
    expect(res.counts.gapsFilled).toBe(1);
    expect(res.symbols.find((s) => s.symbol === "NASDAQ:AAPL")).toMatchObject({ gapsFilled: 1, status: "degraded" });
    expect(res.findings.some((f) => f.code === "gap" && f.symbol === "NASDAQ:AAPL")).toBe(true);
    const m = JSON.parse(readFileSync(join(outDir(), "r/manifest.json"), "utf8"));
    expect(m.gapsFilled).toEqual({ "BINANCE:BTCUSDT": 0, "NASDAQ:AAPL": 1 });
  });

  test("a stale asset aborts with exit 2 before anything is written, naming it and why", async () => {
    await buildLakehouse(lakeDir(), pair());
    const res = await runSnapshot(contextFor(lakeDir(), "2024-05-01T12:00:00Z"), { symbols: SYMBOLS, runId: "r", out: outDir() });
    expect(res.exitCode).toBe(2);
    expect(res.counts).toMatchObject({ blocked: 2, copied: 0 });
    expect(res.findings.map((f) => [f.code, f.severity, f.symbol, f.details?.reason])).toEqual([
      ["snapshot_blocked", "error", "BINANCE:BTCUSDT", "stale"],
      ["snapshot_blocked", "error", "NASDAQ:AAPL", "stale"],
    ]);
    expect(res.findings[0]!.message).toContain("days behind (last expected");
    expect(existsSync(outDir())).toBe(false);
  });

  test("missing, toxic and registry-toxic assets are offenders; healthy ones are not", async () => {
    const p = pair();
    const spiky = walkBars(days("2024-03-04", "2024-03-28"), 3);
    spiky.close[12] = spiky.close[11]! * 10; // +900 %: a toxic return
    spiky.high[12] = spiky.close[12]! * 1.01;
    spiky.open[12] = spiky.close[12]!;
    await buildLakehouse(lakeDir(), { ...p, "BINANCE:ETHUSDT": walkBars(days("2024-03-04", "2024-03-28"), 5), "BINANCE:SPIKEUSDT": spiky });
    const health = HealthRegistry.load(join(lakeDir(), "foundation_health.json"));
    health.ensure("BINANCE:ETHUSDT").is_toxic = true;
    health.save();
    const symbols = [...SYMBOLS, ...parseSymbolList("BINANCE:ETHUSDT,BINANCE:SPIKEUSDT,NYSE:GONE")];
    const res = await runSnapshot(contextFor(lakeDir(), PAIR_NOW), { symbols, runId: "r", out: outDir() });
    expect(res.exitCode).toBe(2);
    expect(res.findings.map((f) => [f.symbol, f.details?.reason])).toEqual([
      ["BINANCE:ETHUSDT", "registry_toxic"],
      ["BINANCE:SPIKEUSDT", "toxic"],
      ["NYSE:GONE", "missing"],
    ]);
    expect(existsSync(outDir())).toBe(false);
  });

  test("an existing run folder is never overwritten (ConfigError naming it)", async () => {
    await buildLakehouse(lakeDir(), pair());
    const ctx = contextFor(lakeDir(), PAIR_NOW);
    await runSnapshot(ctx, { symbols: SYMBOLS, runId: "r", out: outDir() });
    const manifest = readFileSync(join(outDir(), "r/manifest.json"));
    const err = await runSnapshot(ctx, { symbols: [parseSymbol("BINANCE:BTCUSDT")], runId: "r", out: outDir() }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(join(outDir(), "r"));
    expect(readFileSync(join(outDir(), "r/manifest.json")).equals(manifest)).toBe(true);
  });

  test("a lakehouse file rewritten mid-snapshot aborts (InputError) and leaves neither a run folder nor a temp folder", async () => {
    await buildLakehouse(lakeDir(), pair());
    const ctx = contextFor(lakeDir(), PAIR_NOW);
    let armed = false;
    let rewrote = false;
    ctx.progress = {
      start: (label) => void (armed = label === "snapshot"),
      tick: () => {
        // After the first copy, a writer replaces the second series (as a concurrent ingest would).
        if (armed && !rewrote) {
          rewrote = true;
          writeFileSync(join(lakeDir(), "NASDAQ_AAPL_1d.parquet"), encodeBars(walkBars(days("2024-03-04", "2024-03-28", true), 42)));
        }
      },
      done: () => {},
    };
    await initParquet();
    const err = await runSnapshot(ctx, { symbols: SYMBOLS, runId: "r", out: outDir() }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain("NASDAQ:AAPL 1d");
    expect(err.message).toContain("changed while the snapshot was being taken");
    expect(readdirSync(outDir())).toEqual([]);
  });

  test("run ids that are not a plain folder name are refused", async () => {
    await buildLakehouse(lakeDir(), pair());
    for (const runId of ["../x", "a/b", ".hidden", ""]) {
      const err = await runSnapshot(contextFor(lakeDir(), PAIR_NOW), { symbols: SYMBOLS, runId, out: outDir() }).catch((e) => e);
      expect(err).toBeInstanceOf(ConfigError);
    }
    expect(existsSync(outDir())).toBe(false);
  });
});
