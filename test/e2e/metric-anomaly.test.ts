// Anomalies on the metric history through the binary: daily ingest + audit with --now stepping forward (weekends
// included) builds the history without an alarm; a series left out of one ingest (a planted drop in new bars per
// session) is the one metric_anomaly series; a day with no ingest at all is one feed_stalled and one feed_stale for
// the vendor, not a stale finding per series.
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DEMO, dqctl, tempDir } from "../helpers/cli.ts";

const { dir, cleanup } = tempDir("dqctl-anomaly-");
const lh = join(dir, "lh");
const ALL = "NASDAQ:AAPL,NYSE:JPM,NYSE:XOM";
afterAll(cleanup);

interface F {
  code: string;
  symbol?: string;
  details?: { metric?: string; vendor?: string; symbols?: string[] };
}
const day = (d: number) => new Date(Date.UTC(2026, 10, d, 23)).toISOString();
const ingest = async (symbols: string, now: string): Promise<F[]> => {
  const r = await dqctl(["ingest", "--source", DEMO, "--symbols", symbols, "--lakehouse", lh, "--now", now, "--quiet", "--json"]);
  expect(r.code).toBeLessThan(3);
  return (JSON.parse(r.stdout) as { findings: F[] }).findings;
};
const audit = async (now: string): Promise<F[]> => {
  const r = await dqctl(["audit", "--lakehouse", lh, "--now", now, "--json", "--quiet"]);
  expect(r.code).toBeLessThan(3);
  return (JSON.parse(r.stdout) as { findings: F[] }).findings;
};
const HISTORY = ["metric_anomaly", "feed_stalled", "feed_stale"];

describe("metric_anomaly and feed breaks through dist/dqctl", () => {
  test("a stepping history is quiet, a planted drop is one series' anomaly, an outage is one feed finding", async () => {
    // 2026-11-02 (Mon) to 2026-11-15 (Sun): two weeks of daily runs, weekends included.
    for (let d = 2; d <= 15; d++) {
      // The ingests judge their own history too: quiet for every series metric (a vendor's latency on a shared
      // machine is its own noise, not asserted here).
      const judged = (await ingest(ALL, day(d))).filter((f) => f.code === "metric_anomaly" && f.symbol);
      expect({ day: d, judged }).toEqual({ day: d, judged: [] });
      const found = (await audit(day(d))).filter((f) => HISTORY.includes(f.code));
      expect({ day: d, found }).toEqual({ day: d, found: [] });
    }
    // Monday: NYSE:XOM is left out of the ingest; its new bars per session drop from 1 to 0.
    await ingest("NASDAQ:AAPL,NYSE:JPM", day(16));
    const monday = (await audit(day(16))).filter((f) => HISTORY.includes(f.code));
    expect(new Set(monday.map((f) => f.symbol))).toEqual(new Set(["NYSE:XOM"]));
    expect(monday.filter((f) => f.details?.metric === "newBarsPerSession")).toHaveLength(1);
    expect(monday.every((f) => f.code === "metric_anomaly")).toBe(true);
    // Tuesday: no ingest at all; the vendor is stalled and its series lag together.
    const tuesday = await audit(day(17));
    const feed = tuesday.filter((f) => f.code === "feed_stalled" || f.code === "feed_stale");
    expect(feed.map((f) => [f.code, f.details?.vendor])).toEqual([
      ["feed_stale", "file"],
      ["feed_stalled", "file"],
    ]);
    expect(feed[0]!.details?.symbols).toEqual(ALL.split(","));
    expect(tuesday.filter((f) => f.code === "stale")).toEqual([]);
  }, 240_000);
});
