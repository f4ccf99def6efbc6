import { describe, expect, test } from "bun:test";
import { ALL_CHECKS, resolveCheckOptions, runChecks } from "../../../src/checks/index.ts";
import { checkOptions } from "../../../src/checks/types.ts";
import type { Config } from "../../../src/config/schema.ts";
import { ConfigError } from "../../../src/errors.ts";
import { makeBars, makeInput } from "../../helpers/bars.ts";

const cfg = (checks: Record<string, unknown>) => ({ checks }) as unknown as Config;

describe("check options: byInterval overrides, lists of numbers, validation", () => {
  test("byInterval[interval] wins for that interval only; the check's own key for the others; then the default", () => {
    const o = checkOptions(cfg({ price_stall: { minRun: 4, byInterval: { "1m": { minRun: 90 }, "1h": { severity: "error" } } } }), "price_stall");
    expect(o.at("1m").number("minRun", 3)).toBe(90);
    expect(o.at("5m").number("minRun", 3)).toBe(4);
    expect(o.number("minRun", 3)).toBe(4);
    expect(o.at("1h").severity("warning")).toBe("error");
    expect(o.at("1d").severity("warning")).toBe("warning");
    expect(o.at("1m").has("minRun")).toBe(true);
    expect(checkOptions(cfg({}), "price_stall").at("1m").has("minRun")).toBe(false);
    expect(o.at("1m").at("1d").number("minRun", 3)).toBe(4);
  });

  test("severity off for one interval disables the check there (runChecks uses the interval's view)", () => {
    const options = resolveCheckOptions(cfg({ flat_prices: { byInterval: { "1d": { severity: "off" } } } }));
    const bars = makeBars([5, 5, 5]);
    const flat = ALL_CHECKS.filter((c) => c.code === "flat_prices");
    expect(runChecks(makeInput(bars), options, flat)).toEqual([]);
    expect(runChecks(makeInput(bars, { interval: "1h" }), options, flat).map((f) => f.code)).toEqual(["flat_prices"]);
  });

  test("lists of numbers are accepted (split factors) and type-checked when read", () => {
    const o = checkOptions(cfg({ split_suspected: { factors: [2, 3], bad: ["x"] } }), "split_suspected");
    expect(o.numbers("factors", [5])).toEqual([2, 3]);
    expect(o.numbers("other", [5])).toEqual([5]);
    expect(() => o.numbers("bad", [])).toThrow(/checks\.split_suspected\.bad: expected a list of numbers/);
  });

  test("bad values fail before any file is read, naming the key", () => {
    const bad = (checks: Record<string, unknown>) => () => resolveCheckOptions(cfg(checks));
    expect(bad({ price_stall: { byInterval: { "2m": { minRun: 4 } } } })).toThrow(/checks\.price_stall\.byInterval\.2m: unknown interval/);
    expect(bad({ price_stall: { byInterval: [] } })).toThrow(/checks\.price_stall\.byInterval: expected an object keyed by interval/);
    expect(bad({ price_stall: { byInterval: { "1m": 5 } } })).toThrow(/byInterval\.1m: expected an object of options/);
    expect(bad({ price_stall: { byInterval: { "1m": { minRun: "many" } } } })).toThrow(/checks\.price_stall\.byInterval\.1m\.minRun: expected a number/);
    expect(bad({ price_stall: { byInterval: { "1m": { severity: "loud" } } } })).toThrow(/byInterval\.1m\.severity: expected "warning", "error" or "off"/);
    expect(bad({ price_stall: { byInterval: { "1m": { byInterval: {} } } } })).toThrow(/does not nest/);
    expect(bad({ split_suspected: { factors: [2, "3"] } })).toThrow(ConfigError);
    expect(bad({ split_suspected: { factors: [2, 3] }, off_tick: { tolerance: 0.01 } })).not.toThrow();
  });

  test("the new checks are known codes", () => {
    const codes = ALL_CHECKS.map((c) => c.code);
    expect(codes).toContain("split_suspected");
    expect(codes).toContain("off_tick");
    expect(codes.indexOf("split_suspected")).toBeLessThan(codes.indexOf("toxic_return"));
  });
});
