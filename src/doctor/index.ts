// `dqctl doctor`: every probe in order, one row each thing checked, exit 3 naming the first thing to fix.
import { ConfigError, DqError } from "../errors.ts";
import { redactSecrets } from "../redact.ts";
import type { StepResult } from "../report/summary.ts";
import { cacheProbe, lockProbe, referenceProbe, storeProbe, streamProbe, vendorProbe, writableProbe } from "./probes.ts";
import type { DoctorCheck, Probe, ProbeEnv } from "./types.ts";

/** The probes, in report order: add one here. */
export const PROBES: readonly Probe[] = [storeProbe, writableProbe, lockProbe, cacheProbe, streamProbe, vendorProbe, referenceProbe];

/** Run the probes; the summary's `doctor.checks` are the rows, the first failure its one error. */
export async function runDoctor(p: ProbeEnv, probes: readonly Probe[] = PROBES): Promise<StepResult> {
  const checks: DoctorCheck[] = [];
  for (const probe of probes) {
    const t0 = performance.now();
    let rows: Omit<DoctorCheck, "ms">[];
    try {
      rows = await probe.run(p);
    } catch (e) {
      const err = e as Error;
      const fix = err instanceof DqError ? err.advice : undefined;
      rows = [{ check: probe.check, target: p.ctx.store.location, status: "fail", detail: err.message, ...(fix ? { fix } : {}) }];
    }
    const each = (performance.now() - t0) / Math.max(1, rows.length);
    for (const r of rows) checks.push({ ...r, target: redactSecrets(r.target), detail: redactSecrets(r.detail), ms: Math.round(each) });
  }
  const counts = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  const first = checks.find((c) => c.status === "fail");
  return {
    counts,
    symbols: [],
    findings: [],
    ...(first
      ? {
          errors: [new ConfigError(`doctor: ${first.check}${first.target ? ` ${first.target}` : ""}: ${first.detail}`, first.fix, { code: "doctor" }).toItem()],
        }
      : {}),
    extra: { doctor: { checks } },
  };
}
