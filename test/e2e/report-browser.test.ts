// The HTML report in a real headless Chromium (Debian's package, driven by playwright-core; no browser download):
// the demo's report opens from disk with no network, draws every series, flags each finding at its bar, lists the
// quarantined assets, logs no console error, and leaves a screenshot in the test's temp folder. A second lakehouse
// with two weeks of daily ingest + audit and one planted drop shows the metric history: a sparkline per judged
// metric of every series, and a red dot exactly at the runs the audit raised metric_anomaly for.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { findingTimestamps } from "../../src/report/html/model.ts";
import { DEMO, DEMO_NOW, DEMO_SETUP_MS, dqctl, ROOT, tempDir } from "../helpers/cli.ts";

const CHROMIUM = process.env.DQCTL_CHROMIUM ?? "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
if (!present) {
  if (process.env.CI === "true") throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);
  console.log(`skipped: the HTML report browser tests (no ${CHROMIUM}; apt-get install -y chromium)`);
}

const { dir, cleanup } = tempDir("dqctl-report-");
const html = join(dir, "report.html");
const SCANNERS = ["crypto.yaml", "tradfi.yaml"].map((f) => join(ROOT, "fixtures/scanners", f)).join(",");
let browser: Browser;
let page: Page;
let summary: any;
const consoleErrors: string[] = [];
/** Each test drives the browser; a loaded 2-core machine needs more than bun's 5 s. */
const BROWSER_MS = 30_000;
const requests: string[] = [];
const histHtml = join(dir, "history.html");
let histPage: Page;
let histSummary: any;
const HIST_SYMBOLS = "NASDAQ:AAPL,NYSE:JPM,NYSE:XOM";
/** 23:00 UTC of a November 2026 day: after the US close. */
const nov = (d: number) => new Date(Date.UTC(2026, 10, d, 23)).toISOString();

/** Daily ingest + audit from Mon 2 Nov to Thu 12 Nov (weekend runs included); on Fri 13 NYSE:XOM is left out. */
async function historyReport(): Promise<void> {
  const lh = ["--lakehouse", join(dir, "hist-lh"), "--quiet"];
  for (let d = 2; d <= 13; d++) {
    const symbols = d === 13 ? "NASDAQ:AAPL,NYSE:JPM" : HIST_SYMBOLS;
    expect((await dqctl(["ingest", "--source", DEMO, "--symbols", symbols, ...lh, "--now", nov(d)])).code).toBeLessThan(3);
    if (d < 13) expect((await dqctl(["audit", ...lh, "--now", nov(d)])).code).toBeLessThan(3);
  }
  const r = await dqctl(["audit", ...lh, "--now", nov(13), "--report", histHtml, "--json"]);
  expect(r.code).toBeLessThan(3);
  histSummary = r.json();
}

beforeAll(async () => {
  if (!present) return;
  const args = ["--scanner", SCANNERS, "--vendor", "file", "--source", DEMO, "--lakehouse", join(dir, "lh"), "--export", join(dir, "export")];
  const r = await dqctl(["flow", ...args, "--now", DEMO_NOW, "--report", html, "--json"]);
  expect(r.code).toBe(0);
  summary = r.json();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  page.on("request", (q) => requests.push(q.url()));
  await page.goto(`file://${html}`);
  await page.waitForFunction(() => (window as unknown as { __dq?: { ready: boolean } }).__dq?.ready === true, undefined, { timeout: 20_000 });
  await historyReport();
  histPage = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  histPage.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  histPage.on("pageerror", (e) => consoleErrors.push(String(e)));
  await histPage.goto(`file://${histHtml}`);
  await histPage.waitForFunction(() => (window as unknown as { __dq?: { ready: boolean } }).__dq?.ready === true, undefined, { timeout: 20_000 });
}, DEMO_SETUP_MS + 120_000);

afterAll(async () => {
  await browser?.close();
  cleanup();
});

describe.skipIf(!present)("HTML report in headless Chromium", () => {
  test(
    "one self-contained file: no network request but the file itself, no console error",
    () => {
      expect(statSync(html).size).toBeLessThan(1_000_000);
      expect(requests).toEqual([`file://${html}`]);
      expect(consoleErrors).toEqual([]);
    },
    BROWSER_MS,
  );

  test(
    "the overview shows the gate, the counts and the quarantined assets",
    async () => {
      expect(await page.textContent("#overview .gate")).toContain(`gate: ${summary.status}`);
      for (const [k, v] of Object.entries(summary.counts)) expect(await page.textContent(`#overview .tile.st-${k}`)).toBe(`${v}${k}`);
      const listed = await page.$$eval("#quarantined tr[data-symbol]", (rows) => rows.map((r) => r.getAttribute("data-symbol")));
      const held = (summary.quarantine as { symbol: string }[]).map((q) => q.symbol);
      expect(held.length).toBeGreaterThan(0);
      expect(listed.sort()).toEqual([...held].sort());
    },
    BROWSER_MS,
  );

  test(
    "every series has its section, a chart and a coverage strip",
    async () => {
      const sections = await page.$$eval("section.series", (s) => s.map((e) => `${e.getAttribute("data-symbol")} ${e.getAttribute("data-interval")}`));
      expect(sections.sort()).toEqual(summary.symbols.map((s: any) => `${s.symbol} ${s.interval}`).sort());
      for (const s of summary.symbols) {
        const sel = `section.series[data-symbol="${s.symbol}"][data-interval="${s.interval}"]`;
        const charts = await page.$$(`${sel} .chart canvas`);
        expect(charts.length).toBeGreaterThan(0);
        if (s.rows > 0) {
          const strip = await page.$(`${sel} canvas.strip`);
          expect(Number(await strip!.getAttribute("data-sessions"))).toBeGreaterThan(0);
        }
      }
    },
    BROWSER_MS,
  );

  test(
    "a marker at each finding's timestamp, inside the plot, linking to the code's explanation",
    async () => {
      let checked = 0;
      for (const f of summary.findings) {
        if (!f.symbol) continue;
        for (const ms of findingTimestamps(f)) {
          const ts = new Date(ms).toISOString();
          const sel = `section.series[data-symbol="${f.symbol}"] .marker[data-code="${f.code}"][data-ts="${ts}"]`;
          const left = await page.$eval(sel, (m) => Number.parseFloat((m as HTMLElement).style.left));
          expect(Number.isFinite(left) && left >= 0).toBe(true);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(5);
      // The quarantined version is drawn beside the golden one, with its own reasons marked (SOL's toxic return).
      const sol = 'section.series[data-symbol="BINANCE:SOLUSDT"]';
      expect(await page.$$eval(`${sol} .chart-title`, (t) => t.map((e) => e.textContent))).toEqual(
        expect.arrayContaining(["golden", expect.stringMatching(/^quarantined \(bars cut out, in place\): BINANCE_SOLUSDT_1d/)]),
      );
      expect(await page.$(`${sol} .marker[data-code="toxic_return"][data-ts="2026-06-15T00:00:00.000Z"]`)).not.toBeNull();
      // Every link to a code resolves to its explanation.
      const targets = await page.$$eval("a.code, a.marker", (as) => [...new Set(as.map((a) => a.getAttribute("href")))]);
      for (const href of targets) expect(await page.$(href!)).not.toBeNull();
    },
    BROWSER_MS,
  );

  test(
    "missing sessions are counted in the strip as the gap finding says",
    async () => {
      const eth = await page.$('section.series[data-symbol="BINANCE:ETHUSDT"] canvas.strip');
      const gap = summary.findings.find((f: any) => f.code === "gap" && f.symbol === "BINANCE:ETHUSDT");
      expect(Number(await eth!.getAttribute("data-missing"))).toBe(gap.metrics.missingBars);
    },
    BROWSER_MS,
  );

  test(
    "metric history: a sparkline per judged metric of every series, a red dot at each run the audit flagged",
    async () => {
      const JUDGED = ["newBarsPerSession", "coverage", "lagSessions", "findings"];
      const anomalies = (histSummary.findings as any[]).filter((f) => f.code === "metric_anomaly");
      // The planted drop: NYSE:XOM's new bars per session, and only NYSE:XOM.
      expect(anomalies.some((f) => f.symbol === "NYSE:XOM" && f.details.metric === "newBarsPerSession")).toBe(true);
      expect(new Set(anomalies.map((f) => f.symbol))).toEqual(new Set(["NYSE:XOM"]));
      // A run's metrics are dated by its --now.
      const runAt = nov(13);
      for (const sym of HIST_SYMBOLS.split(",")) {
        const sel = `section.series[data-symbol="${sym}"]`;
        await histPage.locator(sel).scrollIntoViewIfNeeded();
        const sparks = await histPage.$$eval(`${sel} figure.spark`, (fs) =>
          fs.map((f) => ({
            metric: f.getAttribute("data-metric"),
            points: Number(f.getAttribute("data-points")),
            dots: Array.from(f.querySelectorAll("circle.anomaly"), (c) => c.getAttribute("data-at")),
          })),
        );
        expect(sparks.map((x) => x.metric)).toEqual(expect.arrayContaining(JUDGED));
        // Nine sessions (Mon 2 – Fri 13 Nov); new bars per session is a difference, one point fewer.
        for (const x of sparks) expect(x.points).toBeGreaterThanOrEqual(x.metric === "newBarsPerSession" ? 8 : 9);
        for (const metric of JUDGED) {
          const dots = sparks.find((x) => x.metric === metric)!.dots;
          const flagged = anomalies.some((f) => f.symbol === sym && f.details.metric === metric);
          // No run before this one was an anomaly: a dot is this run's finding, and every finding has its dot.
          expect({ sym, metric, dots }).toEqual({ sym, metric, dots: flagged ? [runAt] : [] });
        }
      }
      // The overview lists this run's anomalies, each linking to its series.
      const listed = await histPage.$$eval("#history tbody tr", (rows) => rows.map((r) => r.getAttribute("data-metric")));
      expect(listed.sort()).toEqual(anomalies.map((f) => f.details.metric).sort());
      expect(await histPage.$("#history a[href='#s-NYSE-XOM-1d']")).not.toBeNull();
      // The ingests' vendor: its fetch latency p95 per run that fetched (12 ingests; on the weekend nothing was due).
      const vendor = await histPage.$$eval('#vendor-history .vendor-history[data-vendor="file"] figure.spark', (fs) =>
        fs.map((f) => [f.getAttribute("data-metric"), Number(f.getAttribute("data-points"))]),
      );
      expect(vendor).toEqual([["latencyP95Ms", 10]]);
      expect(consoleErrors).toEqual([]);
    },
    BROWSER_MS,
  );

  test(
    "a screenshot",
    async () => {
      const shot = join(dir, "report.png");
      await page.setViewportSize({ width: 1000, height: 1400 });
      await page.screenshot({ path: shot, clip: { x: 0, y: 0, width: 1000, height: 1400 } });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
      // The README's picture is this one, of a series with a quarantined version: DQCTL_README_SCREENSHOT=docs/report.png refreshes it.
      const series = join(dir, "series.png");
      await page.locator('section.series[data-symbol="BINANCE:SOLUSDT"]').screenshot({ path: series });
      expect(readFileSync(series).subarray(1, 4).toString()).toBe("PNG");
      if (process.env.DQCTL_README_SCREENSHOT) copyFileSync(series, process.env.DQCTL_README_SCREENSHOT);
    },
    BROWSER_MS,
  );
});
