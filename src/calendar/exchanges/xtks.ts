import { DAY_MS, weekday } from "../dates.ts";
import { dates, fixed, MON, named, nth, type Observance, observe, SUN } from "../rules.ts";
import { defineCalendar } from "../spec.ts";

// A Sunday holiday moves to the next day that is not one (Golden Week: May 3 → Wednesday, May 4 → Tuesday).
const sundayPlus = (n: number): Observance => (d) => (weekday(d) === SUN ? d + n * DAY_MS : d);
const sub = { observe: observe.sundayToMonday };

/**
 * Tokyo Stock Exchange (JPX): 09:00–15:00 Tokyo with a lunch break (11:00–12:30, 11:30–12:30 from 2011-11-21), the
 * close at 15:30 from 2024-11-05. Closed Dec 31–Jan 3 and on Japan's national holidays; the equinoxes are announced
 * each February by the Cabinet Office (listed to 2027).
 */
export default defineCalendar({
  name: "XTKS",
  title: "Tokyo Stock Exchange",
  profile: "equity",
  timezone: "Asia/Tokyo",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [
    { open: "09:00", close: "15:00", lunch: ["11:00", "12:30"] },
    { from: "2011-11-21", open: "09:00", close: "15:00", lunch: ["11:30", "12:30"] },
    { from: "2024-11-05", open: "09:00", close: "15:30", lunch: ["11:30", "12:30"] },
  ],
  holidays: [
    fixed("New Year's Holiday", 1, 1),
    fixed("New Year's Holiday", 1, 2),
    fixed("New Year's Holiday", 1, 3),
    fixed("Coming of Age Day", 1, 15, { to: 1999, ...sub }),
    nth("Coming of Age Day", 1, MON, 2, { from: 2000 }),
    fixed("National Foundation Day", 2, 11, sub),
    fixed("Emperor's Birthday", 2, 23, { from: 2020, ...sub }),
    fixed("Greenery Day", 4, 29, { to: 2006, ...sub }),
    fixed("Showa Day", 4, 29, { from: 2007, ...sub }),
    fixed("Constitution Memorial Day", 5, 3, { observe: sundayPlus(3) }),
    fixed("Citizen's Holiday", 5, 4, { to: 2006, ...sub }),
    fixed("Greenery Day", 5, 4, { from: 2007, observe: sundayPlus(2) }),
    fixed("Children's Day", 5, 5, sub),
    fixed("Marine Day", 7, 20, { from: 1996, to: 2002, ...sub }),
    nth("Marine Day", 7, MON, 3, { from: 2003, except: [2020, 2021] }),
    fixed("Mountain Day", 8, 11, { from: 2016, ...sub, except: [2020, 2021] }),
    fixed("Respect for the Aged Day", 9, 15, { to: 2002, ...sub }),
    nth("Respect for the Aged Day", 9, MON, 3, { from: 2003 }),
    fixed("Health and Sports Day", 10, 10, { to: 1999, ...sub }),
    nth("Sports Day", 10, MON, 2, { from: 2000, except: [2020, 2021] }),
    fixed("Culture Day", 11, 3, sub),
    fixed("Labour Thanksgiving Day", 11, 23, sub),
    fixed("Emperor's Birthday", 12, 23, { to: 2018, ...sub }),
    fixed("New Year's Holiday", 12, 31),
    // The equinoxes as observed (a Sunday one moves to Monday).
    dates("Vernal Equinox Day", [
      "1990-03-21", "1991-03-21", "1992-03-20", "1994-03-21", "1995-03-21", "1996-03-20", "1997-03-20", "1998-03-21", "1999-03-22",
      "2000-03-20", "2001-03-20", "2002-03-21", "2003-03-21", "2004-03-20", "2005-03-21", "2006-03-21", "2007-03-21", "2008-03-20",
      "2009-03-20", "2010-03-22", "2011-03-21", "2012-03-20", "2013-03-20", "2014-03-21", "2015-03-21", "2016-03-21", "2017-03-20",
      "2018-03-21", "2019-03-21", "2020-03-20", "2021-03-20", "2022-03-21", "2023-03-21", "2024-03-20", "2025-03-20", "2026-03-20",
      "2027-03-22",
    ]),
    dates("Autumnal Equinox Day", [
      "1990-09-24", "1991-09-23", "1992-09-23", "1993-09-23", "1994-09-23", "1996-09-23", "1997-09-23", "1998-09-23", "1999-09-23",
      "2000-09-23", "2001-09-24", "2002-09-23", "2003-09-23", "2004-09-23", "2005-09-23", "2006-09-23", "2007-09-24", "2008-09-23",
      "2009-09-23", "2010-09-23", "2011-09-23", "2012-09-22", "2013-09-23", "2014-09-23", "2015-09-23", "2016-09-22", "2017-09-23",
      "2018-09-24", "2019-09-23", "2020-09-22", "2021-09-23", "2022-09-23", "2023-09-23", "2024-09-23", "2025-09-23", "2026-09-23",
      "2027-09-23",
    ]),
    dates("Citizen's Holiday", ["2009-09-22", "2015-09-22", "2026-09-22"]),
    ...named({
      "1990-11-12": "Enthronement Ceremony (Emperor Akihito)",
      "1993-06-09": "Wedding of the Crown Prince",
      "2019-04-30": "Abdication Day",
      "2019-05-01": "Accession Day",
      "2019-05-02": "Citizen's Holiday",
      "2019-10-22": "Enthronement Ceremony (Emperor Naruhito)",
      // The Olympic year moved Marine, Sports and Mountain Day (2020, and again for the postponed games in 2021).
      "2020-07-23": "Marine Day",
      "2020-07-24": "Sports Day",
      "2020-08-10": "Mountain Day",
      "2021-07-22": "Marine Day",
      "2021-07-23": "Sports Day",
      "2021-08-09": "Mountain Day",
      "2020-10-01": "Equity trading system failure",
    }),
  ],
});
