// The content version of a series: a sha256 over its canonical columns, the same for the same bars in any store
// (the version PostgreSQL records, and what `store copy` compares across stores).
import { createHash } from "node:crypto";
import { ACTION_COLUMNS, BAR_COLUMNS, type Bars, barCount, hasActions } from "../model/bars.ts";

/** sha256 hex over the bars' columns (little-endian doubles, every NaN the same bytes; actions only when recorded). */
export function contentVersion(bars: Bars): string {
  const h = createHash("sha256");
  const n = barCount(bars);
  h.update(`dqctl.bars/v1 ${n}\n`);
  const buf = new DataView(new ArrayBuffer(n * 8));
  const column = (xs: Float64Array) => {
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      if (x !== x) {
        buf.setUint32(i * 8, 0, true);
        buf.setUint32(i * 8 + 4, 0x7ff80000, true);
      } else buf.setFloat64(i * 8, x, true);
    }
    h.update(new Uint8Array(buf.buffer));
  };
  for (const c of BAR_COLUMNS) column(bars[c]);
  if (hasActions(bars.actions)) {
    h.update("actions\n");
    for (const c of ACTION_COLUMNS) column(bars.actions[c]);
  }
  return h.digest("hex");
}
