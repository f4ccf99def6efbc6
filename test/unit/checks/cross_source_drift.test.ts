// cross_source_drift: (max − min) ÷ max of one bar's closes across vendors; warning above warn, error above tolerance.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { crossSourceDrift } from "../../../src/checks/cross_source_drift.ts";
import { ALL_CHECKS, resolveCheckOptions, runChecks } from "../../../src/checks/index.ts";
import type { SourceBars } from "../../../src/checks/types.ts";
import type { Config } from "../../../src/config/schema.ts";
import { makeBars, makeInput, makeOptions } from "../../helpers/bars.ts";

const src = (vendor: string, closes: readonly number[]): SourceBars => ({ vendor, bars: makeBars(closes) });
const run = (sources: SourceBars[], values: Record<string, unknown> = {}) =>
  crossSourceDrift.run(makeInput(makeBars([]), { symbol: "FX:EURUSD", profile: "forex", sources }), makeOptions("cross_source_drift", values));
const sev = (a: number, b: number, values?: Record<string, unknown>) => run([src("yahoo", [a]), src("fred", [b])], values).map((f) => f.severity);

describe("cross_source_drift boundaries (defaults warn 1 %, tolerance 2 %)", () => {
  test("exactly warn is no finding; just above it a warning", () => {
    expect(sev(100, 99)).toEqual([]); // (100 − 99) ÷ 100 = 0.01
    expect(sev(100, 98.999)).toEqual(["warning"]);
  });

  test("exactly tolerance is a warning; just above it an error", () => {
    expect(sev(100, 98)).toEqual(["warning"]); // 0.02
    expect(sev(100, 97.999)).toEqual(["error"]);
  });

  test("options move both edges; a warn above the tolerance is capped at it; severity sets the warning tier", () => {
    expect(sev(100, 95, { warn: 0.05, tolerance: 0.1 })).toEqual([]);
    expect(sev(100, 94, { warn: 0.05, tolerance: 0.1 })).toEqual(["warning"]);
    expect(sev(100, 89, { warn: 0.05, tolerance: 0.1 })).toEqual(["error"]);
    expect(sev(100, 96, { warn: 0.5, tolerance: 0.03 })).toEqual(["error"]);
    expect(sev(100, 98.5, { severity: "error" })).toEqual(["error"]);
  });

  test("nothing to compare: one vendor, a bar only one vendor has, a NaN close, a non-positive reference", () => {
    expect(run([src("yahoo", [1, 2, 3])])).toEqual([]);
    const later: SourceBars = { vendor: "fred", bars: makeBars([5], { start: "2024-02-01" }) };
    expect(run([src("yahoo", [1]), later])).toEqual([]);
    expect(run([src("yahoo", [1]), src("fred", [Number.NaN])])).toEqual([]);
    expect(run([src("yahoo", [0]), src("fred", [-1])])).toEqual([]);
  });

  test("the worst bar is named, every offending bar listed worst first, counts complete", () => {
    const [f] = run([src("yahoo", [100, 100, 100]), src("fred", [98.5, 100, 90]), src("file", [100, 100, 100])]);
    expect(f!.severity).toBe("error");
    expect(f!.metrics).toMatchObject({ bars: 2, errorBars: 1, comparedBars: 3, maxDrift: 0.1 });
    expect((f!.details!.bars as { timestamp: string }[]).map((b) => b.timestamp)).toEqual(["2024-01-03T00:00:00.000Z", "2024-01-01T00:00:00.000Z"]);
    expect(f!.message).toContain("(yahoo 100 vs fred 90 vs file 100)");
  });

  test("property: the verdict does not depend on the vendors' order (seeded)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 2, maxLength: 5 }), (closes) => {
        const sources = closes.map((c, i) => src(`v${i}`, [c]));
        const a = run(sources)[0];
        const b = run([...sources].reverse())[0];
        expect(b?.severity).toBe(a?.severity);
        expect(b?.metrics?.maxDrift).toBe(a?.metrics?.maxDrift);
        const max = Math.max(...closes);
        const drift = (max - Math.min(...closes)) / max;
        expect(a?.severity).toBe(drift > 0.02 ? "error" : drift > 0.01 ? "warning" : undefined);
      }),
      { seed: 2024, numRuns: 300 },
    );
  });

  test("runChecks runs it for a stitched series (sources given) with the config's per-class options", () => {
    const config = { checks: { cross_source_drift: { byClass: { forex: { tolerance: 0.5 } } } } } as unknown as Config;
    const input = makeInput(makeBars([100]), { symbol: "FX:EURUSD", profile: "forex", sources: [src("yahoo", [100]), src("fred", [95])] });
    const only = ALL_CHECKS.filter((c) => c.code === "cross_source_drift");
    expect(runChecks(input, resolveCheckOptions(config), only).map((f) => f.severity)).toEqual(["warning"]);
    expect(runChecks({ ...input, profile: "crypto" }, resolveCheckOptions(config), only).map((f) => f.severity)).toEqual(["error"]);
  });
});
