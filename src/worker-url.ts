// Where a worker module is, for `new Worker(...)`. This file sits at the root of src/ on purpose: run from sources its
// URL is src/worker-url.ts, and in the compiled binary (src/cli.ts and the workers are its entrypoints, so src/ is its
// root) the URL is that of the executable at the root of its embedded files — either way `./pipeline/x.ts` resolves to
// the worker, which `bun build --compile` embeds as one more entrypoint (see build.ts).

/** The URL of a worker module, given relative to src/ (e.g. `./pipeline/audit-worker.ts`). */
export function workerUrl(fromSrc: string): string {
  return new URL(fromSrc, import.meta.url).href;
}
