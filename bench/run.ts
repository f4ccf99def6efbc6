// `bun run bench`: prints figures (never asserts them). Needs dist/dqctl (`bun run build`).
// Each section is one function in its own file, run in the order below; add a section with one import and one
// line in SECTIONS. BENCH_ONLY=audit,ingest runs only the sections named.
import { existsSync } from "node:fs";
import { benchAppend } from "./append.ts";
import { benchAudit } from "./audit.ts";
import { benchCalendar } from "./calendar.ts";
import { benchDetection } from "./detection.ts";
import { benchIngest } from "./ingest.ts";
import { BIN, best } from "./lib.ts";
import { benchReport } from "./report.ts";
import { benchStore } from "./store.ts";
import { benchStream } from "./stream.ts";

export { run } from "./lib.ts";

/** Cold start of the binary: --version and --help, best of 5. */
function benchStart(): void {
  const v = best(["--version"], 5);
  const h = best(["--help"], 5);
  console.log(`cold start  --version ${v.ms.toFixed(1)} ms (${v.rssMb.toFixed(0)} MB)   --help ${h.ms.toFixed(1)} ms (${h.rssMb.toFixed(0)} MB)`);
}

const SECTIONS: [name: string, section: () => void | Promise<void>][] = [
  ["start", benchStart],
  ["audit", benchAudit],
  ["ingest", benchIngest],
  ["calendar", benchCalendar],
  ["detection", benchDetection],
  ["report", benchReport],
  ["store", benchStore],
  ["stream", benchStream],
  ["append", benchAppend],
];

if (import.meta.main) {
  if (!existsSync(BIN)) throw new Error("build first: bun run build");
  const only = process.env.BENCH_ONLY?.split(",").filter(Boolean);
  console.log("# dqctl benchmark (figures of this machine, printed, never asserted)");
  for (const [name, section] of SECTIONS) if (!only || only.includes(name)) await section();
  console.log("snapshot: run `bun bench/snapshot.ts` (500 symbols × 10 years daily with the returns matrix)");
}
