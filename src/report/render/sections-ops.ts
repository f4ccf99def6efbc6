// The table format of the operational sections: `dqctl doctor`'s checks, and the cache line of any run with --cache.
import type { Summary } from "../summary.ts";
import type { RenderOptions } from "./common.ts";
import { makeTable } from "./grid.ts";
import type { Paint } from "./paint.ts";

type Section = (s: Summary, p: Paint, opts: RenderOptions) => string | undefined;
type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

interface Check {
  check: string;
  target: string;
  status: "ok" | "warn" | "fail" | "skip";
  detail: string;
  fix?: string;
}

/** `dqctl doctor`: one row per thing checked, the fix beside each failure. */
const doctor: Section = (s, p) => {
  if (!isRec(s.doctor) || !Array.isArray(s.doctor.checks)) return undefined;
  const status = (x: Check["status"]) => (x === "ok" ? p.green(x) : x === "warn" ? p.yellow(x) : x === "fail" ? p.red(x) : p.dim(x));
  const t = makeTable(p, ["check", "target", "status", "detail"], { wordWrap: true, colWidths: [null, 40, null, 60] });
  for (const c of s.doctor.checks as Check[]) t.push([c.check, c.target, status(c.status), c.fix ? `${c.detail}\n→ ${c.fix}` : c.detail]);
  return t.toString();
};

/** Any run with --cache: what it did with the cache (bootstrap prints its own entry line beside it). */
const cache: Section = (s) => {
  const c = s.cache;
  // doctor reports the cache as a row of its own; the counts of its probe say nothing.
  if (!isRec(c) || typeof c.hits !== "number" || s.command === "doctor") return undefined;
  const counts = `hits ${c.hits}, misses ${c.misses}, evictions ${c.evictions}, writes ${c.writes}`;
  return `cache ${c.location}: ${counts}${typeof c.down === "string" ? ` — down (${c.down}), read straight from the store` : ""}`;
};

/** Operational sections, printed after the findings. */
export const OPS_SECTIONS: Section[] = [doctor, cache];
