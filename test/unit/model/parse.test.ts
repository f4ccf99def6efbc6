// The one parser for instants, dates, durations and numbers: exact, UTC without an offset, refusals named.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ConfigError } from "../../../src/errors.ts";
import { endOfDay, parseCount, parseDate, parseDuration, parseInstant, parseList, parseNumber } from "../../../src/model/parse.ts";

const refused = (f: () => unknown, text: string) => {
  expect(f).toThrow(ConfigError);
  expect(f).toThrow(text);
};

describe("instants", () => {
  test("no offset means UTC; offsets are applied; a date is 00:00 UTC", () => {
    const z = Date.UTC(2026, 10, 21, 6, 0);
    expect(parseInstant("2026-11-21T06:00", "--now")).toBe(z);
    expect(parseInstant("2026-11-21T06:00:00Z", "--now")).toBe(z);
    expect(parseInstant("2026-11-21 06:00:00", "--now")).toBe(z);
    expect(parseInstant("2026-11-21T15:00+09:00", "--now")).toBe(z);
    expect(parseInstant("2026-11-21T01:00-0500", "--now")).toBe(z);
    expect(parseInstant("2026-11-21T06:00:00.250Z", "--now")).toBe(z + 250);
    expect(parseInstant("2026-11-21", "--now")).toBe(Date.UTC(2026, 10, 21));
    expect(parseInstant("2024-02-29", "--from")).toBe(Date.UTC(2024, 1, 29));
  });

  test("impossible values are refused, not rolled over", () => {
    refused(() => parseInstant("2026-02-30", "--now"), '--now: "2026-02-30" is not a date (February 2026 has 28 days)');
    refused(() => parseInstant("2025-02-29T00:00", "--now"), "February 2025 has 28 days");
    refused(() => parseInstant("2026-11-21T06:99", "--now"), "has minute 99");
    refused(() => parseInstant("2026-11-21T24:00", "--now"), "has hour 24");
    refused(() => parseInstant("2026-11-21T06:00:61Z", "--now"), "has second 61");
    refused(() => parseInstant("2026-13-01", "--now"), "has month 13");
    refused(() => parseInstant("0050-01-01", "--now"), "has year 0050, outside 1900–2200");
    refused(() => parseInstant("2201-01-01", "--now"), "outside 1900–2200");
    refused(() => parseInstant("2026-11-21T06:00+15:00", "--now"), "has offset +15:00");
    for (const bad of ["yesterday", "1700000000", "2026-11-21T6:00", "21/11/2026", "", "2026-11-21Z"])
      refused(() => parseInstant(bad, "--now"), "is not an ISO-8601 time");
  });

  test("the error names the flag and shows a value that works", () => {
    try {
      parseInstant("soon", "--now");
      throw new Error("not refused");
    } catch (e) {
      expect((e as ConfigError).oneLine()).toBe(
        '--now: "soon" is not an ISO-8601 time (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]) — write e.g. --now 2026-11-21T06:00:00Z',
      );
    }
  });

  test("agrees with Date.parse on every Z-suffixed ISO string it accepts (seeded)", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 11, 31) }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(parseInstant(iso, "t")).toBe(Date.parse(iso));
        expect(parseInstant(iso.replace("Z", ""), "t")).toBe(ms); // offset-less = UTC, whatever TZ says
      }),
      { seed: 1407, numRuns: 300 },
    );
  });
});

describe("dates", () => {
  test("YYYY-MM-DD only, exact; endOfDay is its last millisecond", () => {
    expect(parseDate("2026-11-23", "--from")).toBe(Date.UTC(2026, 10, 23));
    expect(endOfDay(parseDate("2026-11-23", "--to"))).toBe(Date.UTC(2026, 10, 24) - 1);
    refused(() => parseDate("2026-11-2", "--to"), '--to: "2026-11-2" is not a date (YYYY-MM-DD)');
    refused(() => parseDate("2026-11-23T00:00", "--to"), "is not a date");
    refused(() => parseDate("2026-04-31", "--to"), "April 2026 has 30 days");
  });
});

describe("durations", () => {
  test("units, sums, bare seconds", () => {
    expect(parseDuration("500ms", "--wait-lock")).toBe(500);
    expect(parseDuration("30s", "--wait-lock")).toBe(30_000);
    expect(parseDuration("5m", "--wait-lock")).toBe(300_000);
    expect(parseDuration("1h30m", "--max-time")).toBe(5_400_000);
    expect(parseDuration("2d", "--max-time")).toBe(172_800_000);
    expect(parseDuration("1.5s", "--wait-lock")).toBe(1500);
    expect(parseDuration("2", "--wait-lock")).toBe(2000);
    for (const bad of ["soon", "-5s", "5 minutes", "", "m", "5x"]) refused(() => parseDuration(bad, "--wait-lock"), "is not a duration");
  });
});

describe("numbers", () => {
  test("decimal digits only, within the range", () => {
    expect(parseCount("365", "--lookback-days")).toBe(365);
    expect(parseCount("0", "--backfill-days")).toBe(0);
    expect(parseNumber("0.9", "--minimum-coverage", { min: 0, max: 1 })).toBe(0.9);
    expect(parseNumber(".5", "--drift-warn", { min: 0, max: 1 })).toBe(0.5);
    expect(parseNumber(48, "config x", { min: 0 })).toBe(48);
    refused(() => parseCount("-1", "--max-fills"), '--max-fills: "-1" is not a whole number ≥ 0');
    refused(() => parseCount("1.5", "--max-fills"), "is not a whole number ≥ 0");
    for (const bad of ["1e3", "0x10", "", " ", "ten", "Infinity", "+-1"]) refused(() => parseCount(bad, "--max-fills"), "is not a whole number");
    refused(() => parseNumber("1.2", "--minimum-coverage", { min: 0, max: 1 }), "is not a number between 0 and 1");
    try {
      parseNumber("1.2", "--minimum-coverage", { min: 0, max: 1 });
    } catch (e) {
      expect((e as ConfigError).advice).toBe("write e.g. --minimum-coverage 0.9");
    }
  });
});

describe("lists", () => {
  test("comma-separated items are trimmed and empty ones dropped; no value is undefined", () => {
    expect(parseList(" NASDAQ:AAPL, NYSE:IBM ,,")).toEqual(["NASDAQ:AAPL", "NYSE:IBM"]);
    expect(parseList("")).toEqual([]);
    expect(parseList(" , ")).toEqual([]);
    expect(parseList(undefined)).toBeUndefined();
  });
});
