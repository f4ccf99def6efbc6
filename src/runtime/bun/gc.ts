// Bun: collect now. Used after a large series so garbage from one file is gone before the next is decoded.
/** Run a synchronous garbage collection. */
export function collectGarbage(): void {
  Bun.gc(true);
}
