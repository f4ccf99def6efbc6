import { describe, expect, test } from "bun:test";
import { calendarFor } from "../../../src/calendar/index.ts";
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
