import { describe, expect, test } from "bun:test";
import { calendarFor } from "../../../src/calendar/index.ts";
import { listCalendar } from "../../../src/calendar/listing.ts";
import { ISO, T, wall } from "./_helpers.ts";

const nyse = calendarFor("equity");
const isSession = (d: string) => nyse.isExpected("1d", T(d));
const session = (d: string) => nyse.sessionsBetween(T(d), T(d))[0];

describe("NYSE holidays", () => {
  test.each([
    ["2024-03-29", "Good Friday"],
    ["2001-09-11", "September 11"],
    ["2001-09-14", "September 11"],
    ["2025-01-09", "Carter"],
    ["2023-06-19", "Juneteenth"],
    ["2022-06-20", "Juneteenth observed (Sunday → Monday)"],
    ["2027-06-18", "Juneteenth observed (Saturday → Friday)"],
    ["2015-07-03", "Independence Day observed (Saturday → Friday)"],
    ["2021-07-05", "Independence Day observed (Sunday → Monday)"],
    ["2021-12-24", "Christmas observed (Saturday → Friday)"],
    ["2022-12-26", "Christmas observed (Sunday → Monday)"],
    ["2023-01-02", "New Year observed (Sunday → Monday)"],
    ["1998-01-19", "first MLK Day"],
    ["2024-11-28", "Thanksgiving"],
    ["2012-10-29", "Sandy"],
    ["2012-10-30", "Sandy"],
    ["1994-04-27", "Nixon"],
    ["2004-06-11", "Reagan"],
    ["2007-01-02", "Ford"],
    ["2018-12-05", "Bush"],
  ])("%s is closed (%s)", (d) => {
    expect(isSession(d)).toBe(false);
    expect(nyse.expected("1m", T(d), T(d) + 86_400_000 - 1).length).toBe(0);
  });

  test.each([
    ["2021-06-18", "Juneteenth was not an NYSE holiday before 2022"],
    ["2021-12-31", "New Year on Saturday is not made up on Friday"],
    ["2022-01-03", "New Year on Saturday is not observed on Monday"],
    ["1997-01-20", "no MLK Day before 1998"],
    ["2001-09-17", "reopened after 9/11"],
    ["2022-12-23", "Christmas on Sunday: the Friday before trades a full day"],
    ["2021-07-02", "July 4 on Sunday: Friday trades a full day"],
  ])("%s is open (%s)", (d) => {
    expect(isSession(d)).toBe(true);
    expect(session(d)!.early).toBeUndefined();
  });

  test.each([
    [2024, 252],
    [2023, 250],
    [2022, 251],
    [2021, 252],
    [2018, 251],
    [2012, 250],
    [2001, 248],
  ])("%i has %i sessions", (year, n) => {
    expect(nyse.expected("1d", T(`${year}-01-01`), T(`${year}-12-31`)).length).toBe(n);
  });
});

describe("NYSE early closes", () => {
  test.each([
    ["2024-07-03", "13:00"],
    ["2023-07-03", "13:00"],
    ["2019-07-03", "13:00"],
    ["2013-07-03", "13:00"],
    ["2002-07-05", "13:00"],
    ["2024-11-29", "13:00"],
    ["2024-12-24", "13:00"],
    ["2020-12-24", "13:00"],
    ["1999-12-31", "13:00"],
    ["2003-12-26", "13:00"],
    ["1992-11-27", "14:00"],
    ["1991-12-24", "14:00"],
  ])("%s closes at %s New York", (d, hhmm) => {
    const s = session(d)!;
    expect(s.early).toBeDefined();
    expect(wall(s.closeMs, "America/New_York")).toBe(`${d} ${hhmm}`);
  });

  test.each([
    ["2002-07-03", "a Wednesday July 3 before 2013 was a full day"],
    ["2013-07-05", "2013 moved the half day to July 3"],
    ["2022-07-01", "July 3 on Sunday: no half day on Friday"],
    ["2023-12-22", "Christmas Eve on Sunday: no half day on Friday"],
    ["1991-11-29", "no day-after-Thanksgiving half day before 1992"],
    ["2025-12-26", "day after Christmas is a full day"],
  ])("%s is a full day (%s)", (d) => {
    const s = session(d)!;
    expect(s.early).toBeUndefined();
    expect(wall(s.closeMs, "America/New_York")).toBe(`${d} 16:00`);
  });

  test("2024-07-03: 1m bars stop at 12:59, the 1h grid ends with a short 12:30 bar", () => {
    const day = nyse.expected("1m", T("2024-07-03"), T("2024-07-04") - 1);
    expect(day.length).toBe(210);
    expect(ISO(day[day.length - 1]!)).toBe("2024-07-03T16:59:00.000Z");
    const hours = [...nyse.expected("1h", T("2024-07-03"), T("2024-07-04") - 1)].map((t) => wall(t, "America/New_York").slice(11));
    expect(hours).toEqual(["09:30", "10:30", "11:30", "12:30"]);
    // The short bar completes at the 13:00 close, not at 13:30.
    expect(nyse.lastCompleted("1h", T("2024-07-03T17:00:00Z"))).toBe(T("2024-07-03T16:30:00Z"));
  });
});

describe("NYSE grid and DST", () => {
  test("1h bars align to the 09:30 open, 4h bars at 09:30 and 13:30", () => {
    const h = [...nyse.expected("1h", T("2024-03-07"), T("2024-03-08") - 1)].map((t) => wall(t, "America/New_York").slice(11));
    expect(h).toEqual(["09:30", "10:30", "11:30", "12:30", "13:30", "14:30", "15:30"]);
    const h4 = [...nyse.expected("4h", T("2024-03-07"), T("2024-03-08") - 1)].map((t) => wall(t, "America/New_York").slice(11));
    expect(h4).toEqual(["09:30", "13:30"]);
  });

  test("March DST week: the open moves from 14:30Z to 13:30Z, 390 bars every day", () => {
    expect(ISO(session("2024-03-08")!.openMs)).toBe("2024-03-08T14:30:00.000Z");
    expect(ISO(session("2024-03-11")!.openMs)).toBe("2024-03-11T13:30:00.000Z");
    for (const d of ["2024-03-07", "2024-03-08", "2024-03-11", "2024-03-12"]) {
      expect(nyse.expected("1m", T(d), T(d) + 86_399_999).length).toBe(390);
    }
    expect(nyse.isExpected("1m", T("2024-03-11T13:30:00Z"))).toBe(true);
    expect(nyse.isExpected("1m", T("2024-03-08T13:30:00Z"))).toBe(false);
  });

  test("November DST week: the open moves from 13:30Z to 14:30Z", () => {
    expect(ISO(session("2024-11-01")!.openMs)).toBe("2024-11-01T13:30:00.000Z");
    expect(ISO(session("2024-11-04")!.openMs)).toBe("2024-11-04T14:30:00.000Z");
    expect(nyse.expected("1m", T("2024-11-04"), T("2024-11-04T23:59:00Z")).length).toBe(390);
  });

  test("weekends and pre-open minutes are not expected", () => {
    expect(nyse.isExpected("1d", T("2024-03-09"))).toBe(false);
    expect(nyse.isExpected("1m", T("2024-03-12T13:29:00Z"))).toBe(false);
    expect(nyse.isExpected("1m", T("2024-03-12T20:00:00Z"))).toBe(false);
    expect(nyse.isExpected("1m", T("2024-03-12T19:59:00Z"))).toBe(true);
    expect(nyse.isExpected("1m", T("2024-03-12T13:30:30Z"))).toBe(false);
  });

  test("lastCompleted: a daily bar completes at the close", () => {
    expect(nyse.lastCompleted("1d", T("2024-03-12T19:59:00Z"))).toBe(T("2024-03-11"));
    expect(nyse.lastCompleted("1d", T("2024-03-12T20:00:00Z"))).toBe(T("2024-03-12"));
    expect(nyse.lastCompleted("1d", T("2024-03-30T12:00:00Z"))).toBe(T("2024-03-28"));
    expect(nyse.lastCompleted("1m", T("2024-03-12T15:00:30Z"))).toBe(T("2024-03-12T14:59:00Z"));
  });
});

describe("calendar listing", () => {
  test("lists sessions, holidays and early closes with bar counts", () => {
    const l = listCalendar(nyse, T("2024-07-01"), T("2024-07-07"), "1m");
    expect(l.sessions.map((s) => s.date)).toEqual(["2024-07-01", "2024-07-02", "2024-07-03", "2024-07-05"]);
    expect(l.sessions.map((s) => s.bars)).toEqual([390, 390, 210, 390]);
    expect(l.holidays).toEqual([{ date: "2024-07-04", name: "Independence Day" }]);
    expect(l.earlyCloses).toEqual([{ date: "2024-07-03", name: "Independence Day eve", close: "2024-07-03T17:00:00.000Z", localClose: "13:00" }]);
    expect(l.timezone).toBe("America/New_York");
  });
});
