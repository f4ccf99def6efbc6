import { DAY_MS, weekday } from "../dates.ts";
import { festival } from "../lunisolar.ts";
import { computed, FRI, fixed, MON, named, nth, observe, type Rule, SAT, SUN, THU, TUE, WED } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { lunar, sundayToNextFree } from "./chinese.ts";
import { christmasEve, easterMonday, goodFriday, newYearsEve } from "./common.ts";

const WEEKDAYS = [MON, TUE, WED, THU, FRI];
const sub = { observe: observe.sundayToMonday };

/** Lunar New Year: three days; before 2013 a Saturday first day also closed the Friday eve, from 2013 a Sunday among them adds the fourth. */
const lunarNewYear: Rule[] = [
  lunar("Lunar New Year", "lunarNewYear"),
  lunar("Lunar New Year (second day)", "lunarNewYear", 1),
  lunar("Lunar New Year (third day)", "lunarNewYear", 2),
  computed("Lunar New Year's Eve", (y) => {
    const d = festival("lunarNewYear", y);
    return d !== undefined && y < 2013 && weekday(d) === SAT ? d - DAY_MS : undefined;
  }),
  computed("Lunar New Year (fourth day)", (y) => {
    const d = festival("lunarNewYear", y);
    if (d === undefined || y < 2013) return undefined;
    return [0, 1, 2].some((k) => weekday(d + k * DAY_MS) === SUN) ? d + 3 * DAY_MS : undefined;
  }),
];

/** Half day on Lunar New Year's Eve from 2013 (when the eve is a weekday). */
const lunarEve = computed("Lunar New Year's Eve", (y) => {
  const d = festival("lunarNewYear", y);
  return d !== undefined && y >= 2013 && [TUE, WED, THU, FRI, SAT].includes(weekday(d)) ? d - DAY_MS : undefined;
});

/**
 * Hong Kong Exchanges (HKEX): 10:00–12:30 and 14:30–16:00 Hong Kong; 09:30–12:00 and 13:30–16:00 from 2011-03-07;
 * the afternoon from 13:00 from 2012-03-05. Half days (morning only) on Christmas Eve, New Year's Eve and, from 2013,
 * Lunar New Year's Eve. Typhoon and rainstorm closures are listed as the exchange announced them.
 */
export default defineCalendar({
  name: "XHKG",
  title: "Hong Kong Exchanges",
  profile: "equity",
  timezone: "Asia/Hong_Kong",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [
    { open: "10:00", close: "16:00", lunch: ["12:30", "14:30"] },
    { from: "2011-03-07", open: "09:30", close: "16:00", lunch: ["12:00", "13:30"] },
    { from: "2012-03-05", open: "09:30", close: "16:00", lunch: ["12:00", "13:00"] },
  ],
  holidays: [
    fixed("New Year's Day", 1, 1, sub),
    ...lunarNewYear,
    goodFriday(),
    easterMonday(),
    lunar("Ching Ming Festival", "qingming", 0, { observe: sundayToNextFree }),
    fixed("Labour Day", 5, 1, { from: 1999, ...sub }),
    lunar("Buddha's Birthday", "buddhasBirthday", 0, sub),
    lunar("Tuen Ng Festival", "dragonBoat", 0, sub),
    fixed("HKSAR Establishment Day", 7, 1, { from: 1997, ...sub }),
    nth("Liberation Day", 8, MON, -1, { to: 1996 }),
    fixed("National Day", 10, 1, { from: 1997, ...sub }),
    // The day after Mid-Autumn; when that is National Day (Oct 1) the day after that. A Sunday one is not made up.
    lunar("Day after Mid-Autumn Festival", "midAutumn", 1, {
      observe: (d) => (new Date(d).getUTCMonth() === 9 && new Date(d).getUTCDate() === 1 ? d + DAY_MS : d),
    }),
    lunar("Chung Yeung Festival", "doubleNinth", 0, sub),
    fixed("Christmas Day", 12, 25),
    fixed("Christmas Day (observed)", 12, 27, { days: [MON, TUE] }),
    fixed("Boxing Day", 12, 26),
    ...named({
      "1990-06-18": "Queen's Birthday",
      "1991-06-18": "Day after the Queen's Birthday",
      "1992-06-15": "Queen's Birthday",
      "1993-06-14": "Queen's Birthday",
      "1995-06-19": "Queen's Birthday",
      "1996-06-17": "Queen's Birthday",
      "1992-07-22": "Typhoon Cary",
      "1993-09-17": "Typhoon Becky",
      "1994-06-14": "Day after the Queen's Birthday",
      "1997-06-30": "Queen's Birthday",
      "1997-07-02": "Day after HKSAR Establishment Day",
      "1997-08-18": "Sino-Japanese War Victory Day",
      "1997-10-02": "Day after National Day",
      "1998-08-17": "Sino-Japanese War Victory Day",
      "1998-10-02": "Day after National Day",
      "1999-04-06": "Day after Ching Ming Festival",
      "1999-09-16": "Typhoon York",
      "1999-12-31": "Millennium",
      "2001-07-06": "Typhoon Utor",
      "2001-07-25": "Typhoon Yutu",
      "2008-08-06": "Typhoon Kammuri",
      "2008-08-22": "Typhoon Nuri",
      "2010-04-06": "Day after Ching Ming Festival",
      "2011-09-29": "Typhoon Nesat",
      "2012-10-02": "Day after Mid-Autumn Festival (observed)",
      "2013-08-14": "Typhoon Utor",
      "2015-04-07": "Easter Monday / Ching Ming (observed)",
      "2015-09-03": "70th anniversary of the War of Resistance victory",
      "2016-08-02": "Typhoon Nida",
      "2016-10-21": "Typhoon Haima",
      "2017-08-23": "Typhoon Hato",
      "2020-10-13": "Typhoon Nangka",
      "2021-10-13": "Typhoon Kompasu",
      "2022-09-12": "Day after Mid-Autumn Festival (observed)",
      "2023-07-17": "Typhoon Talim",
      "2024-09-06": "Typhoon Yagi",
    }),
  ],
  earlyCloses: [
    {
      close: "12:30",
      rules: [
        newYearsEve({ to: 1998, days: WEEKDAYS }),
        newYearsEve({ from: 2000, to: "2011-03-06", days: WEEKDAYS }),
        christmasEve({ to: "2011-03-06", days: WEEKDAYS }),
      ],
    },
    {
      close: "12:00",
      key: "earlyClose",
      rules: [newYearsEve({ from: "2011-03-07", days: WEEKDAYS }), christmasEve({ from: "2011-03-07", days: WEEKDAYS }), lunarEve],
    },
  ],
});
