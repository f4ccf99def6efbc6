import { defineCommand } from "citty";
import { parseInstant, parseList } from "../src/model/parse.ts";
import { querySymbols, type SymbolRow } from "../src/pipeline/symbols.ts";
import { symbolsTable } from "../src/symbols/render.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs, symbolsArg } from "./_shared.ts";

export default withHelp(
  defineCommand({
    meta: {
      name: "symbols",
      description: "The symbol metadata catalog (point in time): what was known about each symbol on a date — name, type, exchange, sector, industry, status",
    },
    args: {
      ...globalArgs,
      "as-of": { type: "string", description: "The date or ISO time to answer for (default: --now, else now)", valueHint: "DATE" },
      symbols: symbolsArg("every symbol known then"),
      history: { type: "boolean", description: "Every version (valid_from, valid_to, is_current) instead of the one valid on --as-of" },
    },
    async run({ args }) {
      const inv = setup("symbols", args);
      const symbols = parseList(args.symbols);
      const step = await querySymbols(inv.ctx, {
        ...(args["as-of"] !== undefined ? { asOfMs: parseInstant(args["as-of"], "--as-of") } : {}),
        ...(symbols ? { symbols } : {}),
        ...(args.history ? { history: true } : {}),
      });
      const extra = step.extra as { asOf: string | null; symbolCatalog: SymbolRow[]; unknownSymbols: string[] };
      return finish(inv, step, { document: symbolsTable(extra.symbolCatalog, extra.asOf, extra.unknownSymbols) });
    },
  }),
  {
    examples: ["dqctl symbols", "dqctl symbols --as-of 2026-06-30 --symbols NASDAQ:AAPL,NYSE:IBM", "dqctl symbols --history --symbols NASDAQ:FB --json"],
  },
);
