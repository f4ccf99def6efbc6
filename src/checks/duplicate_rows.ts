import type { Finding } from "../model/finding.ts";
import { iso } from "../model/finding.ts";
import type { DuplicateEvidence } from "./pushdown.ts";
import { type Check, type CheckInput, type CheckMeta, type CheckOptions, finding, MAX_EVIDENCE } from "./types.ts";

/** `duplicate_rows`: the same timestamp stored more than once. */
const meta = {
  rule: "the same timestamp appears more than once (in a stored file, or in what a vendor sent)",
  severity: "warning",
  options: {},
  example: "1 duplicate rows at 1 timestamps",
} as const satisfies CheckMeta;

/** The repeated timestamps of one set of rows in order, and the extra rows they make. */
function scan(ts: Float64Array): DuplicateEvidence {
  let ascending = true;
  for (let i = 1; i < ts.length && ascending; i++) ascending = ts[i]! > ts[i - 1]!;
  if (ascending) return { extra: 0, repeated: [] }; // strictly ascending: nothing can repeat (the usual case, checked without a map)
  const seen = new Map<number, number>();
  for (let i = 0; i < ts.length; i++) seen.set(ts[i]!, (seen.get(ts[i]!) ?? 0) + 1);
  const repeated = [...seen].filter(([, c]) => c > 1).sort((a, b) => a[0] - b[0]);
  return { extra: ts.length - seen.size, repeated: repeated.map(([t, count]) => ({ ts: t, count })) };
}

/** The duplicate_rows finding of one set of rows as stored or delivered (none when every timestamp is unique). */
function judge(input: CheckInput, d: DuplicateEvidence, opts: CheckOptions, vendor?: string): Finding[] {
  const { extra, repeated } = d;
  if (!extra) return [];
  return [
    finding(
      input,
      "duplicate_rows",
      opts.severity("warning"),
      `${vendor ? `${vendor}: ` : ""}${extra} duplicate rows at ${repeated.length} timestamps`,
      { duplicateRows: extra, timestamps: repeated.length },
      {
        ...(vendor ? { vendor } : {}),
        timestamps: repeated.slice(0, MAX_EVIDENCE).map((r) => ({ timestamp: iso(r.ts), count: r.count })),
      },
    ),
  ];
}

/** Judges the rows as stored, or, for a series stitched from several vendors, each vendor's rows as delivered. */
export const duplicateRows: Check = {
  code: "duplicate_rows",
  meta,
  run(input, opts) {
    if (input.sources) return input.sources.flatMap((s) => judge(input, scan(s.bars.timestamp), opts, s.vendor));
    // The store's own query (pushdown.ts) when it answered for these rows, else a scan of them.
    return judge(input, input.pushed?.duplicate_rows ?? scan(input.raw.timestamp), opts);
  },
};
