// The bootstrap cache sweeps what a killed run left: its own temp files whose writer is gone, nothing else.
import { expect, test } from "bun:test";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sweepTemps } from "../../../src/bootstrap/cache.ts";
import { tempDir } from "../../helpers/cli.ts";

test("sweepTemps removes dead writers' temp files only: not a live writer's, not a user's, not through a link", () => {
  const { dir, cleanup } = tempDir();
  try {
    const cache = join(dir, "cache");
    const linked = join(dir, "linked");
    mkdirSync(cache);
    mkdirSync(linked);
    const dead = join(cache, ".pricing_0123456789abcdef_metadata.json.4194999.deadbeef.tmp"); // above any pid_max
    const live = join(cache, `.pricing_0123456789abcdef.parquet.${process.pid}.0badcafe.tmp`);
    const mine = join(cache, ".notes.tmp");
    const behindLink = join(linked, ".pricing_0.parquet.4194999.deadbeef.tmp");
    for (const f of [dead, live, mine, behindLink]) writeFileSync(f, "x");
    symlinkSync(behindLink, join(cache, ".pricing_1.parquet.4194999.deadbeef.tmp"));
    sweepTemps(cache);
    expect([dead, live, mine, behindLink].map((f) => existsSync(f))).toEqual([false, true, true, true]);
    sweepTemps(join(dir, "absent")); // no cache yet: nothing to do
  } finally {
    cleanup();
  }
});
