import { announced, dates, firstSessionOfYear } from "../rules.ts";
import { defineCalendar } from "../spec.ts";

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
  holidays: announced({
    1990: { "New Year's Day": "01-01..01-02", "Seollal": "01-26..01-27", "Independence Movement Day": "03-01", "Labour Day (March 10)": "03-10", "Arbor Day": "04-05", "Buddha's Birthday": "05-02", "Children's Day": "05-05", "Memorial Day": "06-06", "Constitution Day": "07-17", "Liberation Day": "08-15", "Chuseok": "10-01..10-04", "Hangul Day": "10-09", "Christmas Day": "12-25,12-27", "Year-end closing": "12-28,12-31" },
    1991: { "New Year's Day": "01-01..01-02", "Seollal": "02-14..02-16", "Independence Movement Day": "03-01", "Local elections": "03-26,06-20", "Arbor Day": "04-05", "Buddha's Birthday": "05-21", "Memorial Day": "06-06", "Constitution Day": "07-17", "Liberation Day": "08-15", "Chuseok": "09-21..09-23", "National Foundation Day": "10-03", "Christmas Day": "12-25,12-27", "Year-end closing": "12-30..12-31" },
    1992: { "New Year's Day": "01-01..01-02", "Seollal": "02-03..02-05", "Labour Day (March 10)": "03-10", "National Assembly election": "03-24", "Children's Day": "05-05", "Memorial Day": "06-06", "Constitution Day": "07-17", "Liberation Day": "08-15", "Chuseok": "09-10..09-12", "National Foundation Day": "10-03", "Presidential election": "12-18", "Christmas Day": "12-25", "Year-end closing": "12-28..12-31" },
    1993: { "New Year's Day": "01-01..01-02", "Seollal": "01-22..01-23", "Independence Movement Day": "03-01", "Labour Day (March 10)": "03-10", "Arbor Day": "04-05", "Children's Day": "05-05", "Buddha's Birthday": "05-28", "Market closure": "07-07", "Constitution Day": "07-17", "Chuseok": "09-29..10-01", "Christmas Day": "12-25", "Year-end closing": "12-29..12-31" },
    1994: { "New Year's Day": "01-01..01-03", "Seollal": "02-09..02-11,02-14", "Independence Movement Day": "03-01", "Arbor Day": "04-05", "Children's Day": "05-05", "Buddha's Birthday": "05-18,05-20", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "09-19..09-21", "National Foundation Day": "10-03", "Year-end closing": "12-29..12-31" },
    1995: { "New Year's Day": "01-02", "Seollal": "01-30..02-01", "Independence Movement Day": "03-01", "Arbor Day": "04-05", "Labour Day": "05-01", "Children's Day": "05-05", "Memorial Day": "06-06", "Constitution Day": "07-17", "Liberation Day": "08-15", "Chuseok": "09-08..09-09", "National Foundation Day": "10-03", "Christmas Day": "12-25", "Year-end closing": "12-29..12-30" },
    1996: { "New Year's Day": "01-01..01-02", "Seollal": "02-19..02-20", "Independence Movement Day": "03-01", "Arbor Day": "04-05", "Labour Day": "05-01", "Buddha's Birthday": "05-24", "Memorial Day": "06-06", "Constitution Day": "07-17", "Liberation Day": "08-15", "Chuseok": "09-26..09-28", "National Foundation Day": "10-03", "Christmas Day": "12-25", "Year-end closing": "12-30..12-31" },
    1997: { "New Year's Day": "01-01..01-02", "Seollal": "02-07..02-08", "Independence Movement Day": "03-01", "Arbor Day": "04-05", "Labour Day": "05-01", "Children's Day": "05-05", "Buddha's Birthday": "05-14", "Memorial Day": "06-06", "Constitution Day": "07-17", "Liberation Day": "08-15", "Chuseok": "09-15..09-17", "National Foundation Day": "10-03", "Presidential election": "12-18", "Christmas Day": "12-25", "Year-end closing": "12-29..12-31" },
    1998: { "New Year's Day": "01-01..01-02", "Seollal": "01-27..01-29", "Labour Day": "05-01", "Children's Day": "05-05", "Memorial Day": "06-06", "Constitution Day": "07-17", "Liberation Day": "08-15", "Chuseok": "10-03..10-06", "Christmas Day": "12-25", "Year-end closing": "12-29..12-31" },
    1999: { "New Year's Day": "01-01", "Seollal": "02-15..02-17", "Independence Movement Day": "03-01", "Arbor Day": "04-05", "Children's Day": "05-05", "Chuseok": "09-23..09-24", "Year-end closing": "12-29..12-31" },
    2000: { "New Year's Day": "01-03", "Seollal": "02-04", "Independence Movement Day": "03-01", "Arbor Day": "04-05", "National Assembly election": "04-13", "Labour Day": "05-01", "Children's Day": "05-05", "Buddha's Birthday": "05-11", "Memorial Day": "06-06", "Constitution Day": "07-17", "Liberation Day": "08-15", "Chuseok": "09-11..09-13", "National Foundation Day": "10-03", "Christmas Day": "12-25,12-27", "Year-end closing": "12-28..12-29" },
    2001: { "New Year's Day": "01-01", "Seollal": "01-23..01-25", "Independence Movement Day": "03-01", "Arbor Day": "04-05", "Labour Day": "05-01", "Memorial Day": "06-06", "Constitution Day": "07-17", "Liberation Day": "08-15", "Chuseok": "10-01..10-03", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2002: { "New Year's Day": "01-01", "Seollal": "02-11..02-13", "Independence Movement Day": "03-01", "Arbor Day": "04-05", "Labour Day": "05-01", "Memorial Day": "06-06", "Local elections": "06-13", "World Cup holiday": "07-01", "Constitution Day": "07-17", "Liberation Day": "08-15", "Chuseok": "09-20", "National Foundation Day": "10-03", "Presidential election": "12-19", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2003: { "New Year's Day": "01-01", "Seollal": "01-31", "Labour Day": "05-01", "Children's Day": "05-05", "Buddha's Birthday": "05-08", "Memorial Day": "06-06", "Constitution Day": "07-17", "Liberation Day": "08-15", "Chuseok": "09-10..09-12", "National Foundation Day": "10-03", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2004: { "New Year's Day": "01-01", "Seollal": "01-21..01-23", "Independence Movement Day": "03-01", "Arbor Day": "04-05", "National Assembly election": "04-15", "Children's Day": "05-05", "Buddha's Birthday": "05-26", "Chuseok": "09-27..09-29", "Year-end closing": "12-31" },
    2005: { "Seollal": "02-08..02-10", "Independence Movement Day": "03-01", "Arbor Day": "04-05", "Children's Day": "05-05", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "09-19", "National Foundation Day": "10-03", "Year-end closing": "12-30" },
    2006: { "Seollal": "01-30", "Independence Movement Day": "03-01", "Labour Day": "05-01", "Buddha's Birthday": "05-05", "Local elections": "05-31", "Memorial Day": "06-06", "Constitution Day": "07-17", "Liberation Day": "08-15", "National Foundation Day": "10-03", "Chuseok": "10-05..10-06", "Christmas Day": "12-25", "Year-end closing": "12-29" },
    2007: { "New Year's Day": "01-01", "Seollal": "02-19", "Independence Movement Day": "03-01", "Labour Day": "05-01", "Buddha's Birthday": "05-24", "Memorial Day": "06-06", "Constitution Day": "07-17", "Liberation Day": "08-15", "Chuseok": "09-24..09-26", "National Foundation Day": "10-03", "Presidential election": "12-19", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2008: { "New Year's Day": "01-01", "Seollal": "02-06..02-08", "National Assembly election": "04-09", "Labour Day": "05-01", "Children's Day": "05-05", "Buddha's Birthday": "05-12", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "09-15", "National Foundation Day": "10-03", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2009: { "New Year's Day": "01-01", "Seollal": "01-26..01-27", "Labour Day": "05-01", "Children's Day": "05-05", "Chuseok": "10-02", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2010: { "New Year's Day": "01-01", "Seollal": "02-15", "Independence Movement Day": "03-01", "Children's Day": "05-05", "Buddha's Birthday": "05-21", "Local elections": "06-02", "Chuseok": "09-21..09-23", "Year-end closing": "12-31" },
    2011: { "Seollal": "02-02..02-04", "Independence Movement Day": "03-01", "Children's Day": "05-05", "Buddha's Birthday": "05-10", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "09-12..09-13", "National Foundation Day": "10-03", "Year-end closing": "12-30" },
    2012: { "Seollal": "01-23..01-24", "Independence Movement Day": "03-01", "National Assembly election": "04-11", "Labour Day": "05-01", "Buddha's Birthday": "05-28", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "10-01,10-03", "Presidential election": "12-19", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2013: { "New Year's Day": "01-01", "Seollal": "02-11", "Independence Movement Day": "03-01", "Labour Day": "05-01", "Buddha's Birthday": "05-17", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "09-18..09-20", "National Foundation Day": "10-03", "Hangul Day": "10-09", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2014: { "New Year's Day": "01-01", "Seollal": "01-30..01-31", "Labour Day": "05-01", "Children's Day": "05-05", "Buddha's Birthday": "05-06", "Local elections": "06-04", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "09-08..09-10", "National Foundation Day": "10-03", "Hangul Day": "10-09", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2015: { "New Year's Day": "01-01", "Seollal": "02-18..02-20", "Labour Day": "05-01", "Children's Day": "05-05", "Buddha's Birthday": "05-25", "Liberation Day (70th anniversary)": "08-14", "Chuseok": "09-28..09-29", "Hangul Day": "10-09", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2016: { "New Year's Day": "01-01", "Seollal": "02-08..02-10", "Independence Movement Day": "03-01", "National Assembly election": "04-13", "Children's Day": "05-05..05-06", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "09-14..09-16", "National Foundation Day": "10-03", "Year-end closing": "12-30" },
    2017: { "Seollal": "01-27..01-30", "Independence Movement Day": "03-01", "Labour Day": "05-01", "Buddha's Birthday": "05-03", "Children's Day": "05-05", "Presidential election": "05-09", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "10-02..10-06", "Hangul Day": "10-09", "Christmas Day": "12-25", "Year-end closing": "12-29" },
    2018: { "New Year's Day": "01-01", "Seollal": "02-15..02-16", "Independence Movement Day": "03-01", "Labour Day": "05-01", "Children's Day": "05-07", "Buddha's Birthday": "05-22", "Memorial Day": "06-06", "Local elections": "06-13", "Liberation Day": "08-15", "Chuseok": "09-24..09-26", "National Foundation Day": "10-03", "Hangul Day": "10-09", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2019: { "New Year's Day": "01-01", "Seollal": "02-04..02-06", "Independence Movement Day": "03-01", "Labour Day": "05-01", "Children's Day": "05-06", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "09-12..09-13", "National Foundation Day": "10-03", "Hangul Day": "10-09", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2020: { "New Year's Day": "01-01", "Seollal": "01-24..01-27", "National Assembly election": "04-15", "Buddha's Birthday": "04-30", "Labour Day": "05-01", "Children's Day": "05-05", "Liberation Day": "08-17", "Chuseok": "09-30..10-02", "Hangul Day": "10-09", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2021: { "New Year's Day": "01-01", "Seollal": "02-11..02-12", "Independence Movement Day": "03-01", "Children's Day": "05-05", "Buddha's Birthday": "05-19", "Liberation Day": "08-16", "Chuseok": "09-20..09-22", "National Foundation Day": "10-04", "Hangul Day": "10-11", "Year-end closing": "12-31" },
    2022: { "Seollal": "01-31..02-02", "Independence Movement Day": "03-01", "Presidential election": "03-09", "Children's Day": "05-05", "Local elections": "06-01", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "09-09..09-12", "National Foundation Day": "10-03", "Hangul Day": "10-10", "Year-end closing": "12-30" },
    2023: { "Seollal": "01-23..01-24", "Independence Movement Day": "03-01", "Labour Day": "05-01", "Children's Day": "05-05", "Buddha's Birthday": "05-29", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "09-28..10-03", "Hangul Day": "10-09", "Christmas Day": "12-25", "Year-end closing": "12-29" },
    2024: { "New Year's Day": "01-01", "Seollal": "02-09..02-12", "Independence Movement Day": "03-01", "National Assembly election": "04-10", "Labour Day": "05-01", "Children's Day": "05-06", "Buddha's Birthday": "05-15", "Memorial Day": "06-06", "Liberation Day": "08-15", "Chuseok": "09-16..09-18", "Armed Forces Day": "10-01", "National Foundation Day": "10-03", "Hangul Day": "10-09", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2025: { "New Year's Day": "01-01", "Seollal": "01-27..01-30", "Independence Movement Day": "03-03", "Labour Day": "05-01", "Buddha's Birthday": "05-05", "Children's Day": "05-06", "Presidential election": "06-03", "Memorial Day": "06-06", "Liberation Day": "08-15", "National Foundation Day": "10-03", "Chuseok": "10-06..10-09", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2026: { "New Year's Day": "01-01", "Seollal": "02-16..02-18", "Independence Movement Day": "03-02", "Labour Day": "05-01", "Children's Day": "05-05", "Buddha's Birthday": "05-25", "Local elections": "06-03", "Liberation Day": "08-17", "Chuseok": "09-24..09-25", "National Foundation Day": "10-05", "Hangul Day": "10-09", "Christmas Day": "12-25", "Year-end closing": "12-31" },
    2027: {
      "New Year's Day": "01-01",
      Seollal: "02-08..02-09",
      "Independence Movement Day": "03-01",
      "Labour Day": "05-03",
      "Children's Day": "05-05",
      "Buddha's Birthday": "05-13",
      "Liberation Day": "08-16",
      Chuseok: "09-14..09-16",
      "National Foundation Day": "10-04",
      "Hangul Day": "10-11",
      "Christmas Day": "12-27",
      "Year-end closing": "12-31",
    },
  }),
  shifts: [
    { minutes: 60, edges: "open", rules: [firstSessionOfYear("First session of the year")] },
    {
      minutes: 30,
      edges: "all",
      rules: [dates("College entrance exam (CSAT)", [
      "1993-08-20", "1993-11-16", "1994-11-23", "1995-11-22", "1996-11-13", "1997-11-19",
      ])],
    },
    {
      minutes: 60,
      edges: "all",
      rules: [dates("College entrance exam (CSAT)", [
      "1998-11-18", "1999-11-17", "2000-11-15", "2001-11-07", "2002-11-06", "2003-11-05", "2004-11-17", "2005-11-23",
      "2006-11-16", "2007-11-15", "2008-11-13", "2009-11-12", "2010-11-18", "2011-11-10", "2012-11-08", "2013-11-07",
      "2014-11-13", "2015-11-12", "2016-11-17", "2017-11-16", "2017-11-23", "2018-11-15", "2019-11-14", "2020-12-03",
      "2021-11-18", "2022-11-17", "2023-11-16", "2024-11-14", "2025-11-13",
      ])],
    },
  ],
});
