import { describe, expect, test } from "bun:test";
import { falseTick, falseTickScore, MAD_TO_SD } from "../../../src/checks/false_tick.ts";
import { isStablecoin, priceStall } from "../../../src/checks/price_stall.ts";
import { isToxicFinding, qualityFinding, qualityScore, seriesStatus } from "../../../src/checks/status.ts";
import { toxicReturn } from "../../../src/checks/toxic_return.ts";
import { meanSd, volumeSpike, volumeThreshold } from "../../../src/checks/volume_spike.ts";
import type { Finding } from "../../../src/model/finding.ts";
import { makeBars, makeInput, makeOptions } from "../../helpers/bars.ts";

const repeat = (x: number, n: number) => Array.from({ length: n }, () => x);
const run = (check: typeof toxicReturn, closes: number[], opts: Record<string, unknown> = {}, bars = {}, input = {}) =>
  check.run(makeInput(makeBars(closes, bars), input), makeOptions(check.code, opts));

describe("toxic_return", () => {
  test("a 100× unit-error block raises it at both edges, the drop included", () => {
    const [f, ...rest] = run(toxicReturn, [100, 101, 102, 1.03, 1.04, 1.02, 103, 104]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("error");
    expect(f!.toxic).toBe(true);
    expect(f!.metrics!.moves).toBe(2);
    const moves = f!.details!.moves as { timestamp: string; prevClose: number; close: number; ratio: number }[];
    expect(moves.map((m) => m.timestamp)).toEqual(["2024-01-04T00:00:00.000Z", "2024-01-07T00:00:00.000Z"]);
    expect(moves[0]).toMatchObject({ prevClose: 102, close: 1.03 });
    expect(moves[1]).toMatchObject({ prevClose: 1.02, close: 103 });
    expect(f!.metrics!.minRatio).toBeCloseTo(1.03 / 102, 12);
    expect(f!.metrics!.maxRatio).toBeCloseTo(103 / 1.02, 12);
  });

  test("a +157,000 % spike is toxic; a 100× drop alone is too", () => {
    expect(run(toxicReturn, [1, 1571])[0]!.toxic).toBe(true);
    expect(run(toxicReturn, [100, 1])[0]!.toxic).toBe(true);
  });

  test("exactly ×6 and ÷6 do not fire", () => {
    expect(run(toxicReturn, [10, 60, 10])).toEqual([]);
  });

  test("pairs with a bad close are bad_value's, not a return", () => {
    expect(run(toxicReturn, [100, 0, 100, Number.NaN, 1000, Infinity, -5, 100])).toEqual([]);
  });

  test("maxRatio is configurable", () => {
    expect(run(toxicReturn, [10, 40], { maxRatio: 3 })).toHaveLength(1);
    expect(run(toxicReturn, [10, 40])).toEqual([]);
  });
});

describe("volume_spike", () => {
  test("volume [100]×20 then 5000 → toxic (sd 0, above 2 × mean)", () => {
    const [f] = run(volumeSpike, repeat(100, 21), {}, { volume: [...repeat(100, 20), 5000] });
    expect(f!.severity).toBe("error");
    expect(f!.toxic).toBe(true);
    expect(f!.details!.latest).toEqual({ timestamp: "2024-01-21T00:00:00.000Z", volume: 5000, mean: 100, sd: 0, threshold: 200 });
  });

  test("sd 0: exactly 2 × mean does not fire", () => {
    expect(run(volumeSpike, repeat(100, 21), {}, { volume: [...repeat(100, 20), 200] })).toEqual([]);
  });

  test("an earlier spike is a warning, not toxic", () => {
    const volume = [...repeat(100, 20), 5000, ...repeat(100, 3)];
    const [f] = run(volumeSpike, repeat(100, volume.length), {}, { volume });
    expect(f!.severity).toBe("warning");
    expect(f!.toxic).toBeUndefined();
    expect(f!.metrics!.spikes).toBe(1);
    expect(f!.details!.latest).toBeUndefined();
  });

  test("mean + 10 sd of a varying window, with the evidence to judge it", () => {
    const window = [90, 110, 90, 110, 90, 110, 90, 110, 90, 110, 90, 110, 90, 110, 90, 110, 90, 110, 90, 110];
    expect(meanSd(window)).toEqual({ mean: 100, sd: 10 });
    expect(volumeThreshold(window)).toBe(200);
    expect(run(volumeSpike, repeat(1, 21), {}, { volume: [...window, 200] })).toEqual([]);
    const [f] = run(volumeSpike, repeat(1, 21), {}, { volume: [...window, 201] });
    expect(f!.details!.latest).toMatchObject({ volume: 201, mean: 100, sd: 10, threshold: 200 });
  });

  test("a constant window of 0.1 has sd exactly 0 (no spurious sd from rounding)", () => {
    expect(meanSd(repeat(0.1, 20))).toEqual({ mean: 0.1, sd: 0 });
    expect(run(volumeSpike, repeat(1, 21), {}, { volume: [...repeat(0.1, 20), 0.11] })).toEqual([]);
  });

  test("bars without a full window are not judged", () => {
    expect(run(volumeSpike, repeat(1, 20), {}, { volume: [...repeat(100, 19), 1e9] })).toEqual([]);
  });

  test("window and sigmas are configurable", () => {
    const volume = [10, 12, 10, 12, 30];
    expect(run(volumeSpike, repeat(1, 5), { window: 4, sigmas: 3 }, { volume })).toHaveLength(1);
  });
});

describe("price_stall", () => {
  test("closes [100,101,102,102,102,102] end stalled → error, toxic", () => {
    const [f] = run(priceStall, [100, 101, 102, 102, 102, 102]);
    expect(f!.severity).toBe("error");
    expect(f!.toxic).toBe(true);
    expect(f!.details!.runs).toEqual([{ from: "2024-01-03T00:00:00.000Z", to: "2024-01-06T00:00:00.000Z", length: 3, price: 102 }]);
  });

  test("closes [100,101,102,101,102,103] do not stall", () => {
    expect(run(priceStall, [100, 101, 102, 101, 102, 103])).toEqual([]);
  });

  test("two zero changes do not stall; an earlier stall is a warning", () => {
    expect(run(priceStall, [100, 102, 102, 102, 103])).toEqual([]);
    const [f] = run(priceStall, [100, 102, 102, 102, 102, 103]);
    expect(f!.severity).toBe("warning");
    expect(f!.toxic).toBeUndefined();
  });

  test("stablecoins are exempt: by ticker, by the instrument flag, by a configured list", () => {
    const frozen = repeat(1, 10);
    expect(run(priceStall, frozen, {}, {}, { symbol: "BINANCE:USDCUSDT" })).toEqual([]);
    expect(run(priceStall, frozen, {}, {}, { symbol: "BINANCE:FDUSDUSDT" })).toEqual([]);
    expect(run(priceStall, frozen, {}, {}, { symbol: "KRAKEN:XYZUSD", stablecoin: true })).toEqual([]);
    expect(run(priceStall, frozen, { stablecoins: ["XYZ"] }, {}, { symbol: "KRAKEN:XYZUSD" })).toEqual([]);
    expect(run(priceStall, frozen, {}, {}, { symbol: "KRAKEN:XYZUSD" })).toHaveLength(1);
  });

  test("isStablecoin: the base asset decides, not the quote", () => {
    for (const s of ["BINANCE:USDCUSDT", "BINANCE:FDUSDUSDT", "COINBASE:USDC-USD", "BINANCE:USDTTRY", "CRYPTOCAP:USDT", "BINANCE:DAIUSDT"]) {
      expect(isStablecoin(s)).toBe(true);
    }
    for (const s of ["BINANCE:BTCUSDT", "BINANCE:ETHUSDC", "FX:USDTRY", "FX:USDJPY", "NASDAQ:AAPL"]) expect(isStablecoin(s)).toBe(false);
  });
});

describe("false_tick", () => {
  test("closes [100]×10, 150, [100.5]×5 with window 10 → exactly one false tick, at index 10", () => {
    const closes = [...repeat(100, 10), 150, ...repeat(100.5, 5)];
    const findings = run(falseTick, closes, { window: 10 });
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.metrics!.ticks).toBe(1);
    const [tick] = f.details!.ticks as Record<string, number | string>[];
    expect(tick).toMatchObject({ timestamp: "2024-01-11T00:00:00.000Z", close: 150, median: 100, mad: 0, jump: 0.5 });
    // MAD 0: the floor keeps z finite, so the JSON stays valid.
    expect(Number.isFinite(tick!.z)).toBe(true);
    expect(JSON.parse(JSON.stringify(f)).details.ticks[0].z).toBe(tick!.z);
  });

  test("a high z alone is not a false tick: the jump must reach 2 %", () => {
    const baseline = Array.from({ length: 20 }, (_, i) => 100 + (i % 2) * 0.01);
    const s = falseTickScore(baseline, 101);
    expect(s.z).toBeGreaterThan(6);
    expect(s.jump).toBeLessThan(0.02);
    expect(run(falseTick, [...baseline, 101])).toEqual([]);
  });

  test("a big jump alone is not a false tick: z must reach 6", () => {
    const baseline = Array.from({ length: 20 }, (_, i) => (i % 2 ? 80 : 120));
    const s = falseTickScore(baseline, 110);
    expect(s.jump).toBeGreaterThan(0.02);
    expect(s.z).toBeLessThan(6);
    expect(run(falseTick, [...baseline, 110])).toEqual([]);
  });

  test("warning between the thresholds, error at 1.5 × z or 3 × jump", () => {
    const baseline = Array.from({ length: 20 }, (_, i) => (i % 2 ? 199.5 : 200.5)); // median 200, MAD 0.5
    expect(falseTickScore(baseline, 205)).toMatchObject({ median: 200, mad: 0.5, scale: MAD_TO_SD * 0.5 });
    const severity = (close: number, opts = {}) => run(falseTick, [...baseline, close], opts)[0]!.severity;
    expect(severity(205)).toBe("warning"); // z 6.7, jump 2.5 %
    expect(severity(208)).toBe("error"); // z 10.8 ≥ 9, jump 4 % < 6 %
    expect(severity(220, { errorZMultiple: 1e9 })).toBe("error"); // jump 10 % ≥ 6 %
    expect(severity(220, { errorZMultiple: 1e9, errorJumpMultiple: 1e9 })).toBe("warning");
  });

  test("a real level shift is not a run of false ticks forever", () => {
    expect(run(falseTick, [...repeat(100, 20), ...repeat(120, 30)])).toEqual([]);
  });

  test("a shift still in progress at the end is flagged (it cannot be told from bad ticks yet)", () => {
    const [f] = run(falseTick, [...repeat(100, 20), ...repeat(120, 3)]);
    expect(f!.metrics!.ticks).toBe(3);
  });
});

describe("status and quality score", () => {
  const f = (code: string, severity: Finding["severity"], toxic?: boolean): Finding => ({ code, severity, message: code, ...(toxic ? { toxic } : {}) });

  test("missing, else toxic, else stale, else degraded, else healthy", () => {
    expect(seriesStatus([f("toxic_return", "error", true), f("missing", "error")])).toBe("missing");
    expect(seriesStatus([f("stale", "error"), f("toxic_return", "error", true)])).toBe("toxic");
    expect(seriesStatus([f("gap", "warning"), f("stale", "error")])).toBe("stale");
    expect(seriesStatus([f("gap", "warning")])).toBe("degraded");
    expect(seriesStatus([])).toBe("healthy");
  });

  test("a toxic flag on a warning does not make the asset toxic", () => {
    expect(isToxicFinding(f("volume_spike", "warning", true))).toBe(false);
    expect(seriesStatus([f("volume_spike", "warning", true)])).toBe("degraded");
  });

  test("quality score: the lower of coverage and freshness, clamped, 4 decimals", () => {
    expect(qualityScore(0.95, 0.5)).toBe(0.5);
    expect(qualityScore(1.2, 1)).toBe(1);
    expect(qualityScore(-0.1, 1)).toBe(0);
    expect(qualityScore(2 / 3, 1)).toBe(0.6667);
    expect(qualityScore(Number.NaN, 1)).toBe(0);
  });

  test("quality finding: warning below 0.85, error below 0.6", () => {
    const opts = makeOptions("quality_score");
    const input = { symbol: "NYSE:IBM", interval: "1d" as const };
    expect(qualityFinding(input, 0.85, opts)).toBeUndefined();
    expect(qualityFinding(input, 0.8499, opts)!.severity).toBe("warning");
    expect(qualityFinding(input, 0.6, opts)!.severity).toBe("warning");
    expect(qualityFinding(input, 0.5999, opts)!.severity).toBe("error");
    expect(qualityFinding(input, 0.7, makeOptions("quality_score", { warn: 0.5 }))).toBeUndefined();
    expect(qualityFinding(input, 0.1, makeOptions("quality_score", { severity: "off" }))).toBeUndefined();
  });
});
