import { readdirSync, readFileSync } from "node:fs";

// DQCTL_TRACE=1: where a run's time goes, one line per phase on stderr ("trace main +812.4 ms audit: checked"), in
// ms since the process started — worker threads included (the pool sends them the main thread's time origin), so
// their lines sit on the same clock. Off by default: a plain run pays one environment lookup.

const on = process.env.DQCTL_TRACE === "1";
let origin = performance.timeOrigin;
let thread = "main";

/** True when DQCTL_TRACE=1 (callers skip building costly trace text otherwise). */
export const tracing = (): boolean => on;

/** In a worker: name its lines and put them on the main thread's clock (`mainOrigin`: its performance.timeOrigin). */
export function traceThread(name: string, mainOrigin: number): void {
  thread = name;
  origin = mainOrigin;
}

/** The time origin a worker is sent so its trace lines share the main thread's clock. */
export const traceOrigin = (): number => origin;

/** This thread's CPU time (user+sys, ms) where Linux tells it (/proc/thread-self/stat), else undefined. */
function threadCpuMs(): number | undefined {
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Print one phase line when tracing: the clock, this thread's CPU time, what happened. */
export function trace(what: string): void {
  if (!on) return;
  const ms = performance.timeOrigin + performance.now() - origin;
  const cpu = threadCpuMs();
  process.stderr.write(`trace ${thread} +${ms.toFixed(1)} ms${cpu === undefined ? "" : ` (thread cpu ${cpu.toFixed(0)} ms)`} ${what}\n`);
}

/** When tracing on Linux: every thread of the process with its CPU time (JIT and GC helpers included). */
export function traceThreads(): void {
  if (!on) return;
  try {
    const rows: string[] = [];
    for (const tid of readdirSync("/proc/self/task")) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ms = ((Number(f[11]) + Number(f[12])) * 1000) / 100;
      if (ms > 0) rows.push(`${name} ${ms.toFixed(0)}`);
    }
    trace(`threads (cpu ms): ${rows.join(", ")}`);
  } catch {
    // not Linux: nothing to add
  }
}
