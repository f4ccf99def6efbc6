import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../../src/lakehouse/atomic.ts";
import { acquireLock } from "../../../src/lakehouse/lock.ts";
import { LockError } from "../../../src/errors.ts";
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
      writeFileSync(join(dir, ".dqctl.lock"), JSON.stringify({ pid: dead, host: require("node:os").hostname(), command: "ingest", since: "2026-01-01T00:00:00Z" }));
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

describe("lock races", () => {
  test("many processes racing for a fresh lock: exactly one holds it at a time", async () => {
    const { dir, cleanup } = tempDir();
    try {
      // Each child takes the lock, appends "in" and "out" around a short critical section, and releases.
      const script = `
        import { appendFileSync } from "node:fs";
        import { acquireLock } from "${require("node:path").resolve(import.meta.dir, "../../../src/lakehouse/lock.ts")}";
        const l = await acquireLock(process.argv[2], "t", 20000);
        appendFileSync(process.argv[2] + "/log", "in\\n");
        await Bun.sleep(15);
        appendFileSync(process.argv[2] + "/log", "out\\n");
        l.release();`;
      const file = join(dir, "child.ts");
      writeFileSync(file, script);
      const kids = Array.from({ length: 8 }, () => Bun.spawn([process.execPath, file, dir], { stdout: "ignore", stderr: "pipe" }));
      const codes = await Promise.all(kids.map((k) => k.exited));
      expect(codes).toEqual(Array(8).fill(0));
      const log = readFileSync(join(dir, "log"), "utf8").trim().split("\n");
      expect(log).toEqual(Array(8).fill(["in", "out"]).flat());
      expect(readdirSync(dir).filter((f) => f.startsWith(".dqctl.lock"))).toEqual([]);
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
