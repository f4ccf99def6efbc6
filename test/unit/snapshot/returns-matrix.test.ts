import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { calendarFor } from "../../../src/calendar/index.ts";
import type { Bars } from "../../../src/model/bars.ts";
import { buildReturnsMatrix, type MatrixMember } from "../../../src/pipeline/returns-matrix.ts";
import { days, pair, walkBars, without } from "./fixture.ts";

const member = (name: string, b: Bars, profile: "crypto" | "equity"): MatrixMember => ({
  name,
  timestamps: b.timestamp,
  closes: b.close,
  calendar: calendarFor(profile),
});
const cell = (col: { values: Float64Array; valid: Uint8Array }, r: number) => (col.valid[r] ? col.values[r]! : null);

describe("returns matrix", () => {
  const { "BINANCE:BTCUSDT": btc, "NASDAQ:AAPL": aapl } = pair();

  test("rows are the union of member sessions; equity weekend cells are null, crypto weekend cells are real returns", () => {
    const m = buildReturnsMatrix([member("BINANCE:BTCUSDT", btc!, "crypto"), member("NASDAQ:AAPL", aapl!, "equity")], "1d");
    expect(Array.from(m.timestamps)).toEqual(days("2024-03-04", "2024-03-28"));
    const [b, a] = m.columns as [(typeof m.columns)[0], (typeof m.columns)[0]];
    for (let r = 0; r < m.timestamps.length; r++) {
      const dow = new Date(m.timestamps[r]!).getUTCDay();
      if (dow === 0 || dow === 6) {
        expect(cell(a, r)).toBeNull();
        expect(cell(b, r)).toBeCloseTo(btc!.close[r]! / btc!.close[r - 1]! - 1, 12);
        expect(cell(b, r)).not.toBe(0);
      }
    }
    // The first bar of each symbol has no return.
    expect(cell(b, 0)).toBeNull();
    expect(cell(a, 0)).toBeNull();
    // Monday's equity return is against Friday's close (weekends are not sessions, so not gaps).
    const mon = m.timestamps.indexOf(Date.parse("2024-03-11"));
    expect(cell(a, mon)).toBeCloseTo(aapl!.close[5]! / aapl!.close[4]! - 1, 12);
    expect(a.gapsFilled).toBe(0);
    expect(b.gapsFilled).toBe(0);
  });

  test("a removed in-session bar becomes 0.0 and is counted; the next return is against the last real close", () => {
    const wed = Date.parse("2024-03-13");
    const holed = without(aapl!, [wed]);
    const m = buildReturnsMatrix([member("NASDAQ:AAPL", holed, "equity")], "1d");
    const col = m.columns[0]!;
    expect(col.gapsFilled).toBe(1);
    const r = m.timestamps.indexOf(wed);
    expect(cell(col, r)).toBe(0);
    const tue = aapl!.timestamp.indexOf(Date.parse("2024-03-12"));
    expect(cell(col, r + 1)).toBeCloseTo(aapl!.close[tue + 2]! / aapl!.close[tue]! - 1, 12);
  });

  test("a holiday is not a gap: Good Friday 2024 has no equity row of its own", () => {
    const ts = days("2024-03-25", "2024-04-05", true).filter((t) => t !== Date.parse("2024-03-29"));
    const m = buildReturnsMatrix([member("NASDAQ:AAPL", walkBars(ts, 3), "equity")], "1d");
    expect(m.columns[0]!.gapsFilled).toBe(0);
    expect(m.timestamps.includes(Date.parse("2024-03-29"))).toBe(false);
  });

  test("stored bars off the calendar (equity weekend padding) are left out, not turned into returns", () => {
    const padded = walkBars(days("2024-03-04", "2024-03-15"), 5);
    const m = buildReturnsMatrix([member("NASDAQ:AAPL", padded, "equity")], "1d");
    const col = m.columns[0]!;
    expect(col.offCalendar).toBe(2);
    expect(m.timestamps.length).toBe(10);
    const mon = m.timestamps.indexOf(Date.parse("2024-03-11"));
    expect(cell(col, mon)).toBeCloseTo(padded.close[7]! / padded.close[4]! - 1, 12);
  });

  test("cells outside a member's own range are null, not padded", () => {
    const late = walkBars(days("2024-03-18", "2024-03-28", true), 9);
    const m = buildReturnsMatrix([member("BINANCE:BTCUSDT", btc!, "crypto"), member("NASDAQ:AAPL", late, "equity")], "1d");
    const a = m.columns[1]!;
    for (let r = 0; r < m.timestamps.length; r++) if (m.timestamps[r]! < Date.parse("2024-03-19")) expect(cell(a, r)).toBeNull();
  });

  test("property: with any in-session bars removed, the column compounds to last ÷ first close and counts every hole", () => {
    const sessions = Array.from(calendarFor("equity").expected("1d", Date.parse("2024-01-02"), Date.parse("2024-06-28")));
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: sessions.length - 2 }), { maxLength: 30 }), fc.integer({ min: 1, max: 1e6 }), (holes, seed) => {
        const full = walkBars(sessions, seed);
        const b = without(
          full,
          holes.map((i) => sessions[i]!),
        );
        const col = buildReturnsMatrix([member("NYSE:X", b, "equity")], "1d").columns[0]!;
        expect(col.gapsFilled).toBe(holes.length);
        let prod = 1;
        let nulls = 0;
        for (let r = 0; r < col.values.length; r++) {
          if (col.valid[r]) prod *= 1 + col.values[r]!;
          else nulls++;
        }
        expect(nulls).toBe(1);
        expect(prod).toBeCloseTo(full.close[sessions.length - 1]! / full.close[0]!, 9);
      }),
      { seed: 20240329, numRuns: 60 },
    );
  });

  test("an empty member gives an all-null column", () => {
    const m = buildReturnsMatrix([member("BINANCE:BTCUSDT", btc!, "crypto"), member("NASDAQ:EMPTY", walkBars([]), "equity")], "1d");
    expect(m.columns[1]!.valid.every((v) => v === 0)).toBe(true);
    expect(m.timestamps.length).toBe(btc!.timestamp.length);
  });
});
