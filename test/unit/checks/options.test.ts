import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ALL_CHECKS, resolveCheckOptions, runChecks } from "../../../src/checks/index.ts";
import { checkOptions, OPTION_PRECEDENCE, type OptionScope } from "../../../src/checks/types.ts";
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

describe("option resolution per interval, class and symbol", () => {
  // One value per layer, so the answer names the layer that won.
  const layered = cfg({
    gap: {
      maxGapSessions: 1,
      byInterval: { "1m": { maxGapSessions: 2 } },
      byClass: {
        crypto: { maxGapSessions: 3, byInterval: { "1m": { maxGapSessions: 4 } } },
        stablecoin: { maxGapSessions: 5, byInterval: { "1m": { maxGapSessions: 6 } } },
      },
      bySymbol: { "BINANCE:USDCUSDT": { maxGapSessions: 7, byInterval: { "1m": { maxGapSessions: 8 } } } },
    },
  });
  const gap = checkOptions(layered, "gap");
  const read = (s: OptionScope) => gap.scope(s).number("maxGapSessions", 0);

  test("OPTION_PRECEDENCE: symbol beats class beats the check's own; within a scope the interval's layer wins", () => {
    expect(read({ interval: "1d" })).toBe(1);
    expect(read({ interval: "1m" })).toBe(2);
    expect(read({ interval: "1d", profile: "crypto" })).toBe(3);
    expect(read({ interval: "1m", profile: "crypto" })).toBe(4);
    expect(read({ interval: "1d", profile: "crypto", assetClass: "stablecoin" })).toBe(5);
    expect(read({ interval: "1m", profile: "crypto", assetClass: "stablecoin" })).toBe(6);
    expect(read({ interval: "1d", profile: "crypto", assetClass: "stablecoin", symbol: "BINANCE:USDCUSDT" })).toBe(7);
    expect(read({ interval: "1m", profile: "crypto", assetClass: "stablecoin", symbol: "BINANCE:USDCUSDT" })).toBe(8);
    // A class or symbol that has no layer falls through to the next one down.
    expect(read({ interval: "1m", profile: "equity", assetClass: "stock", symbol: "NYSE:AAPL" })).toBe(2);
    expect(OPTION_PRECEDENCE).toHaveLength(8);
  });

  test("at(interval) keeps the symbol and class a view was scoped to", () => {
    const s = gap.scope({ interval: "1d", profile: "crypto", symbol: "BINANCE:USDCUSDT" });
    expect(s.at("1m").number("maxGapSessions", 0)).toBe(8);
    expect(s.at("1d").number("maxGapSessions", 0)).toBe(7);
  });

  test("flags sit above every layer", () => {
    const o = checkOptions(layered, "gap", { maxGapSessions: 99 });
    expect(o.scope({ interval: "1m", profile: "crypto", symbol: "BINANCE:USDCUSDT" }).number("maxGapSessions", 0)).toBe(99);
  });

  test("runChecks reads each series' own view: byClass by assetClass, bySymbol by id", () => {
    const options = resolveCheckOptions({
      ...cfg({ flat_prices: { byClass: { etf: { severity: "off" } }, bySymbol: { "NYSE:SPY": { severity: "error" } } } }),
      instruments: { "NYSE:IVV": { assetClass: "etf" } }, // a class must exist to be configured
    });
    const flat = ALL_CHECKS.filter((c) => c.code === "flat_prices");
    const bars = makeBars([5, 5, 5]);
    const sev = (over: Record<string, unknown>) => runChecks(makeInput(bars, over), options, flat).map((f) => f.severity);
    expect(sev({ symbol: "NYSE:IVV", profile: "equity", assetClass: "etf" })).toEqual([]);
    expect(sev({ symbol: "NYSE:IVV", profile: "equity" })).toEqual(["warning"]);
    expect(sev({ symbol: "NYSE:SPY", profile: "equity", assetClass: "etf" })).toEqual(["error"]); // the symbol's layer beats its class's
  });

  // An independent model of OPTION_PRECEDENCE: rank = 2 × scope (all 0, profile 1, assetClass 2, symbol 3) + interval.
  type Entry = { kind: 0 | 1 | 2 | 3; name: string; interval: "1m" | "1d" | undefined; value: number };
  const names = { 1: ["crypto", "equity"], 2: ["stablecoin", "etf"], 3: ["BINANCE:USDCUSDT", "NYSE:SPY"] } as const;
  const entry = fc.record({
    kind: fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<Entry["kind"]>,
    pick: fc.nat(1),
    interval: fc.constantFrom("1m", "1d", undefined) as fc.Arbitrary<Entry["interval"]>,
    value: fc.integer({ min: 1, max: 1000 }),
  });
  function build(entries: readonly Entry[]): Record<string, unknown> {
    const root: Record<string, any> = {};
    const slot = (o: Record<string, any>, k: string) => (o[k] ??= {});
    for (const e of entries) {
      let at = root;
      if (e.kind === 1 || e.kind === 2) at = slot(slot(root, "byClass"), e.name);
      if (e.kind === 3) at = slot(slot(root, "bySymbol"), e.name);
      if (e.interval) at = slot(slot(at, "byInterval"), e.interval);
      at.maxGapSessions = e.value;
    }
    return root;
  }
  function model(entries: readonly Entry[], s: Required<OptionScope>): number | undefined {
    const final = new Map<string, Entry>();
    for (const e of entries) final.set(`${e.kind}|${e.kind ? e.name : ""}|${e.interval}`, e); // a later write wins its slot
    let best: { rank: number; value: number } | undefined;
    for (const e of final.values()) {
      const matches =
        e.kind === 0 || (e.kind === 1 && e.name === s.profile) || (e.kind === 2 && e.name === s.assetClass) || (e.kind === 3 && e.name === s.symbol);
      if (!matches || (e.interval !== undefined && e.interval !== s.interval)) continue;
      const rank = 2 * e.kind + (e.interval ? 1 : 0);
      if (!best || rank > best.rank) best = { rank, value: e.value };
    }
    return best?.value;
  }

  test("property: resolution is deterministic and the most specific configured layer wins (seeded)", () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 12 }),
        fc.record({ interval: fc.constantFrom("1m", "1d"), p: fc.nat(1), a: fc.nat(1), y: fc.nat(1) }),
        (raw, q) => {
          const entries: Entry[] = raw.map((r) => ({ kind: r.kind, name: r.kind ? names[r.kind][r.pick]! : "", interval: r.interval, value: r.value }));
          // Profiles and asset classes are disjoint names here, so each layer is one object.
          const scope = { interval: q.interval as "1m" | "1d", profile: names[1][q.p]! as "crypto", assetClass: names[2][q.a]!, symbol: names[3][q.y]! };
          const config = cfg({ gap: build(entries) });
          const got = checkOptions(config, "gap").scope(scope).number("maxGapSessions", -1);
          expect(got).toBe(model(entries, scope) ?? -1);
          // Deterministic: the same answer again, and from a copy with every object's keys in reverse order.
          const reversed = (x: unknown): unknown =>
            x && typeof x === "object"
              ? Object.fromEntries(
                  Object.entries(x)
                    .reverse()
                    .map(([k, v]) => [k, reversed(v)]),
                )
              : x;
          expect(checkOptions(config, "gap").scope(scope).number("maxGapSessions", -1)).toBe(got);
          expect(
            checkOptions(reversed(config) as Config, "gap")
              .scope(scope)
              .number("maxGapSessions", -1),
          ).toBe(got);
        },
      ),
      { seed: 1717, numRuns: 400 },
    );
  });

  test("bad scoped layers fail before any file is read, naming the key", () => {
    const bad =
      (checks: Record<string, unknown>, config: Partial<Config> = {}) =>
      () =>
        resolveCheckOptions({ ...cfg(checks), ...config });
    expect(bad({ gap: { byClass: { cryto: { maxGapSessions: 2 } } } })).toThrow(
      /checks\.gap\.byClass\.cryto: no profile or instrument assetClass is "cryto" \(did you mean crypto\?\)/,
    );
    expect(bad({ gap: { byClass: { etf: {} } } }, { instruments: { "NYSE:SPY": { assetClass: "etf" } } })).not.toThrow();
    expect(bad({ gap: { bySymbol: { "nyse:spy": {} } } })).toThrow(/checks\.gap\.bySymbol\.nyse:spy: write the id as NYSE:SPY/);
    expect(bad({ gap: { bySymbol: { SPY: {} } } })).toThrow(/checks\.gap\.bySymbol\.SPY: not a dqctl id/);
    expect(bad({ gap: { bySymbol: { "NYSE:SPY": { maxGapSessions: "x" } } } })).toThrow(/checks\.gap\.bySymbol\.NYSE:SPY\.maxGapSessions: expected a number/);
    expect(bad({ gap: { byClass: { crypto: { byInterval: { "1m": { maxGapSessions: [] } } } } } })).not.toThrow(); // lists are read (and checked) lazily
    expect(bad({ gap: { byClass: { crypto: { bySymbol: {} } } } })).toThrow(/checks\.gap\.byClass\.crypto\.bySymbol: bySymbol does not nest here/);
    expect(bad({ gap: { bySymbol: { "NYSE:SPY": { byInterval: { "1m": { byInterval: {} } } } } } })).toThrow(/does not nest/);
  });
});
