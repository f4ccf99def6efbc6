// Spawn the CLI from the sources (unit suites test the sources; the compiled binary is the e2e suite's concern).
import { join } from "node:path";
import { DEMO, DEMO_NOW, ROOT, type RunResult } from "../../helpers/cli.ts";

/** Run `src/cli.ts` with `args` in `cwd`; DQCTL_* cleared so the run is hermetic. */
export async function dq(args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<RunResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("DQCTL_")) env[k] = v;
  Object.assign(env, { NO_COLOR: "1" }, extraEnv);
  const proc = Bun.spawn([process.execPath, join(ROOT, "src/cli.ts"), ...args], { cwd, env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

/** Build the demo lakehouse at `<cwd>/lh`: ingest the demo fixtures, audit, and optionally snapshot two crypto series. */
export async function buildDemo(cwd: string, opts: { snapshot?: boolean } = {}): Promise<string> {
  const lh = join(cwd, "lh");
  const steps = [
    ["ingest", "--source", DEMO, "--candidates", join(ROOT, "fixtures/demo-candidates.json"), "--lakehouse", lh, "--now", DEMO_NOW, "--quiet"],
    ["audit", "--lakehouse", lh, "--now", DEMO_NOW, "--quiet"],
  ];
  if (opts.snapshot)
    steps.push([
      "snapshot",
      "--lakehouse",
      lh,
      "--now",
      DEMO_NOW,
      "--symbols",
      "BINANCE:BTCUSDT,BINANCE:ETHUSDT",
      "--run-id",
      "r1",
      "--out",
      join(cwd, "runs"),
      "--quiet",
    ]);
  for (const args of steps) {
    const r = await dq(args, cwd);
    if (r.code !== 0) throw new Error(`dqctl ${args[0]} exited ${r.code}: ${r.stderr}`);
  }
  return lh;
}
