// SIGKILL during commits to PostgreSQL, at seeded instants: after every kill each series is its previous version or
// its new one, never a mix (its bars are what its catalog row records: the catalog never lies, and no bars exist
// without a catalog row); a rerun then leaves exactly what one uninterrupted ingest leaves. Concurrent writers of
// different symbols both land; of the same symbol, the second waits (--wait-lock) and loses no update.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { PgStore } from "../../src/store/postgres/store.ts";
import { DEMO, DEMO_NOW, dqctl, dqctlCommand, ROOT } from "../helpers/cli.ts";
import { consistent, pgReady, pgSchema } from "../helpers/pg.ts";

const ready = await pgReady("SIGKILL during PostgreSQL commits");
const CANDIDATES = join(ROOT, "fixtures/demo-candidates.json");
const ingestArgs = (url: string) => ["ingest", "--vendor", "file", "--source", DEMO, "--candidates", CANDIDATES, "--store", url, "--now", DEMO_NOW, "--quiet"];

let reference: Record<string, string> = {};
const ref = ready ? pgSchema("crashref") : undefined;
beforeAll(async () => {
  if (!ref) return;
  expect((await dqctl(["store", "init", "--store", ref.url, "--quiet"])).code).toBe(0);
  expect((await dqctl(ingestArgs(ref.url))).code).toBe(0);
  reference = await consistent(ref.url, ref.schema);
}, 120_000);
afterAll(async () => {
  await ref?.drop();
});

describe.skipIf(!ready)("PostgreSQL: SIGKILL during commits, concurrent writers", () => {
  test("after each kill every series is a whole version; the rerun ends where one clean ingest ends", async () => {
    const s = pgSchema("crash");
    try {
      expect((await dqctl(["store", "init", "--store", s.url, "--quiet"])).code).toBe(0);
      let seed = 1919;
      const next = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      for (let k = 0; k < 6; k++) {
        const proc = Bun.spawn([...dqctlCommand(), ...ingestArgs(s.url), "--force", "--refresh"], { cwd: ROOT, stdout: "ignore", stderr: "ignore" });
        await new Promise((r) => setTimeout(r, 300 + next() * 2500));
        proc.kill("SIGKILL");
        await proc.exited;
        await consistent(s.url, s.schema);
      }
      expect((await dqctl(ingestArgs(s.url))).code).toBe(0);
      expect(await consistent(s.url, s.schema)).toEqual(reference);
    } finally {
      await s.drop();
    }
  }, 240_000);

  test("two writers on different symbols both land; on the same symbol the second waits and loses nothing", async () => {
    const s = pgSchema("conc");
    try {
      expect((await dqctl(["store", "init", "--store", s.url, "--quiet"])).code).toBe(0);
      const one = (symbols: string) =>
        dqctl(["ingest", "--vendor", "file", "--source", DEMO, "--symbols", symbols, "--store", s.url, "--now", DEMO_NOW, "--quiet", "--wait-lock", "60s"]);
      const [a, b, c] = await Promise.all([one("BINANCE:BTCUSDT,NASDAQ:AAPL"), one("NYSE:KO,FX:EURUSD"), one("NASDAQ:AAPL,NYSE:JPM")]);
      expect([a.code, b.code, c.code]).toEqual([0, 0, 0]);
      const got = await consistent(s.url, s.schema);
      for (const k of ["BINANCE:BTCUSDT@1d", "NASDAQ:AAPL@1d", "NYSE:KO@1d", "FX:EURUSD@1d", "NYSE:JPM@1d"]) expect(got[k]).toBe(reference[k]!);
      // Without --wait-lock a writer meeting a held symbol exits 3 naming it and its holder.
      const store = new PgStore(s.url);
      const w = await store.openWriter({ command: "test", waitMs: 0, recovery: { profileOf: () => "equity", now: new Date(), log() {} } });
      await w.claim("NYSE:KO");
      const blocked = await dqctl([
        "ingest",
        "--vendor",
        "file",
        "--source",
        DEMO,
        "--symbols",
        "NYSE:KO",
        "--store",
        s.url,
        "--now",
        DEMO_NOW,
        "--quiet",
        "--force",
        "--refresh",
      ]);
      await w.release();
      await store.close();
      expect(blocked.code).toBe(3);
      expect(blocked.stderr).toMatch(/NYSE:KO: being written to .* by pid \d+ on .* \(test\)/);
    } finally {
      await s.drop();
    }
  }, 240_000);
});
