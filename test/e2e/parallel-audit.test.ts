// The compiled binary runs its audit workers from inside itself (one file, any cwd): `--jobs 2` from a folder with
// nothing of dqctl in it loads the worker module, and reports what `--jobs 1` does.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { makeLakehouse } from "../../bench/lib.ts";
import { binaryAlone } from "../helpers/cli.ts";

/** What a run reports, without what differs from run to run (its id and clock). */
const report = (stdout: string) => {
  const { runId: _id, startedAt: _s, finishedAt: _f, durationMs: _d, ...rest } = JSON.parse(stdout);
  return rest;
};

describe("dist/dqctl audit --jobs 2", () => {
  test("starts its worker from the binary in another cwd and reports what --jobs 1 does", async () => {
    const { dir, bin, cleanup } = binaryAlone();
    try {
      // Enough series to decode for two threads (64 each, see PER_THREAD in src/pipeline/audit.ts).
      const lh = join(dir, "lh");
      await makeLakehouse(lh, 160, 300);
      const audit = (jobs: number) => {
        const args = ["audit", "--json", "--read-only", "--full", "--jobs", String(jobs), "--lakehouse", "lh", "--now", "2026-11-21T06:00:00Z"];
        const env = { PATH: "/usr/bin:/bin", HOME: dir, NO_COLOR: "1", DQCTL_TRACE: "1" };
        const p = Bun.spawnSync([bin, ...args], { cwd: dir, env });
        return { code: p.exitCode, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
      };
      const one = audit(1);
      const two = audit(2);
      expect(one.stderr).not.toContain("pool:");
      expect(two.stderr).toContain("pool: worker 0 ready");
      expect(two.stderr).not.toContain("failed");
      expect(two.code).toBe(one.code);
      expect(report(two.stdout)).toEqual(report(one.stdout));
    } finally {
      cleanup();
    }
  }, 60_000);
});
