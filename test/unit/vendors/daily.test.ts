import { expect, test } from "bun:test";
import { dailyLabel, dateLabel } from "../../../src/vendors/daily.ts";

const D = (s: string) => Date.parse(`${s}T00:00:00Z`);

test("a bar stamped at the NY open or NY midnight is labelled with the NY date", () => {
  expect(dailyLabel(Date.parse("2024-01-02T14:30:00Z"), { zone: "America/New_York" })).toBe(D("2024-01-02"));
  expect(dailyLabel(Date.parse("2024-07-02T04:00:00Z"), { zone: "America/New_York" })).toBe(D("2024-07-02"));
});

test("London midnight in summer (23:00 UTC the day before) is the London date", () => {
  expect(dailyLabel(Date.parse("2024-06-02T23:00:00Z"), { zone: "Europe/London" })).toBe(D("2024-06-03"));
});

test("Tokyo midnight (15:00 UTC the day before), via the zone or the gmtoffset fallback", () => {
  expect(dailyLabel(Date.parse("2024-01-03T15:00:00Z"), { zone: "Asia/Tokyo" })).toBe(D("2024-01-04"));
  expect(dailyLabel(Date.parse("2024-01-03T15:00:00Z"), { zone: "Not/AZone", gmtOffsetSec: 32400 })).toBe(D("2024-01-04"));
});

test("evening roll: a Globex day opening 17:00 Chicago belongs to the next date", () => {
  expect(dailyLabel(Date.parse("2024-01-01T23:00:00Z"), { zone: "America/Chicago", eveningRollHour: 16 })).toBe(D("2024-01-02"));
  expect(dailyLabel(Date.parse("2024-01-02T14:30:00Z"), { zone: "America/New_York", eveningRollHour: 16 })).toBe(D("2024-01-02"));
});

test("dateLabel rejects impossible dates", () => {
  expect(dateLabel("2024-02-29")).toBe(D("2024-02-29"));
  expect(dateLabel("2023-02-29")).toBeNaN();
  expect(dateLabel("20240101")).toBeNaN();
});
