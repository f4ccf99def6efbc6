// A PostgreSQL server that goes away mid-run, simulated by the in-process TCP proxy (the shared server is never
// stopped): the connection is cut the moment dqctl sends a chosen statement — inside an ingest's commit transaction,
// and during an audit's reads. Either way: one line naming the store (its password masked), exit 3, and nothing
// half-written: the previous version of every series is intact, the catalog never lies, the registry and the audit
// state are what they were.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DEMO, DEMO_NOW, dqctl, ROOT } from "../helpers/cli.ts";
import { consistent, PG_URL, pgAdmin, pgReady, pgSchema } from "../helpers/pg.ts";
import { startProxy } from "../helpers/tcp-proxy.ts";

const ready = await pgReady("PostgreSQL server lost mid-run");
const CANDIDATES = join(ROOT, "fixtures/demo-candidates.json");
const SECRET = "hunter22";
let s: ReturnType<typeof pgSchema>;

/** The store's URL through a proxy on `port`, with a password in it (trust auth never asks for it). */
function viaProxy(port: number): string {
  const u = new URL(PG_URL);
  return `postgres://${u.username || "postgres"}:${SECRET}@127.0.0.1:${port}${u.pathname}?schema=${s.schema}`;
}

/** A proxy that cuts every connection when the client first sends a chunk containing `marker`, and how often it did. */
async function cutAt(marker: string) {
  const px = await startProxy("127.0.0.1", Number(new URL(PG_URL).port || 5432), {
    cutOnClientData: (chunk) => Buffer.from(chunk).includes(marker),
  });
  return px;
}

/** The registry and the documents (the audit state) as stored. */
const stored = () =>
  pgAdmin(
    async (sql) => ({
      health: await sql`select symbol, entry from health order by symbol`,
      documents: await sql`select name, doc from documents order by name`,
      quarantine: await sql`select name, version from quarantine order by name`,
    }),
    s.schema,
  );

/** The dqctl: lines of stderr (the error lines). */
const errorLines = (stderr: string) =>
  stderr
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("dqctl:"));

beforeAll(async () => {
  if (!ready) return;
  s = pgSchema("outage");
  expect((await dqctl(["store", "init", "--store", s.url, "--quiet"])).code).toBe(0);
  const first = [
    "ingest",
    "--vendor",
    "file",
    "--source",
    DEMO,
    "--symbols",
    "BINANCE:BTCUSDT,NASDAQ:AAPL,NYSE:KO",
    "--store",
    s.url,
    "--now",
    DEMO_NOW,
    "--quiet",
  ];
  expect((await dqctl(first)).code).toBe(0);
  expect((await dqctl(["audit", "--store", s.url, "--now", DEMO_NOW, "--quiet"])).code).toBe(0);
}, 120_000);
afterAll(async () => {
  if (ready) await s.drop();
});

describe.skipIf(!ready)("PostgreSQL server lost mid-run: one line, exit 3, nothing half-written", () => {
  test("cut inside an ingest's commit (bars merged, catalog row not yet written): the previous versions stand", async () => {
    const before = await consistent(s.url, s.schema);
    const rows = await stored();
    const px = await cutAt("insert into catalog");
    try {
      const r = await dqctl([
        "ingest",
        "--vendor",
        "file",
        "--source",
        DEMO,
        "--candidates",
        CANDIDATES,
        "--store",
        viaProxy(px.port),
        "--now",
        DEMO_NOW,
        "--force",
      ]);
      expect(r.code).toBe(3);
      const lines = errorLines(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^dqctl: PostgreSQL store postgres://[^:@/]+@127\\.0\\.0\\.1:${px.port}/.*: the connection was lost while .*nothing half-written`),
      );
      expect(r.stderr + r.stdout).not.toContain(SECRET);
    } finally {
      await px.kill();
    }
    // Every series is whole and what its catalog row says; no series changed, none landed half; the registry as it was.
    expect(await consistent(s.url, s.schema)).toEqual(before);
    expect(await stored()).toEqual(rows);
  }, 120_000);

  test("cut during an audit's reads: the registry and the audit state are what they were", async () => {
    const before = await consistent(s.url, s.schema);
    const rows = await stored();
    const px = await cutAt("from bars where symbol");
    try {
      const r = await dqctl(["audit", "--full", "--store", viaProxy(px.port), "--now", DEMO_NOW, "--json"]);
      expect(r.code).toBe(3);
      // --json: the one document is the error summary.
      expect([r.json().exitCode, r.json().errors.length]).toEqual([3, 1]);
      const lines = errorLines(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^dqctl: PostgreSQL store postgres://[^:@/]+@127\\.0\\.0\\.1:${px.port}/.*: the connection was lost while reading`));
      expect(r.stderr + r.stdout).not.toContain(SECRET);
    } finally {
      await px.kill();
    }
    expect(await consistent(s.url, s.schema)).toEqual(before);
    expect(await stored()).toEqual(rows);
    // The store is usable again at once: the same audit through no proxy passes.
    expect((await dqctl(["audit", "--store", s.url, "--now", DEMO_NOW, "--quiet"])).code).toBe(0);
  }, 120_000);
});
