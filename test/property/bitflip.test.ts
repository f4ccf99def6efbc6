// Issue 13: bit rot is never laundered. A single flipped byte in a golden file either decodes to identical values or
// is reported `corrupt`/`unreadable` by audit, naming the file; the catalog hash is never rewritten to the flipped file's.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { type RunContext, silentLogger, silentProgress } from "../../src/context.ts";
import { decodeBars, initParquet } from "../../src/lakehouse/parquet.ts";
import { Lakehouse } from "../../src/lakehouse/store.ts";
import { BAR_COLUMNS, type Bars } from "../../src/model/bars.ts";
import { parseSymbol } from "../../src/model/symbol.ts";
import { runAudit } from "../../src/pipeline/audit.ts";
import { runIngest } from "../../src/pipeline/ingest.ts";
import { createVendor } from "../../src/vendors/registry.ts";
import { DEMO, DEMO_NOW, dqctl, tempDir } from "../helpers/cli.ts";
import { sha256 } from "../helpers/lakehouse-check.ts";

const SEED = 1308;
const FLIPS = 300;
const FILE = "BINANCE_BTCUSDT_1d.parquet";
let work: { dir: string; cleanup: () => void };
let template: string;
let original: Uint8Array;
let originalBars: Bars;

const ctxFor = (lakehouse: string): RunContext => ({
  config: {},
  store: new Lakehouse(lakehouse),
  now: new Date(DEMO_NOW),
  log: silentLogger,
  progress: silentProgress,
  waitLockMs: 0,
  runId: "bitflip",
});

beforeAll(async () => {
  await initParquet();
  work = tempDir("dqctl-bitflip-");
  template = join(work.dir, "template");
  const vendor = createVendor("file", { config: {}, log: silentLogger, env: {}, source: DEMO });
  await runIngest(ctxFor(template), { vendor, symbols: [parseSymbol("BINANCE:BTCUSDT")], interval: "1d" });
  original = readFileSync(join(template, FILE));
  originalBars = decodeBars(original, FILE);
});
afterAll(() => work.cleanup());

/** How the flipped file decodes: to the same values, to different ones, or not at all. */
function decodesAs(bytes: Uint8Array): "identical" | "different" | "undecodable" {
  let b: Bars;
  try {
    b = decodeBars(bytes, FILE);
  } catch {
    return "undecodable";
  }
  if (b.timestamp.length !== originalBars.timestamp.length) return "different";
  for (const c of BAR_COLUMNS) for (let i = 0; i < b[c].length; i++) if (!Object.is(b[c][i], originalBars[c][i])) return "different";
  return "identical";
}

/** A fresh lakehouse copy whose golden file has byte `offset` XORed with `mask`; returns its folder and the flipped hash. */
function flipped(name: string, offset: number, mask: number): { dir: string; flippedSha: string; kind: ReturnType<typeof decodesAs> } {
  const dir = join(work.dir, name);
  cpSync(template, dir, { recursive: true });
  const bytes = new Uint8Array(original);
  bytes[offset] = bytes[offset]! ^ mask;
  writeFileSync(join(dir, FILE), bytes);
  return { dir, flippedSha: sha256(bytes), kind: decodesAs(bytes) };
}

type F = { code: string; severity: string; message: string; details?: Record<string, unknown> };
const namesFile = (f: F) => f.message.includes(FILE) || String(f.details?.path ?? "").endsWith(FILE);
const reported = (findings: F[]) => findings.some((f) => (f.code === "corrupt" || f.code === "unreadable") && f.severity === "error" && namesFile(f));

/** What went wrong with one flip (empty when nothing did). */
function judge(dir: string, kind: string, flippedSha: string, findings: F[]): string[] {
  const bad: string[] = [];
  const entry = JSON.parse(readFileSync(join(dir, "catalog.json"), "utf8")).entries[0];
  if (entry.sha256 !== sha256(original))
    bad.push(`catalog hash rewritten to ${entry.sha256 === flippedSha ? "the flipped file's" : entry.sha256.slice(0, 12)}`);
  if (kind !== "identical" && !reported(findings))
    bad.push(`${kind} file with no corrupt/unreadable error naming ${FILE} (findings: ${findings.map((f) => f.code).join(", ") || "none"})`);
  const health = JSON.parse(readFileSync(join(dir, "foundation_health.json"), "utf8"))["BINANCE:BTCUSDT"];
  if (kind !== "identical" && health?.status === "healthy") bad.push("registry calls the damaged series healthy");
  return bad;
}

const flipArb = (n: number) => fc.sample(fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 255 })), { seed: SEED, numRuns: n });

describe("bit flips in a golden file", () => {
  test(`${FLIPS} seeded single-byte flips, audited in-process: each identical or reported, never laundered`, async () => {
    const tally: Record<string, number> = {};
    const failures: string[] = [];
    for (const [i, [pos, mask]] of flipArb(FLIPS).entries()) {
      const offset = pos % original.length;
      const { dir, flippedSha, kind } = flipped(`flip-${i}`, offset, mask);
      try {
        let bad: string[];
        try {
          const res = await runAudit(ctxFor(dir));
          bad = judge(dir, kind, flippedSha, res.findings as F[]);
        } catch (err) {
          bad = [`audit threw instead of reporting (${kind}): ${(err as Error).name}: ${(err as Error).message.split("\n")[0]}`];
        }
        tally[`${kind}${bad.length ? " (failed)" : ""}`] = (tally[`${kind}${bad.length ? " (failed)" : ""}`] ?? 0) + 1;
        if (bad.length) failures.push(`flip ${i} (seed ${SEED}): byte ${offset} ^ 0x${mask.toString(16)}: ${bad.join("; ")}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    console.log(`  ${FLIPS} flips: ${JSON.stringify(tally)}`);
    expect({ failures: failures.length, first: failures.slice(0, 10) }).toEqual({ failures: 0, first: [] });
  }, 60_000);

  test("a handful through the binary (audit --json): the same verdicts", async () => {
    const failures: string[] = [];
    // Different flips from the in-process set (same seed, later draws), at least one of each kind that occurs.
    for (const [i, [pos, mask]] of flipArb(FLIPS + 6)
      .slice(FLIPS)
      .entries()) {
      const offset = pos % original.length;
      const { dir, flippedSha, kind } = flipped(`bin-${i}`, offset, mask);
      const r = await dqctl(["audit", "--json", "--quiet", "--lakehouse", dir, "--now", DEMO_NOW]);
      const doc = r.json();
      const bad = judge(dir, kind, flippedSha, doc.findings);
      if (bad.length) failures.push(`binary flip ${i}: byte ${offset} ^ 0x${mask.toString(16)} (${kind}, exit ${r.code}): ${bad.join("; ")}`);
    }
    expect(failures).toEqual([]);
  }, 30_000);
});
