// `dqctl repair` end to end against the local TradingView WebSocket server: a gap is filled with one bounded range
// request (r,<from>:<to>) and barsFetched counts what was downloaded; a backfill capped by an account's history
// limit records no genesis; a complete probe from the start of history records it; --reset-genesis clears it.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertSummary, dqctl, tempDir } from "../helpers/cli.ts";
import { fixture } from "../vendors/servers/http.ts";
import { startTradingView, type TvServer } from "../vendors/servers/tradingview.ts";

let tv: TvServer;
let dir: string;
let cleanup: () => void;
let env: Record<string, string>;
let config: string;
let expected: [string, number, number, number, number, number][];
const NOW = "2024-01-19T23:00:00Z";

beforeAll(async () => {
  ({ dir, cleanup } = tempDir("dqctl-repair-genesis-"));
  tv = await startTradingView();
  expected = (await fixture("tradingview_AAPL_1d.json")).expected;
  env = { DQCTL_TRADINGVIEW_WS_URL: tv.url };
  config = join(dir, "dqctl.config.json");
  writeFileSync(config, JSON.stringify({ vendors: { tradingview: { totalTimeoutMs: 5000 } } }));
});
afterAll(() => {
  tv.stop();
  cleanup();
});
beforeEach(() => {
  tv.received.length = 0;
  tv.barsServed = 0;
  tv.historyLimit = undefined;
});

const catalogEntry = (lh: string) => JSON.parse(readFileSync(join(lh, "catalog.json"), "utf8")).entries[0];
const run = async (lh: string, ...extra: string[]) => {
  const r = await dqctl(
    ["repair", "--vendor", "tradingview", "--symbols", "NASDAQ:AAPL", "--config", config, "--json", "--lakehouse", lh, "--now", NOW, ...extra],
    { env },
  );
  expect(r.stderr).not.toContain("dqctl:");
  expect(r.code).toBe(0);
  return assertSummary(r.json());
};

describe("repair fetches what it needs", () => {
  test("a gap: one bounded range request around it, barsFetched = bars the server sent", async () => {
    const src = join(dir, "holey");
    mkdirSync(src);
    const csv = expected.filter((_, i) => i !== 5 && i !== 6).map(([t, o, h, l, c, v]) => `${t.slice(0, 10)},${o},${h},${l},${c},${v}`);
    writeFileSync(join(src, "NASDAQ_AAPL_1d.csv"), ["date,open,high,low,close,volume", ...csv].join("\n"));
    const lh = join(dir, "lh-gap");
    expect((await dqctl(["ingest", "--source", src, "--symbols", "NASDAQ:AAPL", "--quiet", "--lakehouse", lh, "--now", NOW])).code).toBe(0);
    const doc = await run(lh, "--backfill-days", "0");
    const series = tv.received.filter((m) => m.m === "create_series");
    expect(series).toHaveLength(1);
    // The missing sessions 2024-01-09..10, padded a day each side (TradingView stamps daily bars at the open).
    expect(series[0]!.p[6]).toBe(`r,${Date.parse("2024-01-08T00:00:00Z") / 1000}:${Date.parse("2024-01-11T00:00:00Z") / 1000}`);
    expect(tv.received.filter((m) => m.m === "request_more_data")).toHaveLength(0);
    expect(tv.barsServed).toBe(3); // 01-08 14:30, 01-09, 01-10: nothing from now back
    expect(doc.counts).toMatchObject({ fetches: 1, barsFetched: 3, gapsFilled: 2, remainingGaps: 0 });
  }, 30_000);
});

describe("genesis only on proof", () => {
  test("a backfill capped by the account's history limit records no genesis; a complete probe does; --reset-genesis clears it", async () => {
    const lh = join(dir, "lh-genesis");
    tv.historyLimit = 6;
    const ingest = await dqctl(
      ["ingest", "--vendor", "tradingview", "--symbols", "NASDAQ:AAPL", "--config", config, "--quiet", "--lakehouse", lh, "--now", NOW],
      {
        env,
      },
    );
    expect(ingest.code).toBe(0);
    expect(catalogEntry(lh)).toMatchObject({ start: expected[6]![0], genesis: null });

    // The backfill reaches past the limit: the server says data_completed "limit", so the empty answer proves nothing.
    const capped = await run(lh);
    expect(capped.counts).toMatchObject({ fetches: 1, barsFetched: 0, genesisRecorded: 0 });
    expect(catalogEntry(lh).genesis).toBeNull();

    // Limit lifted: the backfill finds the six older bars; history grows, genesis is not yet known.
    tv.historyLimit = undefined;
    const grown = await run(lh);
    expect(grown.counts).toMatchObject({ fetches: 1, barsFetched: 6, genesisRecorded: 0 });
    expect(catalogEntry(lh)).toMatchObject({ start: expected[0]![0], genesis: null });

    // Empty backfill, then the probe from the start of history: nothing earlier, complete. It downloaded the whole
    // history (12 bars, none kept): barsFetched says what was downloaded.
    tv.barsServed = 0;
    const proved = await run(lh);
    expect(proved.counts).toMatchObject({ fetches: 2, barsFetched: 12, genesisRecorded: 1 });
    expect(tv.barsServed).toBe(12);
    expect(proved.symbols[0].genesis).toBe(expected[0]![0]);
    expect(catalogEntry(lh).genesis).toBe(expected[0]![0]);

    // Known genesis: no backfill is asked again.
    tv.received.length = 0;
    const again = await run(lh);
    expect(again.counts).toMatchObject({ fetches: 0, genesisRecorded: 0 });
    expect(tv.received).toHaveLength(0);

    // --reset-genesis clears it (a dry run only says it would), reported in the summary.
    const dry = await run(lh, "--reset-genesis", "--backfill-days", "0", "--dry-run");
    expect(dry.counts.genesisReset).toBe(1);
    expect(catalogEntry(lh).genesis).toBe(expected[0]![0]);
    const reset = await run(lh, "--reset-genesis", "--backfill-days", "0");
    expect(reset.counts).toMatchObject({ genesisReset: 1, fetches: 0 });
    expect(reset.symbols[0]).toMatchObject({ symbol: "NASDAQ:AAPL", genesisReset: expected[0]![0] });
    expect(catalogEntry(lh).genesis).toBeNull();
  }, 60_000);
});
