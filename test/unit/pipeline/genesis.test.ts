// The genesis rules on their own: what clears a recorded genesis, and what a backfill or probe answer proves.
import { describe, expect, test } from "bun:test";
import { keptGenesis } from "../../../src/lakehouse/catalog.ts";
import { judgeGenesis } from "../../../src/pipeline/repair.ts";
import type { IncompleteReason } from "../../../src/vendors/types.ts";

const G = "2024-01-02T00:00:00.000Z";
const at = (iso: string) => Date.parse(iso);

describe("keptGenesis: a genesis after the first stored bar is disproved", () => {
  test("kept at or before the first bar, cleared after it, null stays null", () => {
    expect(keptGenesis(G, at(G))).toBe(G);
    expect(keptGenesis(G, at("2024-01-03T00:00:00Z"))).toBe(G);
    expect(keptGenesis(G, at(G) - 1)).toBeNull();
    expect(keptGenesis(null, at(G))).toBeNull();
    expect(keptGenesis(undefined, undefined)).toBeNull();
    expect(keptGenesis(G, undefined)).toBe(G);
  });
});

describe("judgeGenesis: only a complete answer from the start of history with nothing earlier proves it", () => {
  const backfill = { kind: "backfill" as const, fromMs: at(G) - 365 * 86_400_000, toMs: at(G) - 86_400_000 };
  const probe = { kind: "genesis" as const, toMs: backfill.fromMs - 86_400_000 };
  const cut = (reason: IncompleteReason) => ({ reason, detail: "test" });

  test("an empty, complete bounded backfill proves only its window: it calls for the probe", () => {
    expect(judgeGenesis(backfill, false, undefined)).toEqual({ proved: false, probe: true });
  });
  test("an empty, complete probe with no start proves it", () => {
    expect(judgeGenesis(probe, false, undefined)).toEqual({ proved: true, probe: false });
  });
  test("a probe that had a start (not the start of history) proves nothing", () => {
    expect(judgeGenesis({ ...probe, fromMs: 0 }, false, undefined).proved).toBe(false);
  });
  test.each<IncompleteReason>(["history_cap", "page_limit", "partial", "clipped", "unconfirmed_end"])(
    "an answer marked %s proves nothing, asks no probe",
    (r) => {
      for (const f of [backfill, probe]) {
        const v = judgeGenesis(f, false, cut(r));
        expect(v).toMatchObject({ proved: false, probe: false });
        expect(v.why).toContain(r);
      }
    },
  );
  test("earlier bars: no genesis; from the probe that is an outage longer than --backfill-days", () => {
    expect(judgeGenesis(backfill, true, undefined)).toEqual({ proved: false, probe: false });
    expect(judgeGenesis(probe, true, undefined).why).toContain("outage longer than --backfill-days");
  });
});
