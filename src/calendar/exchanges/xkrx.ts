import { announced, dates, firstSessionOfYear } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { XKRX_CLOSURES } from "./xkrx-closures.ts";

/**
 * Korea Exchange (KOSPI and KOSDAQ), Seoul. Saturday sessions until 1998-12-05; the lunch break ended on 2000-05-22;
 * the close moved to 15:30 on 2016-08-01. The first session of each year opens an hour late, and on the college
 * entrance exam day (CSAT) every edge moves 30 minutes (to 1998) or an hour later. Closures are Korea's public
 * holidays, elections and year-end closing as KRX announced them (1990–2026, via exchange_calendars); 2027 from the
 * statutory holidays, with alternative holidays where the law gives them. The 2026 and 2027 CSAT days follow when
 * the Ministry of Education announces them.
 */
export default defineCalendar({
  name: "XKRX",
  title: "Korea Exchange",
  profile: "equity",
  timezone: "Asia/Seoul",
  firstYear: 1990,
  knownUntil: 2027,
  weekdays: [{ days: "Mon-Sat" }, { from: "1998-12-07", days: "Mon-Fri" }],
  hours: [
    { open: "09:40", close: "15:20", lunch: ["11:40", "13:20"] },
    { from: "1995-01-01", open: "09:30", close: "15:00", lunch: ["11:30", "13:00"] },
    { from: "1998-12-07", open: "09:00", close: "15:00", lunch: ["12:00", "13:00"] },
    { from: "2000-05-22", open: "09:00", close: "15:00" },
    { from: "2016-08-01", open: "09:00", close: "15:30" },
  ],
  holidays: announced(XKRX_CLOSURES),
  shifts: [
    { minutes: 60, edges: "open", rules: [firstSessionOfYear("First session of the year")] },
    {
      minutes: 30,
      edges: "all",
      rules: [dates("College entrance exam (CSAT)", ["1993-08-20", "1993-11-16", "1994-11-23", "1995-11-22", "1996-11-13", "1997-11-19"])],
    },
    {
      minutes: 60,
      edges: "all",
      rules: [
        dates("College entrance exam (CSAT)", [
          "1998-11-18",
          "1999-11-17",
          "2000-11-15",
          "2001-11-07",
          "2002-11-06",
          "2003-11-05",
          "2004-11-17",
          "2005-11-23",
          "2006-11-16",
          "2007-11-15",
          "2008-11-13",
          "2009-11-12",
          "2010-11-18",
          "2011-11-10",
          "2012-11-08",
          "2013-11-07",
          "2014-11-13",
          "2015-11-12",
          "2016-11-17",
          "2017-11-16",
          "2017-11-23",
          "2018-11-15",
          "2019-11-14",
          "2020-12-03",
          "2021-11-18",
          "2022-11-17",
          "2023-11-16",
          "2024-11-14",
          "2025-11-13",
        ]),
      ],
    },
  ],
});
