// Every command on PostgreSQL through the compiled binary, with the same flags and the same JSON as on the
// lakehouse: the demo fixtures ingested into both, then audit, repair, lineage and snapshot compared document by
// document (only run ids, times, paths and the stores' own versions differ). Bad input is one line and exit 3,
// and a password in the URL is never printed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO, DEMO_NOW, DEMO_SETUP_MS, dqctl, ROOT, tempDir } from "../helpers/cli.ts";
import { PG_URL, pgAdmin, pgReady, pgSchema } from "../helpers/pg.ts";

const ready = await pgReady("dqctl on PostgreSQL (e2e)");
const CANDIDATES = join(ROOT, "fixtures/demo-candidates.json");
const HEALTHY = "BINANCE:BTCUSDT,NASDAQ:AAPL,NYSE:KO,FX:EURUSD";
let work: { dir: string; cleanup: () => void };
let pg: ReturnType<typeof pgSchema>;
let lake: string;
const ingested: Record<"lake" | "pg", unknown> = { lake: undefined, pg: undefined };

/** A summary with what legitimately differs between two runs on two stores taken out. */
function normal(doc: unknown, where: string[]): unknown {
  let s = JSON.stringify(doc, (k, v) => (["runId", "startedAt", "finishedAt", "durationMs", "latency", "created"].includes(k) ? undefined : v));
  for (const w of where) s = s.split(w).join("<store>");
  s = s.replace(/"[0-9a-f]{64}"/g, '"<version>"').replace(/\d{8}T\d{6}Z-[0-9a-f]{4}/g, "<run-id>");
  return JSON.parse(s);
}

const on = (store: "lake" | "pg") => ["--store", store === "lake" ? lake : pg.url, "--now", DEMO_NOW, "--json", "--quiet"];
const wheres = () => [`${lake}/`, lake, `${pg.url}#`, pg.url];

beforeAll(async () => {
  if (!ready) return;
  work = tempDir("dqctl-pg-e2e-");
  lake = join(work.dir, "lakehouse");
  pg = pgSchema("e2e");
  expect((await dqctl(["store", "init", "--store", pg.url, "--quiet"])).code).toBe(0);
  for (const s of ["lake", "pg"] as const) {
    const r = await dqctl(["ingest", "--vendor", "file", "--source", DEMO, "--candidates", CANDIDATES, ...on(s)]);
    expect(r.code).toBe(0);
    ingested[s] = r.json();
  }
}, DEMO_SETUP_MS * 2);
afterAll(async () => {
  if (!ready) return;
  await pg.drop();
  work.cleanup();
});

describe.skipIf(!ready)("dqctl on PostgreSQL: same flags, same JSON", () => {
  test("ingest reports the same series, outcomes and findings on both stores", () => {
    expect(normal(ingested.pg, wheres())).toEqual(normal(ingested.lake, wheres()));
  });

  test("audit: the same findings (every code, severity, metric and evidence row), statuses and quarantine", async () => {
    const [a, b] = await Promise.all([dqctl(["audit", ...on("lake")]), dqctl(["audit", ...on("pg")])]);
    expect(b.code).toBe(a.code);
    expect(normal(b.json(), wheres())).toEqual(normal(a.json(), wheres()));
    // The second audit reuses the audit state (a store document) for series whose version did not change.
    const again = (st: "lake" | "pg") => dqctl(["audit", "--store", st === "lake" ? lake : pg.url, "--now", DEMO_NOW, "--json", "--verbose"]);
    const [c, d] = await Promise.all([again("lake"), again("pg")]);
    const reused = (stderr: string) => /audit: of 20 series, (\d+) unchanged since the last audit/.exec(stderr)?.[1];
    expect(Number(reused(d.stderr))).toBeGreaterThan(0);
    expect(reused(d.stderr)).toBe(reused(c.stderr));
    expect(normal(d.json(), wheres())).toEqual(normal(c.json(), wheres()));
  }, 120_000);

  test("audit with pushdown=on (checks answered in SQL) gives the same summary as reading every row back", async () => {
    const full = (store: string) => dqctl(["audit", "--read-only", "--full", "--store", store, "--now", DEMO_NOW, "--json", "--quiet"]);
    const [a, b, c] = await Promise.all([full(lake), full(pg.url), full(`${pg.url}&pushdown=on`)]);
    expect([b.code, c.code]).toEqual([a.code, a.code]);
    expect(normal(c.json(), wheres())).toEqual(normal(a.json(), wheres()));
    expect(normal(c.json(), wheres())).toEqual(normal(b.json(), wheres()));
  }, 120_000);

  test("repair --dry-run plans the same fetches; lineage measures the same", async () => {
    const repair = (s: "lake" | "pg") => dqctl(["repair", "--dry-run", "--vendor", "file", "--source", DEMO, ...on(s)]);
    const [a, b] = await Promise.all([repair("lake"), repair("pg")]);
    expect(b.code).toBe(a.code);
    expect(normal(b.json(), wheres())).toEqual(normal(a.json(), wheres()));
    const [la, lb] = await Promise.all([dqctl(["lineage", ...on("lake")]), dqctl(["lineage", ...on("pg")])]);
    expect(lb.code).toBe(la.code);
    expect(normal(lb.json(), wheres())).toEqual(normal(la.json(), wheres()));
  }, 120_000);

  test("scan, symbols, report, calendar and doctor: the same JSON on both stores (doctor: each store's own schema version)", async () => {
    const scanner = join(ROOT, "fixtures/scanners/crypto.yaml");
    const commands = [
      ["scan", "--scanner", scanner, "--export", join(work.dir, "scan-export"), "--run-id", "same"],
      ["symbols", "--history"],
      ["report", "--out", join(work.dir, "report.html")],
      ["calendar", "--profile", "equity", "--from", "2026-11-01", "--to", "2026-11-30"],
    ];
    for (const args of commands) {
      const [a, b] = await Promise.all([dqctl([...args, ...on("lake")]), dqctl([...args, ...on("pg")])]);
      expect(`${args[0]} ${b.code}`).toBe(`${args[0]} ${a.code}`);
      expect(normal(b.json(), wheres())).toEqual(normal(a.json(), wheres()));
    }
    const doctor = await dqctl(["doctor", ...on("pg")]);
    expect(doctor.code).toBe(0);
    expect(JSON.stringify(doctor.json())).toMatch(/schema version \d+/);
  }, 120_000);

  test("metrics: the same per-series history on both stores (ingest and audits so far)", async () => {
    const metrics = async (s: "lake" | "pg", filter: string[] = []) => {
      const r = await dqctl(["metrics", ...filter, ...on(s)]);
      expect(r.code).toBe(0);
      // Run ids, times and vendor latencies differ between the two runs; every series metric is the same.
      return (r.json().metrics as { command: string; symbol: string; interval: string; metric: string; value: number }[])
        .filter((m) => !m.metric.startsWith("latency"))
        .map((m) => `${m.command} ${m.symbol} ${m.interval} ${m.metric} ${m.value}`)
        .sort();
    };
    const [a, b] = await Promise.all([metrics("lake"), metrics("pg")]);
    expect(a.length).toBeGreaterThan(100);
    expect(b).toEqual(a);
    // The filters (in SQL on PostgreSQL) pick the same rows.
    const filtered = ["--symbols", "NASDAQ:AAPL,BINANCE:BTCUSDT", "--metric", "rows,coverage", "--since", "2000-01-01"];
    const [fa, fb] = await Promise.all([metrics("lake", filtered), metrics("pg", filtered)]);
    expect(fa.length).toBeGreaterThan(0);
    expect(fa.every((m) => /^\S+ (NASDAQ:AAPL|BINANCE:BTCUSDT) \S+ (rows|coverage) /.test(m))).toBe(true);
    expect(fb).toEqual(fa);
  }, 60_000);

  test("snapshot from PostgreSQL writes the same run folder: the same Parquet bytes and returns matrix", async () => {
    const snap = (s: "lake" | "pg") => dqctl(["snapshot", "--symbols", HEALTHY, "--run-id", `r-${s}`, "--out", join(work.dir, "runs"), ...on(s)]);
    const [a, b] = await Promise.all([snap("lake"), snap("pg")]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const manifest = (s: string) => JSON.parse(readFileSync(join(work.dir, "runs", `r-${s}`, "manifest.json"), "utf8"));
    const [ma, mb] = [manifest("lake"), manifest("pg")];
    // (The snapshot ids differ: the manifest records each series' catalog entry, whose version is the store's own.)
    expect(mb.files.map((f: { path: string; sha256: string }) => [f.path, f.sha256])).toEqual(
      ma.files.map((f: { path: string; sha256: string }) => [f.path, f.sha256]),
    );
    expect((await dqctl(["snapshot", "verify", join(work.dir, "runs", "r-pg"), "--quiet"])).code).toBe(0);
  }, 120_000);
});

describe.skipIf(!ready)("PostgreSQL bad input: one line, exit 3, no secret printed", () => {
  const oneLine = (stderr: string) =>
    stderr
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("dqctl:"));
  test("a malformed URL", async () => {
    const r = await dqctl(["audit", "--store", "postgres://u:hunter22@/nodb", "--quiet"]);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain("not a PostgreSQL URL");
    expect(r.stderr + r.stdout).not.toContain("hunter22");
  });

  test("an unknown role (trust auth: the server refuses the user), with a password in the URL", async () => {
    const u = new URL(PG_URL);
    const url = `postgres://nobody_dqctl:hunter22@${u.host}${u.pathname}`;
    const r = await dqctl(["audit", "--store", url, "--json"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/dqctl: PostgreSQL store postgres:\/\/nobody_dqctl@.*(authentication failed|nobody_dqctl)/);
    expect(r.stderr + r.stdout).not.toContain("hunter22");
  });

  test("no server listening", async () => {
    const r = await dqctl(["audit", "--store", "postgres://postgres:hunter22@127.0.0.1:1/test", "--quiet"]);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toEqual([expect.stringContaining("cannot connect (ECONNREFUSED)")]);
    expect(r.stderr + r.stdout).not.toContain("hunter22");
  });

  test("a store that was never initialised names the command that initialises it (via DQCTL_STORE)", async () => {
    const s = pgSchema("noinit");
    const r = await dqctl(["audit", "--quiet"], { env: { DQCTL_STORE: s.url } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("is not initialised");
    expect(r.stderr).toContain("dqctl store init");
  });
});

describe.skipIf(!ready)("dqctl store copy", () => {
  test("lakehouse → PostgreSQL → lakehouse: verified by rows and content versions; the files come back byte for byte", async () => {
    const target = pgSchema("copy");
    try {
      const there = await dqctl(["store", "copy", "--from", lake, "--to", target.url, "--json", "--quiet"]);
      expect(there.code).toBe(0);
      const t = there.json();
      expect(t.counts.copied).toBe(t.counts.series);
      expect(t.counts.verified).toBe(t.counts.series);
      expect(t.store.rowsPerSecond).toBeGreaterThan(0);
      const back = join(work.dir, "copied-back");
      const r = await dqctl(["store", "copy", "--from", target.url, "--to", back, "--json", "--quiet"]);
      expect(r.code).toBe(0);
      expect(r.json().counts.verified).toBe(t.counts.series);
      const hashes = (dir: string) =>
        Object.fromEntries(
          (JSON.parse(readFileSync(join(dir, "catalog.json"), "utf8")).entries as { symbol: string; interval: string; sha256: string }[]).map((e) => [
            `${e.symbol}@${e.interval}`,
            e.sha256,
          ]),
        );
      expect(hashes(back)).toEqual(hashes(lake));
      // The quarantine evidence went there and came back: every piece, its rows and version verified both ways; the
      // Parquet bytes the same, the reasons the same (jsonb keeps no key order), the registry naming the copies.
      const evidence = (dir: string) =>
        readdirSync(join(dir, "quarantine"))
          .filter((f) => f.endsWith(".parquet"))
          .sort();
      const pieces = evidence(lake);
      expect(pieces.length).toBeGreaterThan(0);
      expect([t.counts.quarantine, t.counts.quarantineCopied, t.counts.quarantineVerified]).toEqual([pieces.length, pieces.length, pieces.length]);
      expect(r.json().counts.quarantineVerified).toBe(pieces.length);
      const rows = await pgAdmin((sql) => sql`select count(*)::int as n from quarantine`, target.schema);
      expect(rows[0]!.n).toBe(pieces.length);
      expect(evidence(back)).toEqual(pieces);
      for (const f of pieces) {
        expect(readFileSync(join(back, "quarantine", f))).toEqual(readFileSync(join(lake, "quarantine", f)));
        const reason = (dir: string) => JSON.parse(readFileSync(join(dir, "quarantine", f.replace(/\.parquet$/, ".reason.json")), "utf8"));
        expect(reason(back)).toEqual(reason(lake));
      }
      const listed = (dir: string) =>
        Object.values(JSON.parse(readFileSync(join(dir, "foundation_health.json"), "utf8"))).flatMap(
          (a) => (a as { quarantined?: string[] }).quarantined ?? [],
        );
      expect(listed(lake).length).toBeGreaterThan(0);
      expect(listed(back)).toEqual(listed(lake).map((n) => n.replace(`${lake}/`, `${back}/`)));
      // The copy audits as the original does.
      const [a, b] = await Promise.all([
        dqctl(["audit", "--read-only", ...on("lake")]),
        dqctl(["audit", "--read-only", "--store", target.url, "--now", DEMO_NOW, "--json", "--quiet"]),
      ]);
      expect(normal(b.json(), [...wheres(), `${target.url}#`, target.url])).toEqual(normal(a.json(), wheres()));
    } finally {
      await target.drop();
    }
  }, 180_000);

  test("flow on PostgreSQL gives the flow summary of the lakehouse", async () => {
    const target = pgSchema("flow");
    try {
      expect((await dqctl(["store", "init", "--store", target.url, "--quiet"])).code).toBe(0);
      const scanners = ["crypto.yaml", "tradfi.yaml"].map((f) => join(ROOT, "fixtures/scanners", f)).join(",");
      const flow = (store: string, exp: string) =>
        dqctl([
          "flow",
          "--scanner",
          scanners,
          "--vendor",
          "file",
          "--source",
          DEMO,
          "--store",
          store,
          "--export",
          join(work.dir, exp),
          "--now",
          DEMO_NOW,
          "--json",
          "--quiet",
        ]);
      const [a, b] = await Promise.all([flow(join(work.dir, "flow-lake"), "e1"), flow(target.url, "e2")]);
      expect(b.code).toBe(a.code);
      const strip = (doc: unknown, where: string[]) => normal(JSON.parse(JSON.stringify(doc).replace(/\/e[12]\//g, "/e/")), where);
      expect(strip(b.json(), [`${target.url}#`, target.url])).toEqual(strip(a.json(), [`${join(work.dir, "flow-lake")}/`, join(work.dir, "flow-lake")]));
    } finally {
      await target.drop();
    }
  }, 180_000);
});
