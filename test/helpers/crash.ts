// Kill trials: run a command uninterrupted for a reference, then SIGKILL it at seeded instants, rerun it, and compare.
// Issue 13 asks for at least 200 kills; the suite lands 50 in a first ingest and 40 in rewriting ingests
// (crash-ingest), 45 in repair, 25 in audit, 20 in snapshot and 20 in bootstrap (crash-snapshot).

import { expect } from "bun:test";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { DEMO, DEMO_NOW, dqctl, dqctlCommand, ROOT, tempDir } from "./cli.ts";
import { captureState, checkLakehouse, diffStates, type LakehouseState, problems } from "./lakehouse-check.ts";

/** The environment dqctl() gives a run: no DQCTL_* from the caller, no colour. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("DQCTL_")) env[k] = v;
  return env;
}

const names = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort().join("\n") : "");

/** Run to completion, measuring the duration and when `watch` first changed (its first visible write: a lock, a temp). */
export async function timedRun(args: string[], watch: string): Promise<{ code: number; ms: number; firstWriteMs: number | undefined }> {
  const before = names(watch);
  const t0 = performance.now();
  const p = Bun.spawn([...dqctlCommand(), ...args], { env: cleanEnv(), stdout: "ignore", stderr: "ignore", stdin: "ignore" });
  let firstWriteMs: number | undefined;
  while (p.exitCode === null && p.signalCode === null) {
    if (firstWriteMs === undefined && names(watch) !== before) firstWriteMs = performance.now() - t0;
    await Bun.sleep(1);
  }
  const code = await p.exited;
  return { code, ms: performance.now() - t0, firstWriteMs };
}

/**
 * Start the command and SIGKILL it `atMs` into its run. Instants past the measured first write are anchored at the
 * first write this run makes (`firstWriteMs` is the reference's), so startup jitter does not push kills past the end.
 * `killed` is false when the command had already exited; `tailMs` is then how long it ran after its first write.
 */
export async function killAt(args: string[], watch: string, atMs: number, firstWriteMs: number): Promise<{ killed: boolean; tailMs?: number }> {
  const before = names(watch);
  const p = Bun.spawn([...dqctlCommand(), ...args], { env: cleanEnv(), stdout: "ignore", stderr: "ignore", stdin: "ignore" });
  const running = () => p.exitCode === null && p.signalCode === null;
  let wroteAt: number | undefined;
  if (atMs < firstWriteMs) await Promise.race([Bun.sleep(atMs), p.exited]);
  else {
    while (running() && names(watch) === before) await Bun.sleep(1);
    if (running()) wroteAt = performance.now();
    await Promise.race([Bun.sleep(atMs - firstWriteMs), p.exited]);
  }
  if (!running()) {
    await p.exited;
    return wroteAt === undefined ? { killed: false } : { killed: false, tailMs: performance.now() - wroteAt };
  }
  p.kill("SIGKILL");
  await p.exited;
  return { killed: p.signalCode === "SIGKILL" };
}

/** Run `fn` over 0, 1, 2, … with at most `width` at once, while `more()` says another is wanted (and fewer than `max` started). */
export async function pool(max: number, width: number, fn: (i: number) => Promise<void>, more: (inFlight: number) => boolean = () => true): Promise<void> {
  let next = 0;
  let inFlight = 0;
  const worker = async () => {
    while (next < max && more(inFlight)) {
      const i = next++;
      inFlight++;
      try {
        await fn(i);
      } finally {
        inFlight--;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, max) }, worker));
}

/** Copy a prepared folder (a lakehouse, a cache) into a trial folder. */
export function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  cpSync(from, to, { recursive: true });
}

/** A command and the start state it runs from, set up in a fresh folder. */
export interface Prepared {
  args: string[];
  /** Folder whose first change marks the start of the command's writes. */
  watch: string;
  /** Problems that must never exist, even right after a kill. */
  afterKill(): string[];
  /** Problems after the command ran to completion (after a kill: after the rerun). */
  settled(): string[];
  /** The state compared with the reference (see LakehouseState for what it leaves out). */
  state(): unknown;
  /** Expected exit code of the rerun, given the reference run's (default: the same). */
  rerunCode?(refCode: number, killedRun: { killed: boolean }): number;
}

/** One way of starting a scenario; trials take the variants in turn. */
export type Variant = (dir: string) => Prepared | Promise<Prepared>;

export interface KillReport {
  name: string;
  /** Runs to kill mid-flight. */
  wanted: number;
  /** Trials run: as many as it took (at most 3 × `kills`) to kill `kills` runs mid-flight; a run may finish before its instant. */
  trials: number;
  killed: number;
  /** Per failed trial: where it was killed and every problem seen, tagged by when it was seen. */
  failures: { where: string; problems: string[] }[];
  /** How many trials showed each kind of problem (e.g. `after the rerun: orphans`). */
  tally: Record<string, number>;
  windows: string[];
}

/**
 * For each variant: prepare and run it uninterrupted (the reference; its duration and first write are measured),
 * then for each trial prepare a fresh copy, SIGKILL the command at a seeded instant spread over the measured span from
 * just before its first write to its end, check what must hold at every instant, rerun the same command to completion,
 * and compare the final state with the reference.
 */
export async function killTrials(o: {
  name: string;
  seed: number;
  kills: number;
  variants: Variant[];
  width?: number;
  diff: (ref: unknown, got: unknown) => string[];
}): Promise<KillReport> {
  const { dir, cleanup } = tempDir(`dqctl-crash-${o.name.replace(/\W+/g, "-")}-`);
  const report: KillReport = { name: o.name, wanted: o.kills, trials: 0, killed: 0, failures: [], tally: {}, windows: [] };
  try {
    const refs: { code: number; state: unknown; lo: number; first: number; tails: number[] }[] = [];
    for (const [v, variant] of o.variants.entries()) {
      // Timed `width` at once, as the trials run, so the kill window matches the load the trials see.
      const runs = await Promise.all(
        Array.from({ length: o.width ?? 2 }, async (_, k) => {
          const p = await variant(join(dir, `ref-${v}-${k}`));
          return { p, t: await timedRun(p.args, p.watch) };
        }),
      );
      const timings = runs.map((r) => r.t);
      const bad = runs[0]!.p.settled();
      if (bad.length) report.failures.push({ where: `${o.name}: the reference run of variant ${v} (exit ${timings[0]!.code})`, problems: bad });
      const ref = { code: timings[0]!.code, state: runs[0]!.p.state() };
      // Two uninterrupted runs must agree, or comparing a trial with the reference would prove nothing.
      const unstable = o.diff(ref.state, runs[1]!.p.state());
      if (unstable.length || timings[1]!.code !== ref.code)
        report.failures.push({ where: `${o.name}: two uninterrupted runs of variant ${v} differ`, problems: unstable });
      // The span before the first write and the tail after it, each averaged: trials anchor tail kills at their own first write.
      const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
      const first = mean(timings.map((t) => t.firstWriteMs ?? t.ms / 2));
      const tail = mean(timings.map((t) => t.ms - (t.firstWriteMs ?? t.ms / 2)));
      // From a little before the first write (startup kills are cheap and prove little) to the end of the run. The tail
      // is re-measured by every trial that finished before its kill, so load changing under the test keeps kills landing.
      const lo = Math.round(first * 0.6);
      refs.push({ ...ref, lo, first, tails: timings.map((t) => t.ms - (t.firstWriteMs ?? t.ms / 2)) });
      report.windows.push(`variant ${v}: exit ${ref.code}, first write at ${Math.round(first)} ms, then ${Math.round(tail)} ms to the end`);
    }
    const maxTrials = o.kills * 3;
    const fractions = fc.sample(fc.integer({ min: 0, max: 10_000 }), { seed: o.seed, numRuns: maxTrials });
    const more = (inFlight: number) => report.killed + inFlight < o.kills;
    await pool(
      maxTrials,
      o.width ?? 2,
      async (i) => {
        report.trials++;
        const v = i % o.variants.length;
        const ref = refs[v]!;
        const hi = ref.first + ref.tails.reduce((a, x) => a + x, 0) / ref.tails.length;
        const delay = Math.round(ref.lo + ((hi - ref.lo) * fractions[i]!) / 10_000);
        const trialDir = join(dir, `trial-${i}`);
        const seen: string[] = [];
        const note = (stage: string, lines: string[]) => {
          for (const l of lines) seen.push(`${stage}: ${l}`);
          for (const kind of new Set(lines.map((l) => /^[\w ]+?(?=[:. ]|$)/.exec(l)?.[0] ?? l)))
            report.tally[`${stage}: ${kind}`] = (report.tally[`${stage}: ${kind}`] ?? 0) + 1;
        };
        try {
          const p = await o.variants[v]!(trialDir);
          const k = await killAt(p.args, p.watch, delay, ref.first);
          if (k.killed) report.killed++;
          if (k.tailMs !== undefined) ref.tails.push(k.tailMs);
          note("right after the kill", p.afterKill());
          const rerun = await dqctl(p.args);
          const want = p.rerunCode ? p.rerunCode(ref.code, k) : ref.code;
          if (rerun.code !== want) note("rerun", [`exit ${rerun.code}, expected ${want}: ${rerun.stderr.trim().split("\n")[0] ?? ""}`]);
          note("after the rerun", p.settled());
          note("compared with the reference", o.diff(ref.state, p.state()));
        } finally {
          rmSync(trialDir, { recursive: true, force: true });
        }
        if (seen.length) report.failures.push({ where: `${o.name} trial ${i} (seed ${o.seed}, variant ${v}, SIGKILL at ${delay} ms)`, problems: seen });
      },
      more,
    );
    return report;
  } finally {
    cleanup();
  }
}

/** Assert no trial failed (printing the tally and the first few failures in full) and that the wanted runs were really killed. */
export function expectClean(r: KillReport): void {
  console.log(`  ${r.name}: ${r.killed} of ${r.trials} trials killed mid-run; ${r.windows.join("; ")}`);
  const shown = r.failures
    .slice(0, 4)
    .map((f) => `${f.where}:\n    ${f.problems.slice(0, 10).join("\n    ")}${f.problems.length > 10 ? `\n    … ${f.problems.length - 10} more` : ""}`);
  expect({ failedTrials: r.failures.length, tally: r.tally, first: shown }).toEqual({ failedTrials: 0, tally: {}, first: [] });
  expect(r.killed).toBeGreaterThanOrEqual(r.wanted);
}

/** A command over lakehouse `lh`, checked with the lakehouse checker (`extraDirs` searched for leftover temps too). */
export function onLakehouse(lh: string, args: string[], watch: string, extraDirs: string[] = []): Prepared {
  return {
    args,
    watch,
    afterKill: () => problems(checkLakehouse(lh, { settled: false })),
    settled: () => problems(checkLakehouse(lh, { extraDirs })),
    state: () => captureState(lh),
  };
}

/** diffStates over the `unknown` states killTrials passes around. */
export const diffLakehouse = (ref: unknown, got: unknown) => diffStates(ref as LakehouseState, got as LakehouseState);

/** An ingest of the demo candidates from `source` into `lh` at the demo's now (`more`: extra flags). */
export const demoIngest = (lh: string, source: string, ...more: string[]): string[] => [
  "ingest",
  "--source",
  source,
  "--candidates",
  join(ROOT, "fixtures/demo-candidates.json"),
  ...more,
  "--quiet",
  "--lakehouse",
  lh,
  "--now",
  DEMO_NOW,
];

/** A copy of the demo source differing in every CSV volume (so a --refresh from it rewrites every file it reaches); returns its folder. */
export function altDemoSource(dir: string): string {
  const alt = join(dir, "alt");
  mkdirSync(alt);
  for (const f of readdirSync(DEMO)) {
    const body = readFileSync(join(DEMO, f));
    writeFileSync(join(alt, f), f.endsWith(".csv") ? body.toString().replace(/,(\d+)$/gm, ",$11") : body);
  }
  return alt;
}
