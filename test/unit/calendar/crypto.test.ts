import { describe, expect, test } from "bun:test";
import { calendarFor } from "../../../src/calendar/index.ts";
import type { Interval } from "../../../src/model/interval.ts";
import { ISO, T } from "./_helpers.ts";

const crypto = calendarFor("crypto");

describe("crypto 24/7", () => {
  test("every UTC epoch slot is expected, weekends included", () => {
    expect(crypto.expected("1m", T("2024-03-09"), T("2024-03-10") - 1).length).toBe(1440);
    expect([...crypto.expected("4h", T("2024-03-09T01:00:00Z"), T("2024-03-10"))].map(ISO)).toEqual(
      ["04", "08", "12", "16", "20"].map((h) => `2024-03-09T${h}:00:00.000Z`).concat("2024-03-10T00:00:00.000Z"),
    );
    expect(crypto.expected("1d", T("2024-03-01"), T("2024-03-31")).length).toBe(31);
  });

  test("count is the length of expected, without listing the bars", () => {
    const cases: [Interval, string, string][] = [
      ["1m", "2024-03-09", "2024-03-10T00:00:00.000Z"],
      ["4h", "2024-03-09T01:00:00Z", "2024-03-10"],
      ["1d", "2024-03-01T00:00:00.001Z", "2024-03-31"],
      ["1d", "2024-03-31", "2024-03-01"],
      ["1h", "2024-03-09T00:30:00Z", "2024-03-09T00:59:00Z"],
    ];
    const count = crypto.count!.bind(crypto);
    for (const [iv, from, to] of cases) expect(count(iv, T(from), T(to))).toBe(crypto.expected(iv, T(from), T(to)).length);
    expect(count("1d", T("2016-11-21"), T("2026-11-20"))).toBe(3652);
  });

  test("isExpected is grid membership", () => {
    expect(crypto.isExpected("15m", T("2024-03-09T00:45:00Z"))).toBe(true);
    expect(crypto.isExpected("15m", T("2024-03-09T00:50:00Z"))).toBe(false);
    expect(crypto.isExpected("1d", T("2024-03-09T00:00:01Z"))).toBe(false);
  });

  test("lastCompleted is the slot before the current one", () => {
    expect(crypto.lastCompleted("1h", T("2024-03-09T10:00:00Z"))).toBe(T("2024-03-09T09:00:00Z"));
    expect(crypto.lastCompleted("1h", T("2024-03-09T10:59:59Z"))).toBe(T("2024-03-09T09:00:00Z"));
    expect(crypto.lastCompleted("1d", T("2024-03-09T10:00:00Z"))).toBe(T("2024-03-08"));
  });
});
