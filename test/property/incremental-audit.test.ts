// Issue 18: the incremental audit reports exactly what a full audit does. Random appends, replaced bars, deleted bars
// and deleted series, with "now" moving on between audits; after each step the audit that reuses its state (and
// checks on worker threads) is compared with `--full` on one thread, finding by finding, series by series.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { randomWalk } from "../../bench/gbm.ts";
import { type RunContext, silentLogger, silentProgress } from "../../src/context.ts";
import { Catalog } from "../../src/lakehouse/catalog.ts";
import { decodeBars, encodeBars, initParquet } from "../../src/lakehouse/parquet.ts";
import { Lakehouse, sha256 } from "../../src/lakehouse/store.ts";
import { allocBars, type Bars, barCount, takeRows } from "../../src/model/bars.ts";
import { type AuditOptions, runAudit } from "../../src/pipeline/audit.ts";
import { loadAuditState } from "../../src/pipeline/audit-state.ts";
import { tempDir } from "../helpers/cli.ts";

const SEED = 1818;
const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);
const SERIES = 24;
let work: { dir: string; cleanup: () => void };

/** Crypto series trade every day; the NASDAQ ones follow XNYS (their weekend bars are off_calendar findings). */
const symbolOf = (i: number) => (i % 3 === 2 ? `NASDAQ:S${i}` : `BINANCE:S${i}USDT`);
const profileOf = (i: number) => (i % 3 === 2 ? "equity" : "crypto");
const fileOf = (i: number) => `${symbolOf(i).replace(":", "_")}_1d.parquet`;

const walk = (n: number, from: number, seed: number, p0 = 100): Bars => randomWalk(n, from, seed, p0);

function concat(a: Bars, b: Bars): Bars {
  const out = allocBars(barCount(a) + barCount(b));
  for (const col of ["timestamp", "open", "high", "low", "close", "volume"] as const) {
    out[col].set(a[col]);
    out[col].set(b[col], barCount(a));
  }
  return out;
}

/** Write a series as a committer would: the file, and its catalog entry with the new hash and range. */
function store(dir: string, i: number, bars: Bars): void {
  const bytes = encodeBars(bars);
  writeFileSync(join(dir, fileOf(i)), bytes);
  const cat = Catalog.load(join(dir, "catalog.json"));
  const n = barCount(bars);
  cat.set({
    symbol: symbolOf(i),
    interval: "1d",
    profile: profileOf(i),
    path: fileOf(i),
    rows: n,
    start: n ? new Date(bars.timestamp[0]!).toISOString() : null,
    end: n ? new Date(bars.timestamp[n - 1]!).toISOString() : null,
    genesis: null,
    sha256: sha256(bytes),
    source: "test",
    ingestedAt: new Date(START).toISOString(),
    qualityScore: null,
  });
  cat.save();
}

function drop(dir: string, i: number): void {
  rmSync(join(dir, fileOf(i)), { force: true });
  const cat = Catalog.load(join(dir, "catalog.json"));
  cat.delete(symbolOf(i), "1d");
  cat.save();
}

const read = (dir: string, i: number): Bars => decodeBars(readFileSync(join(dir, fileOf(i))), fileOf(i));

type Op =
  | { kind: "append"; series: number; bars: number; jump: number; volume: number }
  | { kind: "replace"; series: number; at: number; factor: number; column: "prices" | "volume" }
  | { kind: "deleteBars"; series: number; at: number; count: number }
  | { kind: "deleteSeries"; series: number }
  | { kind: "restore"; series: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("append" as const),
    series: fc.nat(SERIES - 1),
    // Mostly one bar (the daily case); a jump of 8 is a toxic move, of 0.5 with volume × 2 an unadjusted split.
    bars: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 40 })),
    jump: fc.constantFrom(1, 1, 1, 8, 0.5, 1.3),
    volume: fc.constantFrom(1, 1, 2, 40),
  }),
  fc.record({
    kind: fc.constant("replace" as const),
    series: fc.nat(SERIES - 1),
    at: fc.nat(400),
    factor: fc.constantFrom(1.001, 3, 12, 0.05, 60),
    column: fc.constantFrom("prices" as const, "prices" as const, "volume" as const),
  }),
  fc.record({ kind: fc.constant("deleteBars" as const), series: fc.nat(SERIES - 1), at: fc.nat(400), count: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant("deleteSeries" as const), series: fc.nat(SERIES - 1) }),
  fc.record({ kind: fc.constant("restore" as const), series: fc.nat(SERIES - 1) }),
);

/** Apply one change to the lakehouse (an op on a deleted series, other than restore, does nothing). */
function apply(dir: string, o: Op, alive: Set<number>): void {
  if (o.kind === "restore") {
    if (!alive.has(o.series)) store(dir, o.series, walk(300, START, o.series + 7));
    alive.add(o.series);
    return;
  }
  if (!alive.has(o.series)) return;
  if (o.kind === "deleteSeries") {
    drop(dir, o.series);
    alive.delete(o.series);
    return;
  }
  const b = read(dir, o.series);
  const n = barCount(b);
  if (o.kind === "append") {
    const last = n ? b.timestamp[n - 1]! : START - DAY;
    const tail = walk(o.bars, last + DAY, o.series * 31 + n, (n ? b.close[n - 1]! : 100) * o.jump);
    for (let k = 0; k < o.bars; k++) tail.volume[k] = tail.volume[k]! * o.volume;
    store(dir, o.series, concat(b, tail));
  } else if (o.kind === "replace") {
    if (!n) return;
    const at = o.at % n;
    const cols = o.column === "volume" ? (["volume"] as const) : (["open", "high", "low", "close"] as const);
    for (const col of cols) b[col][at] = b[col][at]! * o.factor;
    store(dir, o.series, b);
  } else {
    const at = n ? o.at % n : 0;
    const keep = Array.from({ length: n }, (_, k) => k).filter((k) => k < at || k >= at + o.count);
    store(dir, o.series, takeRows(b, keep));
  }
}

const ctxFor = (lakehouse: string, nowMs: number): RunContext => ({
  config: {},
  store: new Lakehouse(lakehouse),
  now: new Date(nowMs),
  log: silentLogger,
  progress: silentProgress,
  waitLockMs: 0,
  runId: "incremental",
});

/** What must not depend on how the audit ran: the series reports and every finding, in order. */
async function audit(dir: string, nowMs: number, opts: AuditOptions) {
  // A handful of series is enough to start the pool here (by default each thread must get 64 to decode), and each
  // then goes through a worker (by default this thread checks too, and may finish before a worker has loaded).
  const r = await runAudit(ctxFor(dir, nowMs), { perThread: 4, workersOnly: true, ...opts });
  const resumed = new Set(r.series.filter((s) => s.resumed).map((s) => s.target.sym.id));
  return { symbols: r.symbols, findings: r.findings, counts: r.counts, reused: r.series.filter((s) => s.reused).length, resumed };
}

beforeAll(async () => {
  await initParquet();
  work = tempDir("dqctl-incremental-");
});
afterAll(() => work.cleanup());

describe("incremental audit", () => {
  test("after random appends, replacements and deletions the findings are those of --full", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 4 }), async (steps) => {
        const dir = join(work.dir, `lh-${run++}`);
        mkdirSync(dir, { recursive: true });
        const alive = new Set<number>();
        for (let i = 0; i < SERIES; i++) apply(dir, { kind: "restore", series: i }, alive);
        let now = START + 300 * DAY + 6 * 3_600_000;
        await audit(dir, now, { jobs: 2 });
        let resumed = 0;
        for (const ops of steps) {
          // Series only appended to in this step (and alive throughout) must resume their scans, not check in full.
          const before = new Set(alive);
          for (const o of ops) apply(dir, o, alive);
          const appendedOnly = [...before].filter(
            (i) =>
              alive.has(i) &&
              ops.some((o) => o.series === i && o.kind === "append") &&
              ops.every((o) => o.series !== i || o.kind === "append" || o.kind === "restore"),
          );
          now += DAY * (1 + (ops.length % 3));
          const incremental = await audit(dir, now, { jobs: 2 });
          const registry = readFileSync(join(dir, "foundation_health.json"), "utf8");
          const full = await audit(dir, now, { full: true, jobs: 1, readOnly: true });
          // The registry the incremental audit recorded (only the entries it changed are rewritten) is the one a
          // full, recording audit leaves.
          await audit(dir, now, { full: true, jobs: 1 });
          expect(readFileSync(join(dir, "foundation_health.json"), "utf8")).toBe(registry);
          expect(incremental.symbols).toEqual(full.symbols);
          expect(incremental.findings).toEqual(full.findings);
          expect(incremental.counts).toEqual(full.counts);
          // Series not touched by this step were not decoded again.
          const touched = new Set(ops.map((o) => o.series));
          expect(incremental.reused).toBeGreaterThanOrEqual(alive.size - touched.size);
          for (const i of appendedOnly) expect(incremental.resumed.has(symbolOf(i))).toBe(true);
          resumed += incremental.resumed.size;
        }
        expect(resumed).toBeGreaterThan(0);
        // The state describes exactly the series the catalog lists.
        expect([...(await loadAuditState(new Lakehouse(dir))).keys()].sort()).toEqual([...alive].map((i) => `${symbolOf(i)}@1d`).sort());
        rmSync(dir, { recursive: true, force: true });
      }),
      { seed: SEED, numRuns: 8, endOnFailure: true },
    );
  }, 600_000);

  test("a changed check option, or --full, decodes every series again", async () => {
    const dir = join(work.dir, "options");
    mkdirSync(dir, { recursive: true });
    const alive = new Set<number>();
    for (let i = 0; i < 4; i++) apply(dir, { kind: "restore", series: i }, alive);
    const now = START + 300 * DAY;
    expect((await audit(dir, now, { jobs: 1 })).reused).toBe(0);
    expect((await audit(dir, now, { jobs: 1 })).reused).toBe(4);
    expect((await audit(dir, now, { jobs: 1, full: true })).reused).toBe(0);
    const strict = await runAudit({ ...ctxFor(dir, now), config: { checks: { gap: { severity: "warning" } } } }, { jobs: 1 });
    expect(strict.series.filter((s) => s.reused).length).toBe(0);
  });
  test("an audit that finds the state as it was (on workers, or --full) does not rewrite it", async () => {
    const dir = join(work.dir, "unchanged-state");
    mkdirSync(dir, { recursive: true });
    const alive = new Set<number>();
    // Enough series to decode that --full runs on two workers (their states come back as copies).
    for (let i = 0; i < SERIES; i++) apply(dir, { kind: "restore", series: i }, alive);
    const now = START + 300 * DAY;
    await audit(dir, now, { jobs: 2 });
    const file = join(dir, "audit_state.json");
    const written = () => {
      const st = statSync(file, { bigint: true });
      return { ino: st.ino, mtimeNs: st.mtimeNs, text: readFileSync(file, "utf8") };
    };
    const first = written();
    expect((await audit(dir, now, { jobs: 2, full: true })).reused).toBe(0);
    expect(written()).toEqual(first);
    await audit(dir, now, { jobs: 1, full: true });
    expect(written()).toEqual(first);
    expect((await audit(dir, now, { jobs: 2 })).reused).toBe(SERIES);
    expect(written()).toEqual(first);
    // A change is still written.
    apply(dir, { kind: "deleteSeries", series: 0 }, alive);
    await audit(dir, now, { jobs: 2 });
    expect(written().text).not.toBe(first.text);
  });
});

describe("recording", () => {
  test("an audit that changes no registry entry commits nothing; one at a later now records every entry again", async () => {
    const dir = join(work.dir, "unchanged-registry");
    mkdirSync(dir, { recursive: true });
    const alive = new Set<number>();
    for (let i = 0; i < 4; i++) apply(dir, { kind: "restore", series: i }, alive);
    const now = START + 300 * DAY;
    await audit(dir, now, { jobs: 1 });
    const files = ["foundation_health.json", "catalog.json"].map((f) => join(dir, f));
    const written = () =>
      files.map((f) => {
        const st = statSync(f, { bigint: true });
        return { ino: st.ino, mtimeNs: st.mtimeNs, text: readFileSync(f, "utf8") };
      });
    const first = written();
    expect((await audit(dir, now, { jobs: 1 })).reused).toBe(4);
    expect(written()).toEqual(first);
    const later = now + 3_600_000;
    await audit(dir, later, { jobs: 1 });
    const registry = JSON.parse(readFileSync(files[0]!, "utf8")) as Record<string, { last_audit: string }>;
    expect(Object.values(registry).map((e) => e.last_audit)).toEqual(Array(4).fill(new Date(later).toISOString()));
  });
});

describe("the stat stamp of an unchanged file", () => {
  test("a file changed in place behind dqctl's back, with its size and mtime put back, is still found corrupt", async () => {
    const dir = join(work.dir, "stamp");
    mkdirSync(dir, { recursive: true });
    const alive = new Set<number>();
    for (let i = 0; i < 3; i++) apply(dir, { kind: "restore", series: i }, alive);
    const now = START + 300 * DAY;
    await audit(dir, now, { jobs: 1 });
    const state = await loadAuditState(new Lakehouse(dir));
    expect([...state.values()].every((s) => s.seen !== undefined)).toBe(true);
    expect((await audit(dir, now, { jobs: 1 })).reused).toBe(3);
    // Flip one byte in the middle of the file (in place: same inode, same size), then set its mtime back.
    const path = join(dir, fileOf(1));
    const before = statSync(path, { bigint: true });
    const fd = openSync(path, "r+");
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, 200);
    byte[0] = byte[0]! ^ 0xff;
    writeSync(fd, byte, 0, 1, 200);
    closeSync(fd);
    // To the nanosecond (utimes takes float seconds): only the ctime, which no one can set back, still tells.
    const ns = before.mtimeNs;
    execFileSync("touch", ["-m", "-d", `@${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, "0")}`, path]);
    expect(statSync(path, { bigint: true }).mtimeNs).toBe(ns);
    const r = await runAudit(ctxFor(dir, now), { jobs: 1 });
    expect(r.series.filter((s) => s.reused).map((s) => s.target.sym.id)).toEqual([symbolOf(0), symbolOf(2)]);
    expect(r.findings.filter((f) => f.code === "corrupt").map((f) => f.symbol)).toEqual([symbolOf(1)]);
  });
});
