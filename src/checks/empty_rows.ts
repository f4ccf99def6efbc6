import type { Finding } from "../model/finding.ts";
import type { Interval } from "../model/interval.ts";
import { type CheckMeta, type CheckOptions, finding, MAX_EVIDENCE } from "./types.ts";

/** `empty_rows`: rows of a vendor file with every OHLCV cell empty (what pandas writes for a NaN row), dropped at read. */
export const EMPTY_ROWS_META = {
  rule: "a vendor file holds rows whose open, high, low, close and volume cells are all empty (pandas writes a NaN row so, e.g. around dividend dates): they are dropped, not committed, and listed with their line numbers; a partly empty row is kept, its empty cells NaN, and reported by bad_value; the timestamp of the dates dropped leaves a gap the gap check sees",
  severity: "warning",
  options: {},
  example: "fixtures/demo/NYSE_KO_1d.csv: 1 row with every OHLCV cell empty dropped (line 404)",
} as const satisfies CheckMeta;

/** The finding for the all-empty rows a fetch dropped (undefined when there were none or the code is off). */
export function emptyRowsFinding(
  series: { symbol: string; interval: Interval },
  empty: { file: string; lines: number[]; unit: "line" | "row" } | undefined,
  opts: CheckOptions | undefined,
): Finding | undefined {
  if (!empty?.lines.length || opts?.enabled === false) return undefined;
  const n = empty.lines.length;
  const shown = empty.lines.slice(0, MAX_EVIDENCE);
  const list = `${empty.unit}${n === 1 ? "" : "s"} ${shown.slice(0, 10).join(", ")}${n > 10 ? `, … (${n} in all)` : ""}`;
  return finding(
    series,
    "empty_rows",
    opts?.severity("warning") ?? "warning",
    `${empty.file}: ${n} row${n === 1 ? "" : "s"} with every OHLCV cell empty dropped (${list})`,
    { rows: n },
    { file: empty.file, [empty.unit === "line" ? "lines" : "rows"]: shown },
  );
}
