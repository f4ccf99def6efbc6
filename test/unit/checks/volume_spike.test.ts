import { describe, expect, test } from "bun:test";
import { gauss, rng } from "../../../bench/gbm.ts";
import { robustStats } from "../../../src/checks/robust.ts";
import type { CheckInput } from "../../../src/checks/types.ts";
import { VOLUME_SPIKE_DEFAULTS, volumeSpike } from "../../../src/checks/volume_spike.ts";
import { makeBars, makeInput, makeOptions } from "../../helpers/bars.ts";

/** `n` lognormal volumes with log-sd `sd` around 1e6, seeded. */
function volumes(n: number, sd = 0.5, seed = 3): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.round(1e6 * Math.exp(sd * gauss(r))));
}

const run = (volume: number[], opts: Record<string, unknown> = {}, input: Partial<CheckInput> = {}) =>
  volumeSpike.run(
    makeInput(
      makeBars(
        volume.map(() => 100),
        { volume },
      ),
      input,
    ),
    makeOptions("volume_spike", opts),
  );
const median20 = (v: number[]) => Math.exp(robustStats(v.slice(-20).map(Math.log), 0).median);

describe("volume_spike: log volume against the median and MAD of the previous 20 bars", () => {
  test("defaults are the documented ones", () => {
    expect(VOLUME_SPIKE_DEFAULTS).toEqual({ window: 20, sigmas: 6, minMultiple: 10, minActive: 0.5, scaleFloor: 0.1 });
  });

  test("an earnings day (3, 5, 8 × the usual volume) on the latest bar is no finding, even in a quiet series", () => {
    for (const sd of [0.1, 0.3, 0.5]) {
      const v = volumes(40, sd);
      for (const m of [3, 5, 8]) expect(run([...v, median20(v) * m])).toEqual([]);
    }
  });

  test("100 × the usual volume on the latest bar is an error and toxic, with its evidence", () => {
    const v = volumes(40, 0.3);
    const [f] = run([...v, median20(v) * 100]);
    expect(f!.severity).toBe("error");
    expect(f!.toxic).toBe(true);
    const latest = f!.details!.latest as { timestamp: string; multiple: number; z: number; median: number };
    expect(latest.timestamp).toBe("2024-02-10T00:00:00.000Z");
    expect(latest.multiple).toBeCloseTo(100, 3);
    expect(latest.z).toBeGreaterThan(6);
    expect(f!.metrics).toEqual({ spikes: 1, window: 20, sigmas: 6, minMultiple: 10 });
  });

  test("an earlier spike is a warning, not toxic", () => {
    const v = volumes(60, 0.3);
    v[40] = median20(v.slice(0, 40)) * 200;
    const [f] = run(v);
    expect(f!.severity).toBe("warning");
    expect(f!.toxic).toBeUndefined();
    expect(f!.details!.latest).toBeUndefined();
    expect(f!.metrics!.spikes).toBe(1);
  });

  test("a noisy series needs more than 10 ×: 6 robust σ of its log volume", () => {
    const v = volumes(40, 0.9, 11);
    expect(run([...v, median20(v) * 20])).toEqual([]);
    expect(run([...v, median20(v) * 20], { sigmas: 2 })).toHaveLength(1);
  });

  test("a constant window: 10 × the volume fires (the scale floor), just under it does not", () => {
    const flat = Array.from({ length: 20 }, () => 100);
    expect(run([...flat, 999])).toEqual([]);
    expect(run([...flat, 1000])[0]!.toxic).toBe(true);
  });

  test("a series without volume (FX) is never judged: its first bar with volume is not a spike against nothing", () => {
    const zero = Array.from({ length: 40 }, () => 0);
    expect(run([...zero, 1000])).toEqual([]);
    expect(run([...zero, 1000, 1000, 5e6])).toEqual([]);
    // Fewer than half the window's bars with volume: not judged either; half of them: judged on those.
    const sparse = Array.from({ length: 20 }, (_, i) => (i % 20 < 9 ? 100 : 0));
    expect(run([...sparse, 1e6])).toEqual([]);
    const half = Array.from({ length: 20 }, (_, i) => (i < 10 ? 100 : 0));
    expect(run([...half, 1e6])[0]!.toxic).toBe(true);
  });

  test("bars without a full window are not judged; window and minMultiple are configurable", () => {
    expect(run([...Array.from({ length: 19 }, () => 100), 1e9])).toEqual([]);
    expect(run([10, 10, 10, 10, 50], { window: 4, minMultiple: 5 })).toHaveLength(1);
    expect(run([10, 10, 10, 10, 50], { window: 4 })).toEqual([]);
  });

  test("after a split the volumes before it count split-adjusted: the step up is not a run of spikes", () => {
    const v = [...Array.from({ length: 30 }, () => 100), ...Array.from({ length: 15 }, () => 1000)];
    const unmarked = run(v);
    expect(unmarked[0]!.metrics!.spikes).toBeGreaterThan(1);
    expect(unmarked[0]!.severity).toBe("warning");
    expect(run(v, {}, { splits: [{ index: 30, factor: 10 }] })).toEqual([]);
  });
});
