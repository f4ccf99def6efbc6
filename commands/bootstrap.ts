import { defineCommand } from "citty";
import { DEFAULT_CACHE_DIR } from "../src/bootstrap/cache.ts";
import { runBootstrap } from "../src/bootstrap/index.ts";
import { ConfigError } from "../src/errors.ts";
import { parseInterval } from "../src/model/interval.ts";
import { parseCount, parseNumber } from "../src/model/parse.ts";
import { VENDORS, vendorChoices } from "../src/vendors/registry.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

/** A ratio (0–1) or hours (≥ 0) flag. */
function number(flag: string, raw: string | undefined, max?: number): number | undefined {
  return raw === undefined ? undefined : parseNumber(raw, `--${flag}`, { min: 0, ...(max !== undefined ? { max } : {}) });
}

export default withHelp(
  defineCommand({
    meta: {
      name: "bootstrap",
      description: "Hydrate a pricing dataset from one or several vendors (stitched in priority order) into the cache, with quality findings",
    },
    args: {
      ...globalArgs,
      symbols: {
        type: "string",
        description: 'Vendor tickers or dqctl ids, comma-separated ("EURUSD=X,GBPUSD=X" or "FX:EURUSD")',
        valueHint: "LIST",
        required: true,
      },
      vendor: {
        type: "string",
        description: `Vendors in priority order: ${vendorChoices(VENDORS, ", ")} (e.g. yahoo,alphavantage,file)`,
        default: "yahoo",
        valueHint: "LIST",
      },
      interval: { type: "string", description: "Bar interval: 1m 5m 15m 30m 1h 4h 1d (default 1d)", valueHint: "I" },
      "lookback-days": { type: "string", description: "Window length back from now (default 365)", valueHint: "N" },
      start: { type: "string", description: "Window start (date or ISO time; instead of --lookback-days)", valueHint: "DATE" },
      end: { type: "string", description: "Window end (default: the last completed slot before now)", valueHint: "DATE" },
      "minimum-coverage": {
        type: "string",
        description: "Coverage below this ratio is a warning (checks.coverage.warn, default 0.9; below checks.coverage.error, 0.75, an error)",
        valueHint: "RATIO",
      },
      "staleness-warn-hours": {
        type: "string",
        description:
          "Warn when the last bar trails the calendar's last completed bar by more hours than this (checks.stale.warnHours; default: no warning tier)",
        valueHint: "H",
      },
      "max-age-hours": {
        type: "string",
        description:
          "Stale error when the last bar trails the calendar's last completed bar by more hours than this (checks.stale allowance, every profile; default: the last closed session must be there, crypto 24 bars up to 24 h)",
        valueHint: "H",
      },
      "drift-warn": {
        type: "string",
        description: "Cross-source close drift above this is a warning (checks.cross_source_drift.warn, default 0.01)",
        valueHint: "RATIO",
      },
      "drift-tolerance": {
        type: "string",
        description: "Cross-source close drift above this is an error (checks.cross_source_drift.tolerance, default 0.02)",
        valueHint: "RATIO",
      },
      "source-path": {
        type: "string",
        alias: ["source"],
        description: "file vendor: a folder of <EXCHANGE>_<TICKER>_<interval>.{csv,parquet,jsonl} or one file with a symbol column",
        valueHint: "PATH",
      },
      "cache-dir": { type: "string", description: `Cache folder (default ${DEFAULT_CACHE_DIR})`, valueHint: "DIR" },
      "dataset-format": {
        type: "string",
        description: "Dataset format: parquet (default; CSV when Parquet cannot be written) or csv (`--format parquet|csv` still works)",
        valueHint: "parquet|csv",
      },
      "cache-retention-days": { type: "string", description: "Prune cache entries older than N days", valueHint: "N" },
      "cache-max-entries": { type: "string", description: "Keep at most N cache entries (newest first)", valueHint: "N" },
    },
    async run({ args }) {
      // `--format parquet|csv` chose the dataset format before --format chose the output: still honoured.
      const legacy = args.format === "parquet" || args.format === "csv" ? args.format : undefined;
      const inv = setup("bootstrap", { ...args, format: legacy ? undefined : args.format });
      const format = args["dataset-format"] ?? legacy ?? "parquet";
      if (format !== "parquet" && format !== "csv")
        throw new ConfigError(`--dataset-format: "${format}" is not parquet or csv`, "pass --dataset-format parquet or --dataset-format csv");
      const int = (flag: string) => (typeof args[flag] === "string" ? parseCount(args[flag] as string, `--${flag}`) : undefined);
      const step = await runBootstrap(inv.ctx, {
        symbols: args.symbols,
        vendors: [args.vendor],
        interval: parseInterval(args.interval ?? inv.config.interval ?? "1d"),
        lookbackDays: int("lookback-days"),
        start: args.start,
        end: args.end,
        sourcePath: args["source-path"],
        cacheDir: args["cache-dir"] ?? DEFAULT_CACHE_DIR,
        format,
        retentionDays: int("cache-retention-days"),
        maxEntries: int("cache-max-entries"),
        failOn: inv.failOn,
        validation: {
          minimumCoverage: number("minimum-coverage", args["minimum-coverage"], 1),
          stalenessWarnHours: number("staleness-warn-hours", args["staleness-warn-hours"]),
          maxAgeHours: number("max-age-hours", args["max-age-hours"]),
          driftWarn: number("drift-warn", args["drift-warn"], 1),
          driftTolerance: number("drift-tolerance", args["drift-tolerance"], 1),
        },
        env: process.env,
      });
      // The run record goes to <lakehouse>/runs.jsonl only when a lakehouse exists: a bootstrap-only user gets no stray folder.
      return finish(inv, step, { record: await inv.ctx.store.exists() });
    },
  }),
  {
    examples: [
      'dqctl bootstrap --symbols "EURUSD=X,GBPUSD=X" --vendor yahoo,alphavantage',
      "dqctl bootstrap --symbols BINANCE:BTCUSDT --vendor file --source fixtures/demo --start 2026-01-01 --end 2026-06-30",
      'dqctl bootstrap --symbols "EURUSD=X" --vendor yahoo --lookback-days 90 --minimum-coverage 0.95 --fail-on-quality',
    ],
  },
);
