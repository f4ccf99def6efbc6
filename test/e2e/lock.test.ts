// The lakehouse lock as a user meets it: another host's lock blocks while its lease is fresh and is taken over once
// it expired; a recycled pid does not hold the lakehouse.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { DEMO, DEMO_NOW, dqctl, tempDir, treeHash } from "../helpers/cli.ts";

let dir: string;
let cleanup: () => void;
let lh: string;
const ingest = (...extra: string[]) => ["ingest", "--source", DEMO, "--symbols", "BINANCE:BTCUSDT", "--quiet", "--lakehouse", lh, "--now", DEMO_NOW, ...extra];

function plant(holder: Record<string, unknown>, ageMs = 0): string {
  const p = join(lh, ".dqctl.lock");
  writeFileSync(p, JSON.stringify({ command: "ingest", since: "2026-11-21T05:59:00.000Z", ...holder }));
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(p, t, t);
  return p;
}

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  lh = join(dir, "lakehouse");
  mkdirSync(lh);
});
afterAll(() => cleanup());

describe("lakehouse lock", () => {
  test("another host's lock with a fresh lease: exit 3, one line naming holder, host, renewal and takeover time; nothing written", async () => {
    const p = plant({ pid: 4242, host: "ci-runner-7.example" }, 5000);
    const before = treeHash(lh);
    const r = await dqctl(ingest());
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^dqctl: lakehouse .+ is locked by pid 4242 \(ingest, since 2026-11-21T05:59:00\.000Z, host ci-runner-7\.example, lease renewed \d+\.\d s ago\) — wait for it to finish, or pass --wait-lock 5m \(if its lease is not renewed, the lock is taken over at \S+Z\)$/,
    );
    const { "/runs.jsonl": _a, ...after } = treeHash(lh);
    const { "/runs.jsonl": _b, ...prior } = before;
    expect(after).toEqual(prior);
    expect(JSON.parse(readFileSync(p, "utf8")).pid).toBe(4242);
  });

  test("--wait-lock outlasts a short lease that is not renewed: the lock is taken over and the ingest runs", async () => {
    plant({ pid: 4242, host: "ci-runner-7.example", lease: 400 });
    const r = await dqctl(ingest("--wait-lock", "10s"));
    expect(r.code).toBe(0);
    expect(existsSync(join(lh, "BINANCE_BTCUSDT_1d.parquet"))).toBe(true);
    expect(existsSync(join(lh, ".dqctl.lock"))).toBe(false);
  });

  test("another host's lock whose lease expired is taken over without waiting", async () => {
    plant({ pid: 4242, host: "ci-runner-7.example" }, 61_000);
    const r = await dqctl(ingest());
    expect(r.code).toBe(0);
    expect(existsSync(join(lh, ".dqctl.lock"))).toBe(false);
  });

  test.skipIf(!existsSync("/proc/self/stat"))("a live pid on this host that is not the process that locked (recycled) is taken over", async () => {
    plant({ pid: 1, host: hostname(), start: "999999999999" });
    const r = await dqctl(ingest());
    expect(r.code).toBe(0);
    expect(existsSync(join(lh, ".dqctl.lock"))).toBe(false);
  });

  test("a bad DQCTL_LOCK_LEASE_MS is one config line, exit 3", async () => {
    const r = await dqctl(ingest(), { env: { DQCTL_LOCK_LEASE_MS: "soon" } });
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^dqctl: DQCTL_LOCK_LEASE_MS: "soon" is not a whole number of milliseconds/)]);
  });
});
