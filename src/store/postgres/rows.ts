// Bars to and from PostgreSQL rows: COPY text for writes (exact: shortest round-trip doubles, -0 and NaN kept),
// typed columns for reads.
import { ACTION_COLUMNS, allocActions, allocBars, type Bars, barCount, hasActions } from "../../model/bars.ts";

/** The staging table's columns, in COPY order. */
export const STAGE_COLUMNS = "ts_ms, open, high, low, close, volume, adj_close, dividend, split_factor";

const num = (x: number): string => (Object.is(x, -0) ? "-0" : String(x));
const nullable = (x: number): string => (x !== x ? "\\N" : num(x));

/** The bars as COPY text rows (timestamps as epoch milliseconds), in chunks of about `chunk` rows. */
export function* copyText(bars: Bars, chunk = 20_000): Generator<string> {
  const n = barCount(bars);
  const a = hasActions(bars.actions) ? bars.actions : undefined;
  for (let lo = 0; lo < n; lo += chunk) {
    const hi = Math.min(n, lo + chunk);
    let out = "";
    for (let i = lo; i < hi; i++) {
      out += `${bars.timestamp[i]!}\t${num(bars.open[i]!)}\t${num(bars.high[i]!)}\t${num(bars.low[i]!)}\t${num(bars.close[i]!)}\t${num(bars.volume[i]!)}`;
      out += a ? `\t${nullable(a.adjClose[i]!)}\t${nullable(a.dividend[i]!)}\t${nullable(a.split[i]!)}\n` : "\t\\N\t\\N\t\\N\n";
    }
    yield out;
  }
}

/** The select list that reads bars back in the order rowsToBars expects. */
export const READ_COLUMNS = "(extract(epoch from ts) * 1000)::float8 as t, open, high, low, close, volume, adj_close, dividend, split_factor";

/** Rows as `.values()` gives them (arrays in READ_COLUMNS order) to bars; actions only when any is recorded. */
export function rowsToBars(rows: readonly (readonly unknown[])[]): Bars {
  const n = rows.length;
  const b = allocBars(n);
  const act = allocActions(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    b.timestamp[i] = r[0] as number;
    b.open[i] = r[1] as number;
    b.high[i] = r[2] as number;
    b.low[i] = r[3] as number;
    b.close[i] = r[4] as number;
    b.volume[i] = r[5] as number;
    for (let k = 0; k < ACTION_COLUMNS.length; k++) {
      const v = r[6 + k];
      if (v !== null && v !== undefined) {
        act[ACTION_COLUMNS[k]!][i] = v as number;
        any = true;
      }
    }
  }
  if (any) b.actions = act;
  return b;
}
