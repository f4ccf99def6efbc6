// Issue 18: an audit spread over worker threads reports exactly what an audit on one thread does. Random lakehouses
// (gaps, spikes, duplicate and broken bars, corrupt and missing files, off-calendar series) are audited three ways
// on copies of the same files — `--jobs 1`; on workers only, every series crossing a thread; and this thread
// checking beside a worker — and the summaries, findings, registry, catalog and audit state must be the same.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { randomWalk } from "../../bench/gbm.ts";
import { type RunContext, silentLogger, silentProgress } from "../../src/context.ts";
import { Catalog } from "../../src/lakehouse/catalog.ts";
import { encodeBars, initParquet } from "../../src/lakehouse/parquet.ts";
import { Lakehouse, sha256 } from "../../src/lakehouse/store.ts";
import { type Bars, barCount, takeRows } from "../../src/model/bars.ts";
import { type AuditOptions, runAudit } from "../../src/pipeline/audit.ts";
import { tempDir } from "../helpers/cli.ts";

const SEED = 1819;
const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);
const NOW = START + 420 * DAY + 6 * 3_600_000;
let work: { dir: string; cleanup: () => void };

type Defect = "none" | "gap" | "spike" | "duplicate" | "ohlc" | "corrupt" | "missing" | "equity";
interface Spec {
  bars: number;
  defect: Defect;
  at: number;
}

const spec: fc.Arbitrary<Spec> = fc.record({
  bars: fc.integer({ min: 5, max: 400 }),
  defect: fc.constantFrom<Defect>("none", "none", "gap", "spike", "duplicate", "ohlc", "corrupt", "missing", "equity"),
  at: fc.nat(10_000),
});

const symbolOf = (i: number, s: Spec) => (s.defect === "equity" ? `NASDAQ:P${i}` : `BINANCE:P${i}USDT`);

/** The series' bars with its defect (a corrupt or missing file is made after it is written). */
function barsOf(i: number, s: Spec): Bars {
  const b = randomWalk(s.bars, START, i + 11, 50 + i);
  const at = s.at % s.bars;
  const n = barCount(b);
  if (s.defect === "gap")
    return takeRows(
      b,
      [...Array(n).keys()].filter((k) => k < at || k > at + 6 || k === n - 1),
    );
  if (s.defect === "duplicate")
    return takeRows(
      b,
      [...Array(n).keys()].flatMap((k) => (k === at ? [k, k] : [k])),
    );
  if (s.defect === "spike") b.close[at] = b.close[at]! * 25;
  if (s.defect === "ohlc") b.low[at] = b.high[at]! * 1.5;
  return b;
}

/** A lakehouse with one file and catalog entry per spec, as a committer would leave it (then the damage done). */
function makeLakehouse(dir: string, specs: Spec[]): void {
  mkdirSync(dir, { recursive: true });
  const cat = new Catalog(join(dir, "catalog.json"));
  for (const [i, s] of specs.entries()) {
    const b = barsOf(i, s);
    const symbol = symbolOf(i, s);
    const path = `${symbol.replace(":", "_")}_1d.parquet`;
    const bytes = encodeBars(b);
    const n = barCount(b);
    cat.set({
      symbol,
      interval: "1d",
      profile: s.defect === "equity" ? "equity" : "crypto",
      path,
      rows: n,
      start: new Date(b.timestamp[0]!).toISOString(),
      end: new Date(b.timestamp[n - 1]!).toISOString(),
      genesis: null,
      sha256: sha256(bytes),
      source: "test",
      ingestedAt: new Date(START).toISOString(),
      qualityScore: null,
    });
    if (s.defect === "missing") continue;
    if (s.defect === "corrupt") bytes[(s.at % (bytes.length - 8)) + 4]! ^= 0x5a;
    writeFileSync(join(dir, path), bytes);
  }
  cat.save();
}

const ctxFor = (lakehouse: string): RunContext => ({
  config: {},
  store: new Lakehouse(lakehouse),
  now: new Date(NOW),
  log: silentLogger,
  progress: silentProgress,
  waitLockMs: 0,
  runId: "parallel",
});

/** Audit `dir` and return what must not depend on the threads: the summary and the documents the audit writes. */
async function audit(dir: string, opts: AuditOptions) {
  const { series: _series, ...summary } = await runAudit(ctxFor(dir), opts);
  const doc = (name: string) => readFileSync(join(dir, name), "utf8");
  // A file's stat stamp (inode, mtime) is the copy's own; all else in the state is the audit's.
  const state = doc("audit_state.json").replace(/"stamp": "[^"]*"/g, '"stamp": "…"');
  return { summary, registry: doc("foundation_health.json"), catalog: doc("catalog.json"), state };
}

beforeAll(async () => {
  await initParquet();
  work = tempDir("dqctl-parallel-");
});
afterAll(() => work.cleanup());

describe("parallel audit", () => {
  test("--jobs 1 and --jobs N (workers only, or this thread beside them) report and record the same", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { minLength: 4, maxLength: 28 }), fc.boolean(), async (specs, full) => {
        // Each audit starts from the same files at the same path (paths are in the findings).
        const pristine = join(work.dir, `pristine-${run}`);
        const dir = join(work.dir, `lh-${run++}`);
        makeLakehouse(pristine, specs);
        const auditCopy = async (opts: AuditOptions) => {
          rmSync(dir, { recursive: true, force: true });
          cpSync(pristine, dir, { recursive: true });
          return audit(dir, { ...opts, full });
        };
        const one = await auditCopy({ jobs: 1 });
        expect(await auditCopy({ jobs: 3, perThread: 1, workersOnly: true })).toEqual(one);
        expect(await auditCopy({ jobs: 2, perThread: 1 })).toEqual(one);
        for (const d of [pristine, dir]) rmSync(d, { recursive: true, force: true });
      }),
      { seed: SEED, numRuns: 10, endOnFailure: true },
    );
  }, 600_000);

  test("a second audit on workers reuses the state the first left, as one on this thread does", async () => {
    const specs = Array.from({ length: 12 }, (_, i): Spec => ({ bars: 120 + i, defect: i % 4 === 1 ? "spike" : "none", at: i * 7 }));
    const pristine = join(work.dir, "again-pristine");
    const dir = join(work.dir, "again");
    makeLakehouse(pristine, specs);
    cpSync(pristine, dir, { recursive: true });
    const one = await audit(dir, { jobs: 1 });
    rmSync(dir, { recursive: true });
    cpSync(pristine, dir, { recursive: true });
    expect(await audit(dir, { jobs: 2, perThread: 1, workersOnly: true })).toEqual(one);
    const r = await runAudit(ctxFor(dir), { jobs: 2, perThread: 1, workersOnly: true });
    expect(r.series.every((s) => s.reused)).toBe(true);
  });
});
