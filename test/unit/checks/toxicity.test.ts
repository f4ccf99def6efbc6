import { describe, expect, test } from "bun:test";
import { DEFAULT_MIN_RUN, isStablecoin, priceStall } from "../../../src/checks/price_stall.ts";
import { isToxicFinding, qualityFinding, qualityScore, seriesStatus } from "../../../src/checks/status.ts";
import { toxicReturn } from "../../../src/checks/toxic_return.ts";
import type { CheckInput } from "../../../src/checks/types.ts";
import type { Finding } from "../../../src/model/finding.ts";
import { makeBars, makeInput, makeOptions } from "../../helpers/bars.ts";

const repeat = (x: number, n: number) => Array.from({ length: n }, () => x);
const run = (check: typeof toxicReturn, closes: number[], opts: Record<string, unknown> = {}, bars = {}, input: Partial<CheckInput> = {}) => {
  const i = makeInput(makeBars(closes, bars), input);
  return check.run(i, makeOptions(check.code, opts).at(i.interval));
};

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

  test("a bar split_suspected explains is not a toxic return; other moves still are", () => {
    const closes = [100, 101, 10.1, 10.2, 1020];
    expect(run(toxicReturn, closes)[0]!.metrics!.moves).toBe(2);
    const [f] = run(toxicReturn, closes, {}, {}, { splits: [{ index: 2, factor: 10 }] });
    expect(f!.metrics!.moves).toBe(1);
    expect((f!.details!.moves as { timestamp: string }[])[0]!.timestamp).toBe("2024-01-05T00:00:00.000Z");
    expect(run(toxicReturn, [100, 101, 10.1, 10.2], {}, {}, { splits: [{ index: 2, factor: 10 }] })).toEqual([]);
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

  test("the run scales with the bar: 3 on 1d, 60 on 1m (an hour), 8 on 1h; minRun and byInterval override", () => {
    expect(DEFAULT_MIN_RUN).toEqual({ "1m": 60, "5m": 24, "15m": 16, "30m": 12, "1h": 8, "4h": 6, "1d": 3 });
    const stalled = (zeros: number) => [100, 101, ...repeat(102, zeros + 1)];
    const at = (interval: "1m" | "1h" | "1d", zeros: number, opts = {}) => run(priceStall, stalled(zeros), opts, { stepMs: 60_000 }, { interval });
    expect(at("1m", 59)).toEqual([]);
    expect(at("1m", 60)[0]!.metrics).toMatchObject({ longest: 60, minRun: 60 });
    expect(at("1h", 7)).toEqual([]);
    expect(at("1h", 8)).toHaveLength(1);
    expect(at("1d", 3)).toHaveLength(1);
    expect(at("1m", 5, { minRun: 5 })).toHaveLength(1);
    expect(at("1m", 5, { byInterval: { "1m": { minRun: 5 } } })).toHaveLength(1);
    expect(at("1d", 3, { byInterval: { "1m": { minRun: 5 } } })).toHaveLength(1);
  });

  test("isStablecoin: the base asset decides, not the quote", () => {
    for (const s of ["BINANCE:USDCUSDT", "BINANCE:FDUSDUSDT", "COINBASE:USDC-USD", "BINANCE:USDTTRY", "CRYPTOCAP:USDT", "BINANCE:DAIUSDT"]) {
      expect(isStablecoin(s)).toBe(true);
    }
    for (const s of ["BINANCE:BTCUSDT", "BINANCE:ETHUSDC", "FX:USDTRY", "FX:USDJPY", "NASDAQ:AAPL"]) expect(isStablecoin(s)).toBe(false);
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
