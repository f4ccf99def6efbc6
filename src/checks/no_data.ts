import { type Check, type CheckMeta, finding } from "./types.ts";

/** `no_data`: a file or fetch that yields no bars. */
const meta = {
  rule: "a fetch or a file yields no bars",
  severity: "error (a re-fetch of a series already stored that comes back empty: warning)",
  options: {},
  example: "file returned no bars for BINANCE:BTCUSDT 1d",
} as const satisfies CheckMeta;

export const noData: Check = {
  code: "no_data",
  meta,
  run(input, opts) {
    if (input.raw.timestamp.length > 0) return [];
    if (!input.sources) return [finding(input, "no_data", opts.severity("error"), "no bars", { rows: 0 })];
    const vendors = input.sources.map((s) => s.vendor);
    return [finding(input, "no_data", opts.severity("error"), `no bars from ${vendors.join(", ") || "no vendor"}`, { rows: 0 }, { vendors })];
  },
};
