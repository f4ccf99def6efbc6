// Deno and Node expose no collection hook by default: leave it to the engine.
/** No-op outside Bun. */
export function collectGarbage(): void {}
