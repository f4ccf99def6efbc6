import { DAY_MS, weekday } from "../dates.ts";
import { type HebrewMonth, hebrewDay, purimDay } from "../hebrew.ts";
import { computed, FRI, named, type Rule, SAT, SUN, THU } from "../rules.ts";
import { defineCalendar } from "../spec.ts";

/** A Hebrew date in each Gregorian year, `offset` days on. */
function heb(name: string, month: HebrewMonth, day: number, offset = 0, o?: { from?: string }): Rule {
  return computed(
    name,
    (y) => {
      const d = hebrewDay(y, month, day);
      return d === undefined ? undefined : d + offset * DAY_MS;
    },
    o,
  );
}

/**
 * Memorial Day (4 Iyar), moved so neither it nor Independence Day (the day after) touches the Sabbath: a Sunday
 * one to Monday, a Thursday or Friday one back to Wednesday, a Saturday one to the Sunday after.
 */
function memorialDay(y: number): number | undefined {
  const d = hebrewDay(y, "Iyar", 4);
  if (d === undefined) return undefined;
  const w = weekday(d);
  if (w === SUN) return d + DAY_MS;
  if (w === THU) return d - DAY_MS;
  if (w === FRI) return d - 2 * DAY_MS;
  if (w === SAT) return d + DAY_MS;
  return d;
}

/** Tisha B'Av (9 Av); a Sabbath fast is kept on Sunday. */
function tishaBAv(y: number): number | undefined {
  const d = hebrewDay(y, "Av", 9);
  return d !== undefined && weekday(d) === SAT ? d + DAY_MS : d;
}

/** Yom Kippur eve as the market keeps it from 2026 (Monday–Friday trading): a weekend eve moves to the Friday before. */
function yomKippurEveObserved(y: number): number | undefined {
  const eve = hebrewDay(y, "Tishri", 9);
  if (eve === undefined) return undefined;
  return weekday(eve) === SAT ? eve - DAY_MS : weekday(eve) === SUN ? eve - 2 * DAY_MS : eve;
}

const interim = (name: string, month: HebrewMonth, from: number, to: number): Rule[] =>
  Array.from({ length: to - from + 1 }, (_, k) => heb(name, month, from + k));

/**
 * Tel Aviv Stock Exchange: continuous trading 09:59–17:15 Jerusalem, Sunday to Thursday (Sunday until 15:40); from
 * 2026-01-05 Monday to Friday (Friday until 13:50). Closed on the Jewish holidays and their eves and on election
 * days; 14:15 close on the intermediate days of Passover and Sukkot. The Hebrew dates come from the ICU calendar.
 * Checked day for day from 2019 (the reference data's first year); earlier years apply the same rules and hours.
 */
export default defineCalendar({
  name: "XTAE",
  title: "Tel Aviv Stock Exchange",
  profile: "equity",
  timezone: "Asia/Jerusalem",
  firstYear: 1990,
  knownUntil: 2027,
  weekdays: [{ days: "Sun-Thu" }, { from: "2026-01-05", days: "Mon-Fri" }],
  hours: [
    { open: "09:59", close: "17:15", days: { Sun: { close: "15:40" } } },
    { from: "2026-01-05", open: "09:59", close: "17:15", days: { Fri: { close: "13:50" } } },
  ],
  holidays: [
    computed("Purim", purimDay),
    heb("Passover Eve", "Nisan", 14),
    heb("Passover", "Nisan", 15),
    heb("Passover II Eve", "Nisan", 20),
    heb("Passover II", "Nisan", 21),
    computed("Memorial Day", memorialDay),
    computed("Independence Day", (y) => {
      const m = memorialDay(y);
      return m === undefined ? undefined : m + DAY_MS;
    }),
    heb("Shavuot Eve", "Sivan", 5),
    heb("Shavuot", "Sivan", 6),
    computed("Tisha B'Av", tishaBAv),
    heb("Rosh Hashanah Eve", "Elul", 29),
    heb("Rosh Hashanah", "Tishri", 1),
    heb("Rosh Hashanah II", "Tishri", 2),
    heb("Yom Kippur Eve", "Tishri", 9),
    computed("Market holiday (Yom Kippur Eve)", yomKippurEveObserved, { from: "2026-01-05" }),
    heb("Yom Kippur", "Tishri", 10),
    heb("Sukkot Eve", "Tishri", 14),
    heb("Sukkot", "Tishri", 15),
    heb("Simchat Torah Eve", "Tishri", 21),
    heb("Simchat Torah", "Tishri", 22),
    ...named({
      "1992-06-23": "Knesset election",
      "1996-05-29": "Knesset election",
      "1999-05-17": "Knesset election",
      "2001-02-06": "Prime-ministerial election",
      "2003-01-28": "Knesset election",
      "2006-03-28": "Knesset election",
      "2009-02-10": "Knesset election",
      "2013-01-22": "Knesset election",
      "2015-03-17": "Knesset election",
      "2019-04-09": "Knesset election",
      "2019-09-17": "Knesset election",
      "2020-03-02": "Knesset election",
      "2021-03-23": "Knesset election",
      "2022-11-01": "Knesset election",
    }),
  ],
  earlyCloses: [
    {
      close: "14:15",
      key: "earlyClose",
      rules: [...interim("Passover intermediate day", "Nisan", 16, 19), ...interim("Sukkot intermediate day", "Tishri", 16, 20)],
    },
  ],
});
