import { type Check, finding } from "./types.ts";

/** `no_data`: a file or fetch that yields no bars. */
export const noData: Check = {
  code: "no_data",
  run(input, opts) {
    if (input.raw.timestamp.length > 0) return [];
    return [finding(input, "no_data", opts.severity("error"), "no bars", { rows: 0 })];
  },
};
