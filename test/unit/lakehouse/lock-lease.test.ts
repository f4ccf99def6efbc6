// The lock's lease: other hosts' locks expire, recycled pids do not hold a lock, a live holder keeps it by renewing,
// and a holder that stalled past its lease learns it lost the lock before it commits.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { LockError } from "../../../src/errors.ts";
import { acquireLock } from "../../../src/lakehouse/lock.ts";
import { leaseMs, procStat } from "../../../src/lakehouse/lock-holder.ts";
import { tempDir } from "../../helpers/cli.ts";

const LOCK_TS = resolve(import.meta.dir, "../../../src/lakehouse/lock.ts");
const HAS_PROC = existsSync("/proc/self/stat") && existsSync("/proc/sys/kernel/random/boot_id");
const dirs: Array<() => void> = [];
afterEach(() => {
  for (const c of dirs.splice(0)) c();
});

function lakehouse(): string {
  const { dir, cleanup } = tempDir();
  dirs.push(cleanup);
  return dir;
}

function plant(dir: string, holder: Record<string, unknown>, ageMs = 0): string {
  const p = join(dir, ".dqctl.lock");
  writeFileSync(p, JSON.stringify({ command: "ingest", since: "2026-11-21T06:00:00.000Z", ...holder }));
  if (ageMs) {
    const t = (Date.now() - ageMs) / 1000;
    utimesSync(p, t, t);
  }
  return p;
}

const holderPid = (dir: string) => JSON.parse(readFileSync(join(dir, ".dqctl.lock"), "utf8")).pid;

/** Run a script under Bun with a short lease; it signals by creating files in `dir`. */
function child(dir: string, body: string, lease = 300) {
  const file = join(dir, `child-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(
    file,
    `import { acquireLock } from ${JSON.stringify(LOCK_TS)};\nimport { writeFileSync } from "node:fs";\nconst dir = process.argv[2];\nconst sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);\n${body}`,
  );
  return Bun.spawn([process.execPath, file, dir], { env: { ...process.env, DQCTL_LOCK_LEASE_MS: String(lease) }, stdout: "pipe", stderr: "pipe" });
}

async function until(cond: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await Bun.sleep(5);
  }
}

describe("locks from other hosts", () => {
  test("a fresh lease blocks; the error names the holder, its host, its last renewal and when it is taken over", async () => {
    const dir = lakehouse();
    plant(dir, { pid: 4242, host: "ci-runner-7.example" }, 2000);
    const err = await acquireLock(dir, "audit").catch((e) => e);
    expect(err).toBeInstanceOf(LockError);
    expect(err.message).toContain("locked by pid 4242 (ingest, since 2026-11-21T06:00:00.000Z, host ci-runner-7.example, lease renewed 2.");
    const at = /taken over at (\S+)\)/.exec(err.advice)?.[1];
    expect(Math.abs(Date.parse(at!) - (Date.now() - 2000 + 60_000))).toBeLessThan(1000);
    expect(holderPid(dir)).toBe(4242);
  });

  test("an expired lease is taken over, whatever host wrote it", async () => {
    const dir = lakehouse();
    plant(dir, { pid: 4242, host: "ci-runner-7.example" }, 61_000);
    const l = await acquireLock(dir, "audit");
    expect(holderPid(dir)).toBe(process.pid);
    l.release();
    expect(existsSync(join(dir, ".dqctl.lock"))).toBe(false);
  });

  test("the lease the holder declared decides, not the reader's", async () => {
    const dir = lakehouse();
    plant(dir, { pid: 4242, host: "ci-runner-7.example", lease: 120_000 }, 90_000);
    await expect(acquireLock(dir, "audit")).rejects.toThrow(LockError);
    plant(dir, { pid: 4242, host: "ci-runner-7.example", lease: 500 }, 1000);
    (await acquireLock(dir, "audit")).release();
  });

  test("DQCTL_LOCK_LEASE_MS sets the lease; a bad value is a one-line config error", () => {
    expect(leaseMs({})).toBe(60_000);
    expect(leaseMs({ DQCTL_LOCK_LEASE_MS: "300" })).toBe(300);
    expect(() => leaseMs({ DQCTL_LOCK_LEASE_MS: "5s" })).toThrow(/DQCTL_LOCK_LEASE_MS: "5s" is not a whole number/);
  });
});

describe.skipIf(!HAS_PROC)("recycled pids on this host", () => {
  const boot = () => readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  const ns = () => readlinkSync("/proc/self/ns/pid");

  test("a live pid whose start time differs from the holder's is another process: taken over", async () => {
    const sleeper = Bun.spawn(["sleep", "30"]);
    try {
      const dir = lakehouse();
      const start = procStat(sleeper.pid)!.start;
      const id = { pid: sleeper.pid, host: hostname(), boot: boot(), pidns: ns() };
      plant(dir, { ...id, start }); // the real holder: blocks
      await expect(acquireLock(dir, "audit")).rejects.toThrow(`locked by pid ${sleeper.pid}`);
      plant(dir, { ...id, start: String(Number(start) + 1) }); // same pid, another start: recycled
      const l = await acquireLock(dir, "audit");
      expect(holderPid(dir)).toBe(process.pid);
      l.release();
      plant(dir, { ...id, pid: process.pid, start: "1" }); // our own pid, but we are not the process that locked
      (await acquireLock(dir, "audit")).release();
    } finally {
      sleeper.kill();
      await sleeper.exited;
    }
  });

  test("a lock from before a reboot is stale; a pid from another pid namespace is left to the lease", async () => {
    const dir = lakehouse();
    plant(dir, { pid: 1, host: hostname(), boot: "00000000-0000-0000-0000-000000000000", pidns: ns(), start: procStat(1)?.start });
    (await acquireLock(dir, "audit")).release();
    const dead = Bun.spawnSync(["true"]).pid;
    plant(dir, { pid: dead, host: hostname(), boot: boot(), pidns: "pid:[1]" }); // a container's pid: not ours to judge
    await expect(acquireLock(dir, "audit")).rejects.toThrow(LockError);
    plant(dir, { pid: dead, host: hostname(), boot: boot(), pidns: "pid:[1]" }, 61_000);
    (await acquireLock(dir, "audit")).release();
  });

  test("locks record start time, boot id and pid namespace", async () => {
    const dir = lakehouse();
    const l = await acquireLock(dir, "ingest");
    const h = JSON.parse(readFileSync(l.path, "utf8"));
    expect(h).toMatchObject({
      pid: process.pid,
      host: hostname(),
      command: "ingest",
      start: procStat(process.pid)!.start,
      boot: boot(),
      pidns: ns(),
      lease: 60_000,
    });
    l.release();
  });
});

describe("heartbeat", () => {
  test("a live holder in another process keeps its lock well past its lease, through timers and heartbeat() in a sync loop", async () => {
    const dir = lakehouse();
    const kid = child(
      dir,
      `const l = await acquireLock(dir, "ingest");
      writeFileSync(dir + "/held", "");
      await Bun.sleep(700); // the timer renews
      for (let i = 0; i < 10; i++) { sleepSync(50); l.heartbeat(); } // timers cannot fire here
      l.release();
      writeFileSync(dir + "/released", "");`,
    );
    await until(() => existsSync(join(dir, "held")));
    let refused = 0;
    while (!existsSync(join(dir, "released"))) {
      const r = await acquireLock(dir, "probe").catch((e) => e);
      if (!(r instanceof LockError)) {
        r.release();
        if (existsSync(join(dir, "released"))) break; // it finished between our check and our attempt
        throw new Error("took over a live holder");
      }
      refused++;
      await Bun.sleep(50);
    }
    expect(await kid.exited).toBe(0);
    expect(refused).toBeGreaterThan(10); // > 1.2 s of refusals: four times the 300 ms lease
    (await acquireLock(dir, "after")).release();
  });

  test("a holder that stalled past its lease is taken over, and its heartbeat() says so; its release leaves the new lock", async () => {
    const dir = lakehouse();
    const kid = child(
      dir,
      `const l = await acquireLock(dir, "ingest");
      writeFileSync(dir + "/held", "");
      sleepSync(900); // a long synchronous loop that never calls heartbeat()
      try { l.heartbeat(); console.log("still held"); } catch (e) { console.log(e.constructor.name + ": " + e.message); }
      l.release();`,
    );
    await until(() => existsSync(join(dir, "held")));
    const t0 = Date.now();
    const mine = await acquireLock(dir, "taker", 5000);
    expect(Date.now() - t0).toBeLessThan(900); // after its 300 ms lease, not after it woke
    const out = await new Response(kid.stdout).text();
    expect(await kid.exited).toBe(0);
    expect(out).toContain(`LockError: lost the lakehouse lock ${join(dir, ".dqctl.lock")}: it was taken over by pid ${process.pid} (taker`);
    expect(out).toMatch(/last renewed its lease \d+\.\d s ago \(lease 300 ms\)/);
    expect(holderPid(dir)).toBe(process.pid);
    mine.heartbeat();
    mine.release();
  });

  test("in one process: a stolen lock makes heartbeat() throw, release() keeps the thief's lock, heartbeat after release throws", async () => {
    const dir = lakehouse();
    const a = await acquireLock(dir, "ingest");
    a.heartbeat();
    const past = (Date.now() - 120_000) / 1000;
    utimesSync(a.path, past, past); // as if `a` had stalled for two minutes
    const b = await acquireLock(dir, "repair");
    expect(() => a.heartbeat()).toThrow(/lost the lakehouse lock .*: it was taken over by pid \d+ \(repair/);
    expect(() => a.heartbeat()).toThrow(LockError); // stays lost
    a.release();
    expect(existsSync(b.path)).toBe(true);
    b.heartbeat();
    b.release();
    expect(existsSync(b.path)).toBe(false);
    expect(() => b.heartbeat()).toThrow(/already released/);
  });

  test("heartbeat() renews the lease (the lock file's mtime)", async () => {
    const dir = lakehouse();
    const a = await acquireLock(dir, "ingest");
    const past = (Date.now() - 30_000) / 1000;
    utimesSync(a.path, past, past);
    a.heartbeat();
    const { mtimeMs } = require("node:fs").statSync(a.path);
    expect(Date.now() - mtimeMs).toBeLessThan(1000);
    a.release();
  });
});
