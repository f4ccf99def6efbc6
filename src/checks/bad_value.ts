import type { Bars } from "../model/bars.ts";
import { PRICE_COLUMNS } from "../model/bars.ts";
import { iso } from "../model/finding.ts";
import type { BadCell, Flagged } from "./pushdown.ts";
import { type Check, type CheckMeta, finding, MAX_EVIDENCE } from "./types.ts";

/** `bad_value`: a price ≤ 0, NaN or infinite; a negative, NaN or infinite volume. */
const meta = {
  rule: "a price ≤ 0, NaN or infinite, or a negative, NaN or infinite volume",
  severity: "error",
  options: {},
  example: "1 bad values (price ≤ 0, NaN, infinite or negative volume)",
} as const satisfies CheckMeta;

/** The bad cells of `b` in bar order (columns in PRICE_COLUMNS order, then volume): the first MAX_EVIDENCE and the count. */
function scan(b: Bars): Flagged<BadCell> {
  const first: BadCell[] = [];
  let count = 0;
  const note = (i: number, column: string, value: number) => {
    count++;
    if (first.length < MAX_EVIDENCE) first.push({ ts: b.timestamp[i]!, column, value });
  };
  const { open, high, low, close, volume } = b;
  const bad = (v: number) => !(v > 0) || v === Infinity;
  for (let i = 0; i < b.timestamp.length; i++) {
    // Fast path: one combined test per row; the rare bad row is then itemised column by column.
    if (!(bad(open[i]!) || bad(high[i]!) || bad(low[i]!) || bad(close[i]!) || !(volume[i]! >= 0) || volume[i] === Infinity)) continue;
    for (const col of PRICE_COLUMNS) if (bad(b[col][i]!)) note(i, col, b[col][i]!);
    if (!(volume[i]! >= 0) || volume[i] === Infinity) note(i, "volume", volume[i]!);
  }
  return { count, first };
}

export const badValue: Check = {
  code: "bad_value",
  meta,
  run(input, opts) {
    // The store's own query (pushdown.ts) when it answered for these bars, else a scan of them.
    const { count, first } = input.pushed?.bad_value ?? scan(input.bars);
    if (!count) return [];
    const values = first.map((c) => ({ timestamp: iso(c.ts), column: c.column, value: Number.isFinite(c.value) ? c.value : String(c.value) }));
    return [
      finding(input, "bad_value", opts.severity("error"), `${count} bad values (price ≤ 0, NaN, infinite or negative volume)`, { values: count }, { values }),
    ];
  },
};
