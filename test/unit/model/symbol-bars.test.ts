import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../../src/errors.ts";
import { barsEqual, mergeBars, normalizeBars, revisedBars } from "../../../src/model/bars.ts";
import { parseInterval } from "../../../src/model/interval.ts";
import { fileStem, parseSymbol, parseSymbolList, resolveProfile } from "../../../src/model/symbol.ts";
import { dailyBars } from "../../helpers/bars-data.ts";

describe("symbols", () => {
  test("valid ids parse and map to file stems", () => {
    expect(parseSymbol("binance:btcusdt").id).toBe("BINANCE:BTCUSDT");
    expect(fileStem(parseSymbol("CME_MINI:ES1!"), "1d")).toBe("CME_MINI_ES1!_1d");
    expect(parseSymbolList("A:B, A:B,C:D").map((s) => s.id)).toEqual(["A:B", "C:D"]);
  });
  test.each(["../x", "A/B", "BTC;rm", "A:..", "NOEXCHANGE", ":X", "X:", "A:B:C", "", "A:B C"])("%p is refused", (bad) => {
    expect(() => parseSymbol(bad)).toThrow(ConfigError);
  });
  test("profiles follow the exchange, overridable", () => {
    expect(resolveProfile(parseSymbol("NASDAQ:AAPL"))).toBe("equity");
    expect(resolveProfile(parseSymbol("FX_IDC:EURUSD"))).toBe("forex");
    expect(resolveProfile(parseSymbol("CME_MINI:ES1!"))).toBe("futures");
    expect(resolveProfile(parseSymbol("NOPE:X"), { "NOPE:X": { profile: "crypto" } })).toBe("crypto");
    expect(() => resolveProfile(parseSymbol("NOPE:X"))).toThrow(/unknown exchange/);
  });
  test("intervals are validated", () => {
    expect(parseInterval("1h")).toBe("1h");
    expect(() => parseInterval("2d")).toThrow(/unknown interval/);
    expect(() => parseInterval("../1d")).toThrow(ConfigError);
  });
});

describe("bars", () => {
  test("normalize sorts and keeps the last row of a repeated timestamp", () => {
    const b = dailyBars([1, 2, 3]);
    const shuffled = { ...b };
    for (const c of ["timestamp", "open", "high", "low", "close", "volume"] as const) shuffled[c] = Float64Array.from([b[c][2]!, b[c][0]!, b[c][1]!, b[c][0]!]);
    shuffled.close[3] = 9;
    const n = normalizeBars(shuffled);
    expect(Array.from(n.timestamp)).toEqual(Array.from(b.timestamp));
    expect(Array.from(n.close)).toEqual([9, 2, 3]);
  });
  test("merge: an incoming bar replaces the stored bar at the same timestamp", () => {
    const stored = dailyBars([1, 2, 3]);
    const incoming = dailyBars([20, 30, 40], "2024-01-02");
    const m = mergeBars(stored, incoming);
    expect(Array.from(m.close)).toEqual([1, 20, 30, 40]);
    expect(barsEqual(mergeBars(stored, stored), stored)).toBe(true);
  });
  test("revisions: incoming bars at a stored timestamp with other values (new bars and equal re-sends are none)", () => {
    const stored = dailyBars([1, 2, 3, 4]);
    // 2024-01-02 .. 01-05: 2 re-sent as is, 30 and 40 revised, 50 new.
    expect(revisedBars(stored, dailyBars([2, 30, 40, 50], "2024-01-02"))).toBe(2);
    expect(revisedBars(stored, stored)).toBe(0);
    const nan = dailyBars([1, 2]);
    nan.volume.fill(Number.NaN);
    expect(revisedBars(nan, nan)).toBe(0);
    const vol = dailyBars([1, 2]);
    vol.volume[1] = 7;
    expect(revisedBars(dailyBars([1, 2]), vol)).toBe(1);
  });
});
