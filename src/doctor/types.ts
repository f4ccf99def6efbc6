// `dqctl doctor`'s seam: a probe looks at one thing the configuration names and says how it is. Probes are a list
// (index.ts); adding one is its function and one line there.
import type { RunContext } from "../context.ts";

/** ok: works; warn: works but needs a look (a lock held now); fail: fix this; skip: not configured. */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

/** One row of the report. */
export interface DoctorCheck {
  /** What was checked: store, writable, lock, cache, stream, vendor, reference, … */
  check: string;
  /** Which one: a folder, a URL without its password, a vendor name. */
  target: string;
  status: CheckStatus;
  /** What was found (a version, a round trip, an HTTP status) or what failed. */
  detail: string;
  /** What to do, on warn and fail. */
  fix?: string;
  ms: number;
}

/** What a probe is given. */
export interface ProbeEnv {
  ctx: RunContext;
  env: Record<string, string | undefined>;
  /** Bound on each network step (DNS, connect, one request). */
  timeoutMs: number;
  /** Vendors asked for on the command line (--vendor), probed beside the configured ones. */
  vendors: readonly string[];
}

/** A probe's rows, without timings (the runner measures them). */
export type ProbeRow = Omit<DoctorCheck, "ms">;

/** One probe: a name (its `check`) and what it finds; a throw becomes one failed row with the message. */
export interface Probe {
  check: string;
  run(p: ProbeEnv): Promise<ProbeRow[]>;
}
