// Issue 13: writers and the audit started together with --wait-lock. No update may be lost: no catalog entry reverted
// to an older hash, every filled gap counted once, and the registry showing what the audit saw under the lock.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { decodeBars } from "../../src/lakehouse/parquet.ts";
import { DEMO, DEMO_NOW, dqctl, tempDir } from "../helpers/cli.ts";
import { checkLakehouse, problems } from "../helpers/lakehouse-check.ts";

const DAY = 86_400_000;
const SERIES = 30;
const ROUNDS = 4;
const SEED = 1307;
/** Round r's data ends at END0 + r × STEP days; the first 120 bars exist from the start. */
const END0 = Date.UTC(2026, 5, 30);
const STEP = 3;
const FIRST = END0 - 119 * DAY;
const symbols = Array.from({ length: SERIES }, (_, k) => `BINANCE:C${k}USDT`);
const endOf = (r: number) => END0 + r * STEP * DAY;
const nowOf = (r: number) => new Date(endOf(r) + 1.5 * DAY).toISOString();
const lastDays = new Set(Array.from({ length: ROUNDS + 1 }, (_, r) => endOf(r)));

/** A third of the series lose every 9th bar (never a round's last one): repair's work, arriving as the data grows. */
function isHole(k: number, ts: number): boolean {
  const i = (ts - FIRST) / DAY;
  return k % 3 === 0 && i >= 5 && i % 9 === 4 && !lastDays.has(ts);
}

/** Bar values: a smooth base, moved by a small per-version factor, except holes, which only repair ever writes (base values). */
function bar(k: number, ts: number, version: number): number[] {
  const i = (ts - FIRST) / DAY;
  const f = isHole(k, ts) ? 1 : 1 + version * 0.001;
  const c = (100 + k + 5 * Math.sin(i / 7 + k)) * f;
  return [c, c * 1.01, c * 0.99, c, (1000 + 10 * k + (i % 5)) * (isHole(k, ts) ? 1 : 1 + version * 0.05)];
}

/** A file-vendor folder with every series up to round r's end, holes left out (ingest) or included (repair). */
function writeSource(dir: string, r: number, withHoles: boolean): string {
  mkdirSync(dir, { recursive: true });
  for (let k = 0; k < SERIES; k++) {
    const lines = ["timestamp,open,high,low,close,volume"];
    for (let ts = FIRST; ts <= endOf(r); ts += DAY) {
      if (!withHoles && isHole(k, ts)) continue;
      lines.push([new Date(ts).toISOString(), ...bar(k, ts, r)].join(","));
    }
    writeFileSync(join(dir, `BINANCE_C${k}USDT_1d.csv`), `${lines.join("\n")}\n`);
  }
  return dir;
}

/** Record who takes the lakehouse lock, in order (each lock has a unique token), until stopped. */
function watchLock(lh: string): { stop: () => Promise<string[]> } {
  const seen = new Map<string, string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const h = JSON.parse(readFileSync(join(lh, ".dqctl.lock"), "utf8"));
        const key = h.token ?? `${h.pid}@${h.since}`;
        if (!seen.has(key)) seen.set(key, h.command);
      } catch {
        /* no lock at this instant, or caught mid-replace */
      }
      await Bun.sleep(1);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return [...seen.values()];
    },
  };
}

let work: { dir: string; cleanup: () => void };
beforeAll(() => {
  work = tempDir("dqctl-concurrency-");
});
afterAll(() => work.cleanup());

const readJson = (p: string) => JSON.parse(readFileSync(p, "utf8"));

describe("concurrent ingest + audit + repair (--wait-lock)", () => {
  test(`${ROUNDS} rounds over ${SERIES} series with data changing between rounds: zero lost updates`, async () => {
    const lh = join(work.dir, "lakehouse");
    const common = (r: number) => ["--wait-lock", "60s", "--json", "--quiet", "--lakehouse", lh, "--now", nowOf(r)];
    const first = await dqctl(["ingest", "--source", writeSource(join(work.dir, "ingest-0"), 0, false), "--symbols", symbols.join(","), ...common(0)]);
    expect(first.code).toBe(0);
    const filledSoFar: Record<string, number> = {};
    // Per round, how long each command waits before starting (seeded): the audit's unlocked reads overlap the writers.
    const delays = fc.sample(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 120 })), {
      seed: SEED,
      numRuns: ROUNDS,
    });
    const failures: string[] = [];
    let watched = 0;

    for (let r = 1; r <= ROUNDS; r++) {
      const catalogBefore = Object.fromEntries(readJson(join(lh, "catalog.json")).entries.map((e: any) => [e.symbol, e.sha256]));
      const ingestSrc = writeSource(join(work.dir, `ingest-${r}`), r, false);
      const repairSrc = writeSource(join(work.dir, `repair-${r}`), r, true);
      const [di, da, dr] = delays[r - 1]!;
      const later = (ms: number, args: string[]) => Bun.sleep(ms).then(() => dqctl(args));
      const watcher = watchLock(lh);
      const [ing, aud, rep] = await Promise.all([
        later(di, ["ingest", "--source", ingestSrc, "--symbols", symbols.join(","), "--refresh", ...common(r)]),
        later(da, ["audit", ...common(r)]),
        later(dr, ["repair", "--source", repairSrc, "--backfill-days", "0", ...common(r)]),
      ]);
      const holders = await watcher.stop();
      const where = `round ${r} (seed ${SEED}, delays ingest ${di} audit ${da} repair ${dr} ms)`;
      for (const [name, res] of [
        ["ingest", ing],
        ["audit", aud],
        ["repair", rep],
      ] as const) {
        if (res.code !== 0) failures.push(`${where}: ${name} exited ${res.code}: ${res.stderr.trim().split("\n")[0]}`);
      }
      for (const p of problems(checkLakehouse(lh))) failures.push(`${where}: ${p}`);

      // Content: the newest version everywhere ingest writes; base values in the holes repair filled.
      const health = readJson(join(lh, "foundation_health.json"));
      for (const s of rep.json().symbols ?? []) filledSoFar[s.symbol] = (filledSoFar[s.symbol] ?? 0) + (s.gapsFilled ?? 0);
      for (let k = 0; k < SERIES; k++) {
        const sym = symbols[k]!;
        const b = decodeBars(readFileSync(join(lh, `BINANCE_C${k}USDT_1d.parquet`)), sym);
        const have = new Set(b.timestamp);
        let filled = 0;
        for (let ts = FIRST; ts <= endOf(r); ts += DAY)
          if (!isHole(k, ts) && !have.has(ts)) failures.push(`${where}: ${sym} lost its bar ${new Date(ts).toISOString()}`);
        for (let i = 0; i < b.timestamp.length; i++) {
          const ts = b.timestamp[i]!;
          if (isHole(k, ts)) filled++;
          const want = bar(k, ts, r);
          const got = [b.open[i], b.high[i], b.low[i], b.close[i], b.volume[i]];
          if (ts > endOf(r) || got.some((x, j) => Math.abs(x! - want[j]!) > 1e-9 * Math.abs(want[j]!))) {
            failures.push(`${where}: ${sym} ${new Date(ts).toISOString()} holds ${got.join("/")}, expected ${want.join("/")} (an older version came back)`);
            break;
          }
        }
        // Every filled hole counted exactly once, by the run that filled it.
        const counted = health[sym]?.gaps_filled ?? 0;
        if (counted !== filled || counted !== (filledSoFar[sym] ?? 0))
          failures.push(`${where}: ${sym} gaps_filled ${counted}, but ${filled} holes are filled and the repairs reported ${filledSoFar[sym] ?? 0}`);
      }

      // The registry shows what the audit read under the lock: replay the runs in the order they held it. That order
      // is what the lock file showed while the round ran; if the watcher missed a short hold, the order of the run
      // records (appended just after each release) stands in.
      const runIds = new Map([ing, aud, rep].map((x, i) => [x.json().runId as string, ["ingest", "audit", "repair"][i]!]));
      const records = readFileSync(join(lh, "runs.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
        .filter((rec) => runIds.has(rec.runId));
      const byCommand = new Map(records.map((rec) => [rec.command as string, rec]));
      const sawAll = holders.length === 3 && new Set(holders).size === 3;
      if (sawAll) watched++;
      const lockOrder = sawAll ? holders : records.map((rec) => rec.command as string);
      const order = lockOrder.map((c) => byCommand.get(c)).filter((rec) => rec !== undefined);
      const state: Record<string, string> = { ...catalogBefore };
      let seen: Record<string, string> | undefined;
      for (const rec of order) {
        if (rec.command === "audit") seen = { ...state };
        else for (const o of rec.outputs) if (o.kind === "parquet" && o.symbol) state[o.symbol] = o.sha256;
      }
      if (order.length !== 3 || !seen) failures.push(`${where}: runs.jsonl holds ${order.length} of the round's 3 records`);
      else {
        for (const sym of symbols) {
          const audited = health[sym]?.intervals?.["1d"]?.audit_hash;
          if (audited !== seen[sym])
            failures.push(
              `${where} (lock order ${order.map((x) => x.command).join(" → ")}): ${sym} audit_hash ${String(audited).slice(0, 12)}…, but the file under the lock was ${seen[sym]?.slice(0, 12)}…`,
            );
        }
      }
    }
    console.log(`  lock order seen on the lock file in ${watched} of ${ROUNDS} rounds (else taken from runs.jsonl)`);
    expect({ failures: failures.length, first: failures.slice(0, 16) }).toEqual({ failures: 0, first: [] });
  }, 120_000);

  test("two ingests started together: with --wait-lock both finish and no registry update is lost", async () => {
    const lh = join(work.dir, "two-ingests");
    const a = dqctl([
      "ingest",
      "--source",
      DEMO,
      "--symbols",
      "BINANCE:BTCUSDT,BINANCE:ETHUSDT,KRAKEN:ADAUSD",
      "--wait-lock",
      "60s",
      "--quiet",
      "--lakehouse",
      lh,
      "--now",
      DEMO_NOW,
    ]);
    const b = dqctl([
      "ingest",
      "--source",
      DEMO,
      "--symbols",
      "NASDAQ:AAPL,NYSE:XOM,BINANCE:SOLUSDT",
      "--wait-lock",
      "60s",
      "--quiet",
      "--lakehouse",
      lh,
      "--now",
      DEMO_NOW,
    ]);
    const [ra, rb] = await Promise.all([a, b]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const health = readJson(join(lh, "foundation_health.json"));
    expect(Object.keys(health).sort()).toEqual(["BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "BINANCE:SOLUSDT", "KRAKEN:ADAUSD", "NASDAQ:AAPL", "NYSE:XOM"]);
    // Each ingest cut one series' toxic bars into quarantine: both registry entries name their file.
    expect([health["KRAKEN:ADAUSD"].quarantined?.length, health["BINANCE:SOLUSDT"].quarantined?.length]).toEqual([1, 1]);
    expect(readJson(join(lh, "catalog.json")).entries).toHaveLength(6);
    expect(problems(checkLakehouse(lh))).toEqual([]);
  }, 60_000);
});
