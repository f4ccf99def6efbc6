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
  price: {
    type: "string",
    description:
      "Prices to store where the vendor gives both: raw (its close, the default) or adjusted (its adjusted close, O/H/L scaled alike); config price. Recorded in the catalog; a stored series is never mixed",
    valueHint: "raw|adjusted",
  },
} as const satisfies Record<string, ArgDef>;
