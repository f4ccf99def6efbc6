// Kept out of _shared.ts: the --vendor help lists the vendor registry, which loads every vendor (and calendars,
// luxon). Only the commands that fetch bars import this, so `--version` and `--help` start without it.
import type { ArgDef } from "citty";
import { vendorChoices } from "../src/vendors/registry.ts";

/** Flags of commands that fetch bars (ingest, repair, flow). */
export const vendorArgs = {
  vendor: { type: "string", description: `Vendor: ${vendorChoices()}`, default: "file", valueHint: "NAME" },
  source: {
    type: "string",
    description: "file vendor: a folder of <EXCHANGE>_<TICKER>_<interval>.{csv,parquet,jsonl} or one file with a symbol column",
    valueHint: "PATH",
  },
} as const satisfies Record<string, ArgDef>;
