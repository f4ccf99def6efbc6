// `dqctl init`: the files a new project starts from, written into a folder without overwriting anything.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { codeInfo } from "./checks/registry.ts";
import { DEFAULT_CONFIG_FILE } from "./config/load.ts";

/** One starter file: where it goes (relative to the folder) and what it holds. */
export interface StarterFile {
  path: string;
  what: string;
  text: string;
}

/** `checks.<code>` with the defaults the registry holds, so the starter config shows real values to tune. */
function checkDefaults(codes: readonly string[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const code of codes) {
    const info = codeInfo(code);
    if (!info) continue;
    const opts: Record<string, number> = {};
    for (const [k, o] of Object.entries(info.options)) if (typeof o.default === "number") opts[k] = o.default;
    out[code] = opts;
  }
  return out;
}

const json = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;

/** The starter files, in the order they are written. */
export function starterFiles(): StarterFile[] {
  const config = {
    lakehouse: "data/lakehouse",
    interval: "1d",
    referenceDir: "config/reference",
    checks: checkDefaults(["gap", "coverage", "toxic_return", "quality_score"]),
    vendors: { yahoo: { timeoutMs: 30_000, retries: 3 } },
  };
  return [
    { path: DEFAULT_CONFIG_FILE, what: "config (validated; `dqctl explain <code>` lists every check option)", text: json(config) },
    {
      path: "config/reference/instruments.json",
      what: "instrument reference data (profile, tickers per vendor, tick size, stablecoin)",
      text: json({
        "FX:EURUSD": { profile: "forex", assetClass: "fx", name: "Euro / US Dollar", tickers: { yahoo: "EURUSD=X" }, tickSize: 0.00001 },
        "BINANCE:USDCUSDT": { profile: "crypto", assetClass: "crypto", stablecoin: true },
      }),
    },
    {
      path: "config/reference/holidays.json",
      what: "closures and early closes added to the built-in calendars",
      text: json({ equity: { closed: [], earlyClose: {}, open: [] } }),
    },
    {
      path: "config/reference/sessions.json",
      what: "regular hours per profile (these are the built-in equity hours)",
      text: json({ equity: { timezone: "America/New_York", open: "09:30", close: "16:00" } }),
    },
    {
      path: "scanners/example.yaml",
      what: "a static scanner: the symbols `dqctl scan` and `dqctl flow` work on",
      text: `# A static scanner: the symbols dqctl scan and dqctl flow work on. A TradingView screener scanner sets
# source: tradingview with markets, filters and columns instead; base_preset: other.yaml inherits a parent.
name: example
source: static
direction: long
symbols:
  - BINANCE:BTCUSDT
  - NASDAQ:AAPL
  - FX:EURUSD
`,
    },
    {
      path: ".github/workflows/dqctl.yml",
      what: "a GitHub Actions job that runs the daily flow and fails on error findings",
      text: `# The data-quality gate: scan → ingest → repair → audit every morning; the job fails (exit 2) on error
# findings and on operational errors (exit 3), and keeps the JSON summary either way.
name: data-quality
on:
  schedule:
    - cron: "30 6 * * 1-5"
  workflow_dispatch: {}
jobs:
  dqctl:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Put dqctl on PATH
        # Replace with how your team ships the binary (a release asset, or: npm ci && npm run build in the dqctl repo).
        run: echo "$GITHUB_WORKSPACE/bin" >> "$GITHUB_PATH"
      - name: Validate config and reference data
        run: dqctl reference check
      - name: Daily flow, gated on error findings
        run: dqctl flow --scanner scanners/example.yaml --vendor file --source data/bars --fail-on-quality --json > dqctl-summary.json
      - name: Keep the summary
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: dqctl-summary
          path: dqctl-summary.json
`,
    },
  ];
}

/** What happened to one starter file. */
export interface InitResult {
  path: string;
  what: string;
  written: boolean;
}

/** Write every starter file into `dir`; a file that already exists is left untouched (exclusive create, so no race either). */
export function writeStarterFiles(dir: string): InitResult[] {
  return starterFiles().map((f) => {
    const target = join(dir, f.path);
    mkdirSync(dirname(target), { recursive: true });
    try {
      writeFileSync(target, f.text, { flag: "wx" });
      return { path: f.path, what: f.what, written: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") return { path: f.path, what: f.what, written: false };
      throw err;
    }
  });
}
