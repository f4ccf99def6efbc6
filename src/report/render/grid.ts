// cli-table3 in dqctl's style. cli-table3 ignores NO_COLOR itself, so colour is decided by the caller (Paint).
import Table from "cli-table3";
import type { Paint } from "./paint.ts";

/** No rule between rows: 300 series are 300 lines, not 600. */
const COMPACT = { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" };

/** A compact table; head and border coloured only when colour is on. */
export function makeTable(
  p: Paint,
  head: string[],
  extra: { colWidths?: (number | null)[]; wordWrap?: boolean; colAligns?: ("left" | "right")[] } = {},
): Table.Table {
  const style = p.on ? { head: ["cyan"], border: ["grey"] } : { head: [], border: [] };
  return new Table({ head, style, chars: COMPACT, ...(extra as object) });
}
