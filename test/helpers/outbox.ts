// What every store's full outbox must show (the lakehouse's file, PostgreSQL's table): a run that still succeeds,
// the events past the bound counted as lost in the summary and on stderr.
import { expect } from "bun:test";
import { assertSummary, type RunResult } from "./cli.ts";

/** Assert `r` met a full outbox as it should; returns its summary's `stream` section. */
export function expectFullOutbox(r: RunResult): { events: number; outboxed: number; refused: number } {
  expect(r.code).toBe(0);
  const s = assertSummary(r.json()).stream;
  expect(s.refused).toBeGreaterThan(0);
  expect(s.outboxed + s.refused).toBe(s.events);
  expect(r.stderr).toContain("outbox full");
  expect(r.stderr).toContain("LOST");
  return s;
}
