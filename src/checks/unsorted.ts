import { iso } from "../model/finding.ts";
import { type Check, type CheckMeta, finding, MAX_EVIDENCE } from "./types.ts";

/** `unsorted`: a timestamp lower than the one before it. */
const meta = {
  rule: "a timestamp is lower than the one before it (in a stored file, or in what a vendor sent)",
  severity: "warning",
  options: {},
  example: "1 descending timestamps",
} as const satisfies CheckMeta;

export const unsorted: Check = {
  code: "unsorted",
  meta,
  run(input, opts) {
    const ts = input.raw.timestamp;
    const rows: { row: number; timestamp: string; previous: string }[] = [];
    let count = 0;
    for (let i = 1; i < ts.length; i++) {
      if (ts[i]! < ts[i - 1]!) {
        count++;
        if (rows.length < MAX_EVIDENCE) rows.push({ row: i + 1, timestamp: iso(ts[i]!), previous: iso(ts[i - 1]!) });
      }
    }
    if (!count) return [];
    return [finding(input, "unsorted", opts.severity("warning"), `${count} descending timestamps`, { descending: count }, { rows })];
  },
};
