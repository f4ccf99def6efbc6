import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../../src/lakehouse/atomic.ts";
import { acquireLock, parseDuration } from "../../../src/lakehouse/lock.ts";
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

  test("durations parse", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("2")).toBe(2000);
    expect(parseDuration("soon")).toBeUndefined();
  });
});
