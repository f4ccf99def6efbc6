// Snapshots write nothing they cannot record, and a killed snapshot's hidden temp folder is swept by the next one.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../src/context.ts";
import { hostTag, sweepDeadTmpFolders, tmpFolderName } from "../../src/pipeline/snapshot-tmp.ts";
import { dqctl, dqctlCommand, tempDir, treeHash } from "../helpers/cli.ts";
import { buildLakehouse, days, PAIR_NOW, pair, walkBars } from "../unit/snapshot/fixture.ts";

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir("dqctl-snap-hygiene-")));
afterAll(() => cleanup());

const PAIR_SYMS = "BINANCE:BTCUSDT,NASDAQ:AAPL";

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const p = Bun.spawn(["true"]);
  await p.exited;
  return p.pid;
}

describe("the run record is checked before the run folder is written", () => {
  // Root ignores permissions, so the forced failures are ones root cannot write through: a symlink and a folder.
  const cases: [string, string, (lh: string) => void][] = [
    [
      "runs.jsonl is a symlink out of the lakehouse",
      "link",
      (lh) => {
        writeFileSync(join(dir, "elsewhere.jsonl"), "");
        symlinkSync(join(dir, "elsewhere.jsonl"), join(lh, "runs.jsonl"));
      },
    ],
    ["runs.jsonl is a folder", "folder", (lh) => mkdirSync(join(lh, "runs.jsonl"))],
  ];
  test.each(cases)("%s: exit 3, one line naming it, nothing written", async (_name, slug, spoil) => {
    const lh = join(dir, `ro-${slug}`);
    await buildLakehouse(lh, pair());
    spoil(lh);
    const before = treeHash(lh);
    const out = join(dir, `ro-out-${slug}`);
    const r = await dqctl(["snapshot", "--symbols", PAIR_SYMS, "--run-id", "r1", "--lakehouse", lh, "--now", PAIR_NOW, "--out", out]);
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(join(lh, "runs.jsonl"));
    expect(existsSync(out)).toBe(false);
    expect(treeHash(lh)).toEqual(before);
    if (existsSync(join(dir, "elsewhere.jsonl"))) expect(readFileSync(join(dir, "elsewhere.jsonl"), "utf8")).toBe("");
  });

  test.skipIf(process.getuid?.() === 0)("a read-only lakehouse (folder 555, files 444): exit 3, nothing written", async () => {
    const lh = join(dir, "ro-chmod");
    await buildLakehouse(lh, pair());
    writeFileSync(join(lh, "runs.jsonl"), "");
    for (const f of readdirSync(lh)) chmodSync(join(lh, f), 0o444);
    chmodSync(lh, 0o555);
    const out = join(dir, "ro-chmod-out");
    try {
      const r = await dqctl(["snapshot", "--symbols", PAIR_SYMS, "--run-id", "r1", "--lakehouse", lh, "--now", PAIR_NOW, "--out", out]);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain("runs.jsonl");
      expect(existsSync(out)).toBe(false);
    } finally {
      chmodSync(lh, 0o755);
    }
  });
});

describe("temp folders of killed snapshots", () => {
  test("a snapshot SIGKILLed mid-copy leaves its temp folder; the next snapshot sweeps it and may reuse the run id", async () => {
    const lh = join(dir, "big");
    const ts = days("2016-01-01", "2024-03-28");
    const series: Record<string, ReturnType<typeof walkBars>> = {};
    for (let i = 0; i < 40; i++) series[`BINANCE:C${i}USDT`] = walkBars(ts, i + 1, 100);
    await buildLakehouse(lh, series);
    const out = join(dir, "big-out");
    const args = ["snapshot", "--symbols", Object.keys(series).join(","), "--run-id", "killed", "--lakehouse", lh, "--now", PAIR_NOW, "--out", out, "--quiet"];

    const proc = Bun.spawn([...dqctlCommand(), ...args], { stdout: "ignore", stderr: "ignore", env: { ...process.env, NO_COLOR: "1" } });
    // Kill it once the copy has started: its temp folder holds the first copied files.
    const deadline = Date.now() + 20_000;
    let tmp: string | undefined;
    while (Date.now() < deadline) {
      tmp = existsSync(out) ? readdirSync(out).find((n) => n.startsWith(".killed.tmp-")) : undefined;
      if (tmp && existsSync(join(out, tmp, "data")) && readdirSync(join(out, tmp, "data")).length > 0) break;
      await Bun.sleep(2);
    }
    proc.kill("SIGKILL");
    expect(await proc.exited).not.toBe(0);
    expect(tmp).toBe(`.killed.tmp-${hostTag()}-${proc.pid}-${tmp!.slice(-8)}`);
    expect(readdirSync(out)).toEqual([tmp!]); // mid-copy: no run folder, only the temp folder

    // Beside it: things the sweep must never touch.
    const alive = Bun.spawn(["sleep", "30"]);
    const live = tmpFolderName("live", alive.pid);
    mkdirSync(join(out, live));
    mkdirSync(join(out, ".notours.tmp-abc"));
    const otherHost = `.other-host.tmp-${hostTag() === "00000000" ? "11111111" : "00000000"}-${await deadPid()}-0badc0de`;
    mkdirSync(join(out, otherHost));
    try {
      const r = await dqctl(args.filter((a) => a !== "--quiet"));
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`left by snapshot process ${proc.pid} that is no longer running`);
      expect(readdirSync(out).sort()).toEqual([".notours.tmp-abc", otherHost, live, "killed"].sort());
      expect(existsSync(join(out, "killed/manifest.json"))).toBe(true);
      const verify = await dqctl(["snapshot", "verify", join(out, "killed"), "--quiet"]);
      expect(verify.code).toBe(0);
    } finally {
      alive.kill();
      await alive.exited;
    }
  }, 60_000);

  test("the sweep removes only real folders named as dqctl names them, by a dead writer on this host", async () => {
    const out = join(dir, "sweep");
    mkdirSync(out);
    const dead = await deadPid();
    const victim = tmpFolderName("r1", dead);
    mkdirSync(join(out, victim, "data"), { recursive: true });
    writeFileSync(join(out, victim, "data", "x.parquet"), "x");
    chmodSync(join(out, victim, "data", "x.parquet"), 0o444);
    // A symlink with a dead writer's name, pointing at a folder outside: neither followed nor removed.
    const target = join(dir, "sweep-target");
    mkdirSync(target);
    writeFileSync(join(target, "keep.txt"), "keep");
    const link = tmpFolderName("r2", dead);
    symlinkSync(target, join(out, link));
    const file = tmpFolderName("r3", dead);
    writeFileSync(join(out, file), "a file, not a folder");
    const mine = tmpFolderName("r4"); // this (live) process
    mkdirSync(join(out, mine));
    const odd = `.r5.tmp-${hostTag()}-${dead}-nothex!`;
    mkdirSync(join(out, odd));

    const logged: string[] = [];
    const removed = sweepDeadTmpFolders(out, { ...silentLogger, info: (m) => logged.push(m) });
    expect(removed).toEqual([victim]);
    expect(logged).toHaveLength(1);
    expect(readdirSync(out).sort()).toEqual([link, file, mine, odd].sort());
    expect(lstatSync(join(out, link)).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(target, "keep.txt"), "utf8")).toBe("keep");
    expect(sweepDeadTmpFolders(join(dir, "no-such-folder"), silentLogger)).toEqual([]);
    rmSync(out, { recursive: true, force: true });
  });
});
