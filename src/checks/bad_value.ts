import { PRICE_COLUMNS } from "../model/bars.ts";
import { iso } from "../model/finding.ts";
import { type Check, finding, MAX_EVIDENCE } from "./types.ts";

/** `bad_value`: a price ≤ 0, NaN or infinite; a negative, NaN or infinite volume. */
export const badValue: Check = {
  code: "bad_value",
  run(input, opts) {
    const b = input.bars;
    const values: Record<string, unknown>[] = [];
    let count = 0;
    const note = (i: number, column: string, value: number) => {
      count++;
      if (values.length < MAX_EVIDENCE) values.push({ timestamp: iso(b.timestamp[i]!), column, value: Number.isFinite(value) ? value : String(value) });
    };
    for (let i = 0; i < b.timestamp.length; i++) {
      for (const col of PRICE_COLUMNS) {
        const v = b[col][i]!;
        if (!(v > 0) || v === Infinity) note(i, col, v);
      }
      const vol = b.volume[i]!;
      if (!(vol >= 0) || vol === Infinity) note(i, "volume", vol);
    }
    if (!count) return [];
    return [finding(input, "bad_value", opts.severity("error"), `${count} bad values (price ≤ 0, NaN, infinite or negative volume)`, { values: count }, { values })];
  },
};
