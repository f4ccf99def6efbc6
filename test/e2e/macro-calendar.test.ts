// calendar --macro through the binary: FRED's release calendar listed, cached in the lakehouse, and deciding when a
// FRED series is stale (a release passed without a newer observation), never leaking the key; no key: warn, exit 0.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, dqctl, tempDir } from "../helpers/cli.ts";
import { startFredReleases } from "../vendors/servers/fred-releases.ts";
import type { TestServer } from "../vendors/servers/http.ts";

const KEY = "e2efredkey9c0de4b7e11aa92cd5e0b6f";
let server: TestServer;
let dir: string;
let cleanup: () => void;
let lh: string;
let config: string;
const env = () => ({ DQCTL_FRED_BASE_URL: server.url, FRED_API_KEY: KEY, DQCTL_HTTP_BACKOFF_MS: "1", DQCTL_HTTP_RETRIES: "2" });
const at = (now: string) => ["--lakehouse", lh, "--config", config, "--now", now];
const all: string[] = [];
const run = async (args: string[], e: Record<string, string> = env()) => {
  const r = await dqctl(args, { env: e });
  all.push(r.stdout, r.stderr);
  return r;
};
const staleOf = (doc: { findings: { code: string; symbol: string; message: string }[] }) =>
  doc.findings.filter((f) => f.code === "stale" && f.symbol === "FRED:CPIAUCSL");

beforeAll(async () => {
  ({ dir, cleanup } = tempDir("dqctl-macro-"));
  server = startFredReleases(KEY);
  lh = join(dir, "lakehouse");
  config = join(dir, "dqctl.config.json");
  writeFileSync(config, JSON.stringify({ instruments: { "FRED:CPIAUCSL": { profile: "equity" } }, macro: { releases: { "FRED:CPIAUCSL": 10 } } }));
  // Monthly CPI observations, dated the first of each month, through October 2026 (published 2026-11-13).
  const src = join(dir, "src");
  mkdirSync(src);
  const rows = ["Date,Open,High,Low,Close,Volume"];
  for (let m = 0; m < 22; m++) {
    const d = new Date(Date.UTC(2025, m, 1)).toISOString().slice(0, 10);
    const v = (310 + m * 0.7).toFixed(3);
    rows.push(`${d},${v},${v},${v},${v},0`);
  }
  writeFileSync(join(src, "FRED_CPIAUCSL_1d.csv"), `${rows.join("\n")}\n`);
  const r = await run(["ingest", "--vendor", "file", "--source", src, "--symbols", "FRED:CPIAUCSL", "--quiet", ...at("2026-12-04T06:00:00Z")]);
  expect(r.stderr).toBe("");
});
afterAll(() => {
  server.stop();
  cleanup();
});

test("without the release calendar a monthly FRED series is stale by sessions", async () => {
  const r = await run(["audit", "--json", "--read-only", ...at("2026-12-04T06:00:00Z")]);
  expect(staleOf(assertSummary(r.json()))).toHaveLength(1);
});

test("calendar --macro lists the release dates (JSON and table), cached in the lakehouse with its fetch time", async () => {
  const r = await run(["calendar", "--macro", "--from", "2026-09-01", "--to", "2026-12-31", "--json", ...at("2026-12-04T06:00:00Z")]);
  expect(r.code).toBe(0);
  const doc = assertSummary(r.json());
  expect(doc.counts).toEqual({ events: doc.macro.events.length, series: 1 });
  expect(doc.macro).toMatchObject({ source: "fred", from: "2026-09-01", to: "2026-12-31", fetchedAt: "2026-12-04T06:00:00.000Z", cached: false });
  expect(doc.macro.events.filter((e: { series: string[] }) => e.series.length).map((e: { date: string }) => e.date)).toEqual([
    "2026-09-11",
    "2026-10-14",
    "2026-11-13",
    "2026-12-10",
  ]);
  const cached = JSON.parse(readFileSync(join(lh, "macro_calendar.json"), "utf8"));
  expect(cached).toMatchObject({ source: "fred", fetchedAt: "2026-12-04T06:00:00.000Z", from: "2026-09-01", to: "2026-12-31" });

  const before = server.requests.length;
  const table = await run(["calendar", "--macro", "--from", "2026-11-01", "--to", "2026-11-30", ...at("2026-12-04T07:00:00Z")]);
  expect(table.code).toBe(0);
  expect(server.requests.length).toBe(before); // fresh: reused
  expect(table.stdout).toContain("FRED release calendar 2026-11-01 → 2026-11-30: 23 release dates (cached 2026-12-04T06:00:00.000Z)");
  expect(table.stdout).toMatch(/2026-11-13[\s│]+10[\s│]+Consumer Price Index[\s│]+FRED:CPIAUCSL/);
});

test("with the calendar cached, the series is stale only once a release passed without a newer observation", async () => {
  // Weeks after its last observation, but the next CPI release (2026-12-10) has not come: fresh.
  const before = assertSummary((await run(["audit", "--json", "--read-only", ...at("2026-12-09T06:00:00Z")])).json());
  expect(staleOf(before)).toEqual([]);
  const after = assertSummary((await run(["audit", "--json", "--read-only", ...at("2026-12-11T06:00:00Z")])).json());
  expect(staleOf(after).map((f) => f.message)).toEqual([
    "last bar 2026-10-01, 1 release behind: Consumer Price Index released 2026-12-10 without a newer observation (allowance 1 day)",
  ]);
  // The incremental audit (state written, then an unchanged file re-judged against now) agrees.
  await run(["audit", "--json", ...at("2026-12-09T06:00:00Z")]);
  const revived = assertSummary((await run(["audit", "--json", ...at("2026-12-11T06:00:00Z")])).json());
  expect(staleOf(revived)).toHaveLength(1);
  expect(staleOf(assertSummary((await run(["audit", "--json", ...at("2026-12-09T07:00:00Z")])).json()))).toEqual([]);
});

test("without an API key: one warning, no events, exit 0", async () => {
  const r = await run(["calendar", "--macro", "--from", "2026-11-01", "--to", "2026-11-30", "--json", "--lakehouse", join(dir, "nokey")], {
    DQCTL_FRED_BASE_URL: server.url,
  });
  expect(r.code).toBe(0);
  expect(assertSummary(r.json()).macro).toMatchObject({ events: [], fetchedAt: null });
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toContain("WARN");
  expect(r.stderr).toContain("no FRED API key (set FRED_API_KEY or vendors.fred.apiKey): no macro events");
  expect(existsSync(join(dir, "nokey"))).toBe(false);
});

test("a bad key: exit 3 with FRED's message on one line; a bad date: exit 3 naming the flag", async () => {
  const r = await run(["calendar", "--macro", "--from", "2026-11-01", "--to", "2026-11-30", "--lakehouse", join(dir, "badkey")], {
    ...env(),
    FRED_API_KEY: "not-the-key-0123456789",
  });
  expect(r.code).toBe(3);
  expect(r.stderr).toContain("HTTP 400 (Bad Request.  The value for variable api_key is not registered.");
  expect(r.stderr).not.toContain("not-the-key-0123456789");
  const bad = await run(["calendar", "--macro", "--from", "2026-11-31", "--to", "2026-12-01", "--lakehouse", join(dir, "badkey")]);
  expect(bad.code).toBe(3);
  expect(bad.stderr).toContain("--from");
  const mixed = await run(["calendar", "--macro", "--profile", "equity", "--from", "2026-11-01", "--to", "2026-12-01"]);
  expect(mixed.code).toBe(3);
});

test("ingest from FRED refreshes the cached calendar, and fetches a FRED series only once a release is due", async () => {
  const obs = Array.from({ length: 22 }, (_, m) => ({ date: new Date(Date.UTC(2025, m, 1)).toISOString().slice(0, 10), value: (310 + m * 0.7).toFixed(3) }));
  const fred = startFredReleases(KEY, undefined, { CPIAUCSL: obs });
  const home = join(dir, "fred-ingest");
  const cfg = join(dir, "fred-ingest.json");
  writeFileSync(cfg, JSON.stringify({ instruments: { "FRED:CPIAUCSL": { profile: "equity" } } }));
  const e = { ...env(), DQCTL_FRED_BASE_URL: fred.url };
  const ingest = (now: string) =>
    run(["ingest", "--vendor", "fred", "--symbols", "FRED:CPIAUCSL", "--json", "--lakehouse", home, "--config", cfg, "--now", now], e);
  const audit = async (now: string) =>
    staleOf(assertSummary((await run(["audit", "--json", "--read-only", "--lakehouse", home, "--config", cfg, "--now", now], e)).json()));
  const observations = () => fred.requests.filter((u) => u.pathname === "/fred/series/observations").length;
  try {
    const first = await ingest("2026-12-04T06:00:00Z");
    expect(first.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(home, "macro_calendar.json"), "utf8"));
    // 400 days back to 35 ahead; the series in the store mapped with fred/series/release.
    expect([doc.from, doc.to, doc.series]).toEqual(["2025-10-30", "2027-01-08", { "FRED:CPIAUCSL": { releaseId: 10, name: "Consumer Price Index" } }]);
    expect(await audit("2026-12-04T06:00:00Z")).toEqual([]);

    // Weeks later, before the next CPI release: fresh by its releases, nothing fetched.
    const before = observations();
    expect((await ingest("2026-12-09T06:00:00Z")).json().counts).toMatchObject({ fresh: 1 });
    expect(observations()).toBe(before);

    // The 2026-12-10 release brings November's observation: the next ingest fetches it, and the series is current.
    obs.push({ date: "2026-11-01", value: "326.000" });
    expect((await ingest("2026-12-11T06:00:00Z")).json().counts).toMatchObject({ written: 1 });
    expect(observations()).toBeGreaterThan(before);
    expect(await audit("2027-01-05T06:00:00Z")).toEqual([]);
  } finally {
    fred.stop();
  }
});

test("the key is in no output, log, run record or cached document", () => {
  const files = [lh, join(dir, "fred-ingest")]
    .flatMap((root) => readdirSync(root, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), "latin1"));
  for (const text of [...all, ...files]) for (let i = 0; i + 8 <= KEY.length; i++) expect(text.includes(KEY.slice(i, i + 8))).toBe(false);
});
