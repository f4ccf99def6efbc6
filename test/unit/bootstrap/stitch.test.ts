import { describe, expect, test } from "bun:test";
import { stitch, type VendorSeries } from "../../../src/bootstrap/stitch.ts";
import { crossSourceDrift } from "../../../src/checks/cross_source_drift.ts";
import { allocBars, type Bars } from "../../../src/model/bars.ts";
import { makeInput, makeOptions } from "../../helpers/bars.ts";

const NaN_ = Number.NaN;
type Row = [date: string, open: number, high: number, low: number, close: number, volume: number];

/** Bars from `[date, o, h, l, c, v]` rows, in the order given (NaN marks a missing field). */
function bars(rows: Row[]): Bars {
  const b = allocBars(rows.length);
  rows.forEach(([d, o, h, l, c, v], i) => {
    b.timestamp[i] = Date.parse(`${d}T00:00:00Z`);
    b.open[i] = o;
    b.high[i] = h;
    b.low[i] = l;
    b.close[i] = c;
    b.volume[i] = v;
  });
  return b;
}

/** The engine's cross_source_drift check over these vendors' rows, default options (warn 1 %, tolerance 2 %). */
const drift = (sources: readonly VendorSeries[]) =>
  crossSourceDrift.run(makeInput(allocBars(0), { symbol: "FX:EURUSD", profile: "forex", sources }), makeOptions("cross_source_drift"));

const iso = (b: Bars) => Array.from(b.timestamp, (t) => new Date(t).toISOString().slice(0, 10));

describe("multi-source stitching (the design's aggregator cases)", () => {
  // yahoo: Jan 1 full, Jan 2 all missing; alphavantage: Jan 2; fred: Jan 1 — requested Jan 1–3.
  const parts: VendorSeries[] = [
    {
      vendor: "yahoo",
      bars: bars([
        ["2024-01-01", 1.2, 1.21, 1.19, 1.205, 0],
        ["2024-01-02", NaN_, NaN_, NaN_, NaN_, NaN_],
      ]),
    },
    { vendor: "alphavantage", bars: bars([["2024-01-02", 1.1, 1.11, 1.09, 1.1, 0]]) },
    { vendor: "fred", bars: bars([["2024-01-01", 1.245, 1.245, 1.245, 1.245, 0]]) },
  ];
  const s = stitch(parts);

  test("two rows: Jan 3 has no bar from anyone, Jan 2's all-missing yahoo row is a placeholder", () => {
    expect(iso(s.bars)).toEqual(["2024-01-01", "2024-01-02"]);
  });

  test("Jan 1 is yahoo's bar, vouched for by yahoo and fred", () => {
    expect(s.primarySource[0]).toBe("yahoo");
    expect(s.sources[0]).toBe("yahoo,fred");
    expect([s.bars.open[0], s.bars.high[0], s.bars.low[0], s.bars.close[0]]).toEqual([1.2, 1.21, 1.19, 1.205]);
  });

  test("Jan 2 comes from alphavantage", () => {
    expect(s.primarySource[1]).toBe("alphavantage");
    expect(s.sources[1]).toBe("alphavantage");
    expect(s.bars.close[1]).toBe(1.1);
  });

  test("every vendor's contribution is kept for the drift check", () => {
    expect(s.contributions.map((c) => [c.vendor, c.bars.timestamp.length])).toEqual([
      ["yahoo", 2],
      ["alphavantage", 1],
      ["fred", 1],
    ]);
  });

  test("closes 1.205 vs 1.245 with tolerance 0.02 and warn 0.01: a drift error naming the bar and the vendors", () => {
    const [f, ...rest] = drift(s.contributions);
    expect(rest).toEqual([]);
    expect(f!.code).toBe("cross_source_drift");
    expect(f!.severity).toBe("error");
    expect(f!.message).toContain("2024-01-01T00:00:00.000Z");
    expect(f!.message).toContain("yahoo 1.205");
    expect(f!.message).toContain("fred 1.245");
    expect(f!.metrics!.maxDrift).toBeCloseTo((1.245 - 1.205) / 1.245, 6);
    expect(f!.details!.bars).toEqual([{ timestamp: "2024-01-01T00:00:00.000Z", drift: 0.032129, closes: { yahoo: 1.205, fred: 1.245 } }]);
  });
});

describe("field filling", () => {
  test("each missing field of the primary bar comes from the next vendor that has it", () => {
    const s = stitch([
      { vendor: "yahoo", bars: bars([["2024-01-01", 1.2, NaN_, 1.19, 1.205, NaN_]]) },
      { vendor: "alphavantage", bars: bars([["2024-01-01", 1.3, NaN_, 1.3, 1.3, 500]]) },
      { vendor: "file", bars: bars([["2024-01-01", 1.4, 1.25, 1.4, 1.4, 900]]) },
    ]);
    expect([s.bars.open[0], s.bars.high[0], s.bars.low[0], s.bars.close[0], s.bars.volume[0]]).toEqual([1.2, 1.25, 1.19, 1.205, 500]);
    expect(s.primarySource).toEqual(["yahoo"]);
    expect(s.sources).toEqual(["yahoo,alphavantage,file"]);
  });

  test("rows in any order, repeated timestamps: last row wins, output sorted and unique", () => {
    const s = stitch([
      {
        vendor: "file",
        bars: bars([
          ["2024-01-03", 3, 3, 3, 3, 0],
          ["2024-01-01", 1, 1, 1, 1, 0],
          ["2024-01-03", 4, 4, 4, 4, 0],
        ]),
      },
    ]);
    expect(iso(s.bars)).toEqual(["2024-01-01", "2024-01-03"]);
    expect(Array.from(s.bars.close)).toEqual([1, 4]);
  });

  test("no vendors or only empty answers: an empty series", () => {
    expect(stitch([]).bars.timestamp.length).toBe(0);
    expect(stitch([{ vendor: "yahoo", bars: allocBars(0) }]).sources).toEqual([]);
  });
});

describe("cross_source_drift thresholds", () => {
  const two = (a: number, b: number): VendorSeries[] => [
    { vendor: "yahoo", bars: bars([["2024-01-01", a, a, a, a, 0]]) },
    { vendor: "alphavantage", bars: bars([["2024-01-01", b, b, b, b, 0]]) },
  ];
  const run = (a: number, b: number) => drift(two(a, b));

  test("within the warn tolerance: nothing", () => expect(run(1.0, 1.005)).toEqual([]));
  test("between warn and hard tolerance: a warning", () => expect(run(1.0, 1.015)[0]!.severity).toBe("warning"));
  test("above the hard tolerance: an error", () => expect(run(1.0, 1.03)[0]!.severity).toBe("error"));
  test("a bar only one vendor has is never compared", () => {
    const parts: VendorSeries[] = [
      { vendor: "yahoo", bars: bars([["2024-01-01", 1, 1, 1, 1, 0]]) },
      { vendor: "fred", bars: bars([["2024-01-02", 2, 2, 2, 2, 0]]) },
    ];
    expect(drift(parts)).toEqual([]);
  });
});
