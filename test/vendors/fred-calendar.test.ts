/** FRED's release calendar (calendar --macro) against a local server speaking fred/releases/dates: paging, cache, faults, no key. */
import { afterAll, beforeEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../../src/config/schema.ts";
import type { RunContext } from "../../src/context.ts";
import { silentProgress } from "../../src/context.ts";
import { VendorError } from "../../src/errors.ts";
import { Lakehouse } from "../../src/lakehouse/store.ts";
import { MACRO_DOC, readMacroDoc } from "../../src/macro/cache.ts";
import { macroCalendar } from "../../src/macro/calendar.ts";
import { clearSecrets } from "../../src/redact.ts";
import { openStore } from "../../src/store/open.ts";
import { tempDir } from "../helpers/cli.ts";
import { pgAdmin, pgReady, pgSchema } from "../helpers/pg.ts";
import { FAST } from "./harness.ts";
import { startFredReleases } from "./servers/fred-releases.ts";
import type { Fault } from "./servers/http.ts";

const KEY = "fredkey0123456789abcdef0123456789";
const server = startFredReleases(KEY);
const { dir, cleanup } = tempDir("dqctl-fred-calendar-");
afterAll(() => {
  server.stop();
  cleanup();
});
beforeEach(() => {
  server.requests.length = 0;
  server.fault = undefined;
});

let n = 0;
/** A run context on a fresh lakehouse, FRED pointed at the server; warnings and every log line collected. */
function ctxFor(config: Config = {}, now = "2026-12-04T06:00:00Z", root = join(dir, `lh${n++}`)) {
  const lines: string[] = [];
  const ctx: RunContext = {
    config: { ...config, vendors: { fred: { baseUrl: server.url, apiKey: KEY, ...FAST }, ...config.vendors } },
    store: new Lakehouse(root),
    now: new Date(now),
    log: { info: (m) => lines.push(m), debug: (m) => lines.push(m), warn: (m) => lines.push(`WARN ${m}`) },
    progress: silentProgress,
    waitLockMs: 0,
    runId: "test",
  };
  return { ctx, lines, root };
}
const env = { DQCTL_HTTP_BACKOFF_MS: "5" };
const dates = () => server.requests.filter((u) => u.pathname === "/fred/releases/dates");

test("pages by limit/offset to the count, with the window as realtime_start/end and future dates included", async () => {
  const { ctx } = ctxFor();
  const m = await macroCalendar(ctx, "2026-11-01", "2026-11-30", { env, pageSize: 7 });
  // November 2026: 21 weekdays of H.15, CPI on the 13th, the Employment Situation on Friday the 6th.
  expect(m.events.length).toBe(23);
  expect(dates().map((u) => u.searchParams.get("offset"))).toEqual([null, "7", "14", "21"]);
  const q = dates()[0]!.searchParams;
  expect([q.get("realtime_start"), q.get("realtime_end"), q.get("file_type"), q.get("include_release_dates_with_no_data"), q.get("limit")]).toEqual([
    "2026-11-01",
    "2026-11-30",
    "json",
    "true",
    "7",
  ]);
  expect(m.events.find((e) => e.releaseId === 10)).toEqual({
    date: "2026-11-13",
    releaseId: 10,
    name: "Consumer Price Index",
    calendar: "FRED",
    currency: "USD",
    series: [],
  });
  const keys = m.events.map((e) => `${e.date} ${String(e.releaseId).padStart(3, "0")}`);
  expect(keys).toEqual([...keys].sort());
  expect(m.cached).toBe(false);
  expect(m.fetchedAt).toBe("2026-12-04T06:00:00.000Z");
});

test("series of interest are mapped to their release (fred/series/release, or config macro.releases) and named on its events", async () => {
  const { ctx } = ctxFor({ macro: { series: ["FRED:CPIAUCSL", "FRED:PAYEMS"], releases: { "FRED:PAYEMS": 50 } } });
  const m = await macroCalendar(ctx, "2026-12-01", "2026-12-31", { env });
  expect(server.requests.filter((u) => u.pathname === "/fred/series/release").map((u) => u.searchParams.get("series_id"))).toEqual(["CPIAUCSL"]);
  expect(m.series).toEqual([
    { symbol: "FRED:CPIAUCSL", releaseId: 10, name: "Consumer Price Index" },
    { symbol: "FRED:PAYEMS", releaseId: 50, name: "Employment Situation" },
  ]);
  expect(m.events.filter((e) => e.series.length).map((e) => [e.date, e.series])).toEqual([
    ["2026-12-04", ["FRED:PAYEMS"]],
    ["2026-12-10", ["FRED:CPIAUCSL"]],
  ]);
});

test("the calendar is cached in the store with its fetch time, reused while fresh, refetched (and widened) when old or not covering", async () => {
  const { ctx, root } = ctxFor({ macro: { maxAgeHours: 6 } });
  await macroCalendar(ctx, "2026-11-01", "2026-11-30", { env });
  const doc = await readMacroDoc(ctx.store);
  expect(doc?.fetchedAt).toBe("2026-12-04T06:00:00.000Z");
  expect([doc?.from, doc?.to]).toEqual(["2026-11-01", "2026-11-30"]);
  expect(JSON.parse(readFileSync(join(root, `${MACRO_DOC}.json`), "utf8")).format).toBe("dqctl.macro-calendar/v1");

  server.requests.length = 0;
  ctx.now = new Date("2026-12-04T11:00:00Z");
  const again = await macroCalendar(ctx, "2026-11-10", "2026-11-20", { env });
  expect(server.requests.length).toBe(0);
  expect(again.cached).toBe(true);
  expect(again.events.every((e) => e.date >= "2026-11-10" && e.date <= "2026-11-20")).toBe(true);

  // A window the cache does not cover: fetched, and the cache grows to both windows.
  const wider = await macroCalendar(ctx, "2026-12-01", "2026-12-31", { env });
  expect(wider.cached).toBe(false);
  expect(dates()[0]!.searchParams.get("realtime_start")).toBe("2026-11-01");
  expect(dates()[0]!.searchParams.get("realtime_end")).toBe("2026-12-31");

  // Older than macro.maxAgeHours: fetched again.
  server.requests.length = 0;
  ctx.now = new Date("2026-12-04T18:00:01Z");
  expect((await macroCalendar(ctx, "2026-11-10", "2026-11-20", { env })).cached).toBe(false);
  expect(dates().length).toBe(1);
});

test("without an API key: one warning, no events, no request, nothing cached", async () => {
  const { ctx, lines, root } = ctxFor();
  ctx.config = { vendors: { fred: { baseUrl: server.url } } };
  const m = await macroCalendar(ctx, "2026-11-01", "2026-11-30", { env: {} });
  expect(m).toMatchObject({ events: [], series: [], fetchedAt: null, cached: false });
  expect(lines.filter((l) => l.startsWith("WARN"))).toEqual([
    "WARN calendar --macro: no FRED API key (set FRED_API_KEY or vendors.fred.apiKey): no macro events",
  ]);
  expect(server.requests.length).toBe(0);
  expect(await new Lakehouse(root).exists()).toBe(false);
});

test("the key comes from FRED_API_KEY when the config has none", async () => {
  const { ctx } = ctxFor();
  ctx.config = { vendors: { fred: { baseUrl: server.url, ...FAST } } };
  const m = await macroCalendar(ctx, "2026-11-01", "2026-11-07", { env: { ...env, FRED_API_KEY: KEY } });
  expect(m.events.length).toBe(6);
});

test("429 with Retry-After, 5xx and a truncated body are retried; the answer is the same", async () => {
  const clean = await macroCalendar(ctxFor().ctx, "2026-11-01", "2026-11-30", { env, pageSize: 10 });
  const faults: Fault[] = [
    { kind: "status", statuses: [429], retryAfter: "0" },
    { kind: "status", statuses: [500, 503] },
    { kind: "truncate", times: 2 },
  ];
  for (const fault of faults) {
    server.requests.length = 0;
    server.fault = fault;
    const m = await macroCalendar(ctxFor().ctx, "2026-11-01", "2026-11-30", { env, pageSize: 10 });
    expect(m.events).toEqual(clean.events);
    expect(dates().length).toBeGreaterThan(3);
  }
});

test("a body that stays malformed, schema drift and a bad key are VendorErrors; nothing is cached and the key is in no message", async () => {
  const cases: [() => void, string][] = [
    [() => (server.fault = { kind: "echo", status: 200, body: (u) => `{"release_dates": [ ${u}`.slice(0, 40) }), "malformed JSON body"],
    [() => (server.fault = { kind: "drift" }), "unexpected response shape (schema drift) at release_dates.0.date"],
    [() => (server.fault = { kind: "echo", status: 400, body: (u) => JSON.stringify({ error_code: 400, error_message: `Bad Request. ${u}` }) }), "HTTP 400"],
  ];
  for (const [arm, text] of cases) {
    server.fault = undefined;
    arm();
    const { ctx, lines, root } = ctxFor();
    const err = await macroCalendar(ctx, "2026-11-01", "2026-11-30", { env }).catch((e) => e);
    expect(err).toBeInstanceOf(VendorError);
    expect(err.message).toContain(text);
    expect(`${err.message} ${err.oneLine()} ${lines.join("\n")}`).not.toContain(KEY);
    expect(await readMacroDoc(new Lakehouse(root))).toBeUndefined();
  }
});

test("FRED's own 400 for an unregistered key names the problem", async () => {
  const { ctx } = ctxFor();
  ctx.config = { vendors: { fred: { baseUrl: server.url, apiKey: "wrongkey-abcdef", ...FAST } } };
  const err = await macroCalendar(ctx, "2026-11-01", "2026-11-30", { env }).catch((e) => e);
  expect(err.message).toBe(
    "fred release dates 2026-11-01…2026-11-30: HTTP 400 (Bad Request.  The value for variable api_key is not registered.  Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.) after 1 attempt",
  );
});

test("the cached document holds no credential", async () => {
  clearSecrets();
  const { ctx, root } = ctxFor({ macro: { series: ["FRED:CPIAUCSL"] } });
  await macroCalendar(ctx, "2026-11-01", "2026-12-31", { env });
  const text = readFileSync(join(root, `${MACRO_DOC}.json`), "utf8");
  expect(text).not.toContain(KEY);
  expect(text).not.toContain("api_key");
  expect(text).not.toContain(server.url);
});

test("on the PostgreSQL store the calendar is the macro_calendar document, created with the store, reused while fresh", async () => {
  if (!(await pgReady("fred calendar on PostgreSQL"))) return;
  const pg = pgSchema("macro");
  const store = openStore(pg.url);
  try {
    const { ctx } = ctxFor({ macro: { series: ["FRED:DGS10"] } });
    ctx.store = store;
    const first = await macroCalendar(ctx, "2026-11-01", "2026-11-30", { env });
    expect(first.series).toEqual([{ symbol: "FRED:DGS10", releaseId: 18, name: "H.15 Selected Interest Rates" }]);
    const rows = await pgAdmin((sql) => sql`select doc from documents where name = 'macro_calendar'`, pg.schema);
    expect(JSON.stringify(rows[0]?.doc)).not.toContain(KEY);
    expect((rows[0]?.doc as { fetchedAt?: string } | undefined)?.fetchedAt).toBe("2026-12-04T06:00:00.000Z");
    server.requests.length = 0;
    const again = await macroCalendar(ctx, "2026-11-02", "2026-11-06", { env });
    expect([again.cached, again.events.length, server.requests.length]).toEqual([true, 6, 0]);
  } finally {
    await store.close();
    await pg.drop();
  }
});
