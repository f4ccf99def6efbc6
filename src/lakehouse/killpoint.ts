// Crash tests' kill points: `DQCTL_KILL_AT=<point>[:<n>]` makes the process SIGKILL itself the n-th time (default
// the first) it reaches that point of a commit, so a test lands a kill exactly on a batch boundary instead of at a
// timed instant. Unset (always, outside tests) it is one lookup per commit step.

const spec = process.env.DQCTL_KILL_AT;
const [point, nth] = spec ? [spec.split(":")[0], Number(spec.split(":")[1] ?? 1)] : [undefined, 0];
let hits = 0;

/** Die here, as a SIGKILL would, when DQCTL_KILL_AT names this point (tests of crash recovery only). */
export function killPoint(name: string): void {
  if (point !== name || ++hits < nth) return;
  process.kill(process.pid, "SIGKILL");
}
