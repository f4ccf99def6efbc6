import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LockError } from "../../../src/errors.ts";
import { writeFileAtomic } from "../../../src/lakehouse/atomic.ts";
import { acquireLock } from "../../../src/lakehouse/lock.ts";
import { tempDir } from "../../helpers/cli.ts";

describe("atomic write", () => {
  test("replaces the file and leaves no temp file", () => {
    const { dir, cleanup } = tempDir();
    try {
      const p = join(dir, "a.json");
      writeFileAtomic(p, "one");
      writeFileAtomic(p, "two");
      expect(readFileSync(p, "utf8")).toBe("two");
      expect(readdirSync(dir)).toEqual(["a.json"]);
    } finally {
      cleanup();
    }
  });

  test("a failed write leaves the previous file intact", () => {
    const { dir, cleanup } = tempDir();
    try {
      const p = join(dir, "sub", "a.json"); // folder missing → the write fails before any rename
      expect(() => writeFileAtomic(p, "x")).toThrow();
      const q = join(dir, "b.json");
      writeFileSync(q, "old");
      expect(() => writeFileAtomic(join(q, "nested"), "x")).toThrow();
      expect(readFileSync(q, "utf8")).toBe("old");
    } finally {
      cleanup();
    }
  });
});

describe("single-writer lock", () => {
  test("a live holder blocks with a LockError naming its pid; release frees it", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const a = await acquireLock(dir, "ingest");
      const err = await acquireLock(dir, "audit").catch((e) => e);
      expect(err).toBeInstanceOf(LockError);
      expect(String(err.message)).toContain(`pid ${process.pid}`);
      a.release();
      const b = await acquireLock(dir, "audit");
      b.release();
      expect(existsSync(join(dir, ".dqctl.lock"))).toBe(false);
    } finally {
      cleanup();
    }
  });

  test("a stale lock (dead pid) is taken over", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const dead = Bun.spawnSync(["true"]).pid; // exited already
      writeFileSync(
        join(dir, ".dqctl.lock"),
        JSON.stringify({ pid: dead, host: require("node:os").hostname(), command: "ingest", since: "2026-01-01T00:00:00Z" }),
      );
      const l = await acquireLock(dir, "audit");
      expect(JSON.parse(readFileSync(join(dir, ".dqctl.lock"), "utf8")).pid).toBe(process.pid);
      l.release();
    } finally {
      cleanup();
    }
  });

  test("--wait-lock waits for the holder to release", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const a = await acquireLock(dir, "ingest");
      setTimeout(() => a.release(), 150);
      const t0 = Date.now();
      const b = await acquireLock(dir, "audit", 5000);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
      b.release();
    } finally {
      cleanup();
    }
  });
});

/** `n` processes each take the lock, log "in", hold it `holdMs`, log "out", release; returns the log. */
async function race(dir: string, n: number, holdMs: number, env: Record<string, string> = {}): Promise<string[]> {
  const script = `
    import { appendFileSync, existsSync, writeFileSync } from "node:fs";
    import { acquireLock } from "${require("node:path").resolve(import.meta.dir, "../../../src/lakehouse/lock.ts")}";
    writeFileSync(process.argv[2] + "/ready." + process.pid, "");
    while (!existsSync(process.argv[2] + "/go")) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    const l = await acquireLock(process.argv[2], "t", 20000);
    appendFileSync(process.argv[2] + "/log", "in\\n");
    await Bun.sleep(${holdMs});
    appendFileSync(process.argv[2] + "/log", "out\\n");
    l.release();`;
  const file = join(dir, "child.ts");
  writeFileSync(file, script);
  const kids = Array.from({ length: n }, () => Bun.spawn([process.execPath, file, dir], { stdout: "ignore", stderr: "pipe", env: { ...process.env, ...env } }));
  // Start them together (Bun's start-up would otherwise stagger them enough to hide races).
  while (readdirSync(dir).filter((f) => f.startsWith("ready.")).length < n) await Bun.sleep(5);
  writeFileSync(join(dir, "go"), "");
  const codes = await Promise.all(kids.map((k) => k.exited));
  expect(codes).toEqual(Array(n).fill(0));
  return readFileSync(join(dir, "log"), "utf8").trim().split("\n");
}

const lockDebris = (dir: string) => readdirSync(dir).filter((f) => f.startsWith(".dqctl.lock"));

describe("lock races", () => {
  test("many processes racing for a fresh lock: exactly one holds it at a time", async () => {
    const { dir, cleanup } = tempDir();
    try {
      expect(await race(dir, 8, 15)).toEqual(Array(8).fill(["in", "out"]).flat());
      expect(lockDebris(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  const stale = {
    "another host's expired lease": { pid: 4242, host: "ci-runner-7.example", ageMs: 120_000 },
    "a dead pid on this host": { pid: Bun.spawnSync(["true"]).pid, host: require("node:os").hostname(), ageMs: 0 },
  };
  test.each(Object.keys(stale))("8 processes racing to take over %s: it is taken over once, then one holder at a time", async (kind) => {
    const { dir, cleanup } = tempDir();
    try {
      const { ageMs, ...holder } = stale[kind as keyof typeof stale];
      const p = join(dir, ".dqctl.lock");
      writeFileSync(p, JSON.stringify({ ...holder, command: "ingest", since: "2026-01-01T00:00:00Z" }));
      if (ageMs) utimesSync(p, (Date.now() - ageMs) / 1000, (Date.now() - ageMs) / 1000);
      expect(await race(dir, 8, 15)).toEqual(Array(8).fill(["in", "out"]).flat());
      expect(lockDebris(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  test("holders that keep the lock longer than a short lease are not taken over: their heartbeat renews it", async () => {
    const { dir, cleanup } = tempDir();
    try {
      expect(await race(dir, 3, 400, { DQCTL_LOCK_LEASE_MS: "300" })).toEqual(Array(3).fill(["in", "out"]).flat());
      expect(lockDebris(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  test("a lock file that is not a lock (garbage) is taken over; a live one is never removed", async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, ".dqctl.lock"), "garbage");
      const l = await acquireLock(dir, "t");
      expect(JSON.parse(readFileSync(join(dir, ".dqctl.lock"), "utf8")).pid).toBe(process.pid);
      await expect(acquireLock(dir, "other")).rejects.toThrow(LockError);
      expect(JSON.parse(readFileSync(join(dir, ".dqctl.lock"), "utf8")).pid).toBe(process.pid);
      l.release();
    } finally {
      cleanup();
    }
  });
});
