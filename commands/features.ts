import { defineCommand } from "citty";
import { DEFAULT_FEATURE_COLUMNS } from "../src/features/rows.ts";
import { parseList } from "../src/model/parse.ts";
import { selectSymbols } from "../src/pipeline/candidates.ts";
import { runFeatureIngest } from "../src/pipeline/features.ts";
import { tradingViewTickers } from "../src/pipeline/screener.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs, seriesArgs } from "./_shared.ts";

const ingest = withHelp(
  defineCommand({
    meta: {
      name: "ingest",
      description:
        "Fetch the TradingView screener's technicals for each symbol's session date into features/tv_technicals_1d/date=…/ (idempotent per symbol and date), validated",
    },
    args: {
      ...globalArgs,
      symbols: seriesArgs.symbols,
      candidates: seriesArgs.candidates,
      columns: {
        type: "string",
        description: `Comma-separated screener columns (default: config features.columns, else ${DEFAULT_FEATURE_COLUMNS.join(",")})`,
        valueHint: "LIST",
      },
    },
    async run({ args }) {
      const inv = setup("features ingest", args, undefined, { writes: true });
      const symbols = selectSymbols(args, true)!;
      const columns = parseList(args.columns);
      const step = await runFeatureIngest(inv.ctx, { symbols, ...(columns ? { columns } : {}), screener: tradingViewTickers(inv.ctx) });
      return finish(inv, step, { record: true });
    },
  }),
  {
    examples: [
      "dqctl features ingest --symbols NASDAQ:AAPL,NYSE:IBM",
      "dqctl features ingest --candidates export/2026-11-21/candidates.json --columns RSI,MACD.macd,MACD.signal,SMA50 --json",
    ],
  },
);

export default withHelp(
  defineCommand({
    meta: { name: "features", description: "The feature store: the screener's daily technicals per symbol and session date" },
    args: { ...globalArgs },
    subCommands: { ingest },
  }),
  {
    usage: ["dqctl features ingest --symbols LIST|--candidates FILE [--columns LIST] [flags]"],
    examples: ["dqctl features ingest --symbols NASDAQ:AAPL,BINANCE:BTCUSDT", "dqctl features ingest --candidates export/latest/candidates.json --json"],
  },
);
