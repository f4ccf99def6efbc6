import { iso } from "../model/finding.ts";
import { type Check, finding, MAX_EVIDENCE } from "./types.ts";

/** `unsorted`: a timestamp lower than the one before it. */
export const unsorted: Check = {
  code: "unsorted",
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
