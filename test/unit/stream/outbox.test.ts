// The lakehouse outbox: append-only, crash-safe, bounded, flushed in order. The property: whatever the interleaving
// of appends, failing flushes and crashes between a send and its bookkeeping, every appended event reaches the
// broker, and a broker that drops copies by message id (JetStream) holds each exactly once, in append order.
import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { FileOutbox } from "../../../src/lakehouse/outbox.ts";
import type { StreamEvent } from "../../../src/stream/events.ts";
import { tempDir } from "../../helpers/cli.ts";

const tmp = tempDir("dqctl-outbox-");
afterAll(() => tmp.cleanup());
let n = 0;
const fresh = (max = 1 << 20) => new FileOutbox(join(tmp.dir, `lh${n++}`), max);
const ev = (i: number): StreamEvent => ({ subject: `t.findings.gap`, id: `run.${i}`, data: { i, text: "x".repeat(i % 17) } });

/** A broker that keeps the first copy of each message id (JetStream's duplicate window). */
class Broker {
  readonly kept: string[] = [];
  readonly seen = new Set<string>();
  sends = 0;
  take(batch: readonly StreamEvent[]): void {
    for (const e of batch) {
      this.sends++;
      if (!this.seen.has(e.id)) {
        this.seen.add(e.id);
        this.kept.push(e.id);
      }
    }
  }
}

describe("FileOutbox", () => {
  test("keeps events in order until a flush sends them; then it is empty", async () => {
    const o = fresh();
    expect(await o.append([ev(1), ev(2)])).toMatchObject({ appended: 2, refused: 0 });
    await o.append([ev(3)]);
    expect(await o.pending()).toBe(3);
    const b = new Broker();
    expect(await o.flush(async (batch) => b.take(batch))).toEqual({ sent: 3, left: 0 });
    expect(b.kept).toEqual(["run.1", "run.2", "run.3"]);
    expect(await o.pending()).toBe(0);
  });

  test("a full outbox refuses what does not fit and says how full it is", async () => {
    const one = Buffer.byteLength(`${JSON.stringify(ev(1))}\n`);
    const o = fresh(one * 2 + 1);
    const a = await o.append([ev(1), ev(1), ev(1)].map((e, i) => ({ ...e, id: `x${i}` })));
    expect(a.appended).toBe(2);
    expect(a.refused).toBe(1);
    expect(a.bytes).toBeLessThanOrEqual(a.maxBytes);
  });

  test("a torn last line (an append killed mid-write) is skipped; the next append starts on its own line", async () => {
    const o = fresh();
    await o.append([ev(1)]);
    appendFileSync(join(o.location, "pending.jsonl"), '{"subject":"t.runs","id":"torn"');
    await o.append([ev(2)]);
    expect(readFileSync(join(o.location, "pending.jsonl"), "utf8").split("\n").filter(Boolean)).toHaveLength(3);
    const b = new Broker();
    await o.flush(async (batch) => b.take(batch));
    expect(b.kept).toEqual(["run.1", "run.2"]);
  });

  test("property: appends, failing flushes and crashes after a send lose nothing, and the broker keeps each event once, in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant("append" as const), k: fc.integer({ min: 1, max: 300 }) }),
            // fail after `after` batches; `crash`: the send reached the broker but the process died before the bookkeeping.
            fc.record({ op: fc.constant("flush" as const), after: fc.integer({ min: 0, max: 3 }), crash: fc.boolean() }),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        async (steps) => {
          const o = fresh();
          const b = new Broker();
          let next = 0;
          const appended: string[] = [];
          for (const s of steps) {
            if (s.op === "append") {
              const batch = Array.from({ length: s.k }, () => ev(next++));
              await o.append(batch);
              appended.push(...batch.map((e) => e.id));
              continue;
            }
            let batches = 0;
            const r = await o.flush(async (batch) => {
              if (batches++ >= s.after) {
                if (s.crash) b.take(batch); // it landed; the acknowledgement did not come back
                throw new Error("broker gone");
              }
              b.take(batch);
            });
            expect(r.sent + r.left).toBeGreaterThanOrEqual(0);
          }
          await o.flush(async (batch) => b.take(batch));
          expect(await o.pending()).toBe(0);
          expect(b.kept).toEqual(appended);
        },
      ),
      { seed: 21, numRuns: 40 },
    );
  });
});
