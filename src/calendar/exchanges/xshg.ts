import { announced } from "../rules.ts";
import { defineCalendar } from "../spec.ts";

/**
 * Shanghai Stock Exchange (also Shenzhen, which keeps the same holidays): 09:30–11:30 and 13:00–15:00 Shanghai.
 * China's holidays are set each year by the State Council (with weekend make-up workdays, on which the exchanges
 * stay closed), so closures are the exchange's announced lists (via exchange_calendars), 1991–2026. 2027 is not yet
 * announced: its row is estimated from the lunisolar dates and recent practice, and named so.
 */
export default defineCalendar({
  name: "XSHG",
  title: "Shanghai Stock Exchange",
  profile: "equity",
  timezone: "Asia/Shanghai",
  firstYear: 1990,
  since: "1990-12-03",
  knownUntil: 2026,
  hours: [{ open: "09:30", close: "15:00", lunch: ["11:30", "13:00"] }],
  holidays: announced({
    1991: { "New Year's Day": "01-01", "Spring Festival": "02-15..02-18", "Labour Day": "05-01", "National Day": "10-01..10-02" },
    1992: { "New Year's Day": "01-01", "Spring Festival": "02-04..02-06", "Labour Day": "05-01", "National Day": "10-01..10-02" },
    1993: { "New Year's Day": "01-01", "Spring Festival": "01-25..01-26", "National Day": "10-01" },
    1994: { "Spring Festival": "02-07..02-11", "Labour Day": "05-02", "National Day": "10-03..10-04" },
    1995: { "New Year's Day": "01-02", "Spring Festival": "01-30..02-03", "Labour Day": "05-01", "National Day": "10-02..10-03" },
    1996: { "New Year's Day": "01-01", "Spring Festival": "02-19..03-01", "Labour Day": "05-01", "National Day": "09-30..10-02" },
    1997: { "New Year's Day": "01-01", "Spring Festival": "02-03..02-14", "Labour Day": "05-01..05-02", "Hong Kong handover": "06-30..07-01", "National Day": "10-01..10-03" },
    1998: { "New Year's Day": "01-01..01-02", "Spring Festival": "01-26..02-06", "Labour Day": "05-01", "National Day": "10-01..10-02" },
    1999: { "New Year's Day": "01-01,12-31", "Spring Festival": "02-10..02-26", "Labour Day": "05-03", "National Day": "10-01..10-07", "Macau handover": "12-20" },
    2000: { "New Year's Day": "01-03", "Spring Festival": "01-31..02-11", "Labour Day": "05-01..05-05", "National Day": "10-02..10-06" },
    2001: { "New Year's Day": "01-01", "Spring Festival": "01-22..02-02", "Labour Day": "05-01..05-07", "National Day": "10-01..10-05" },
    2002: { "New Year's Day": "01-01..01-03", "Spring Festival": "02-11..02-22", "Labour Day": "05-01..05-07", "National Day": "09-30..10-07" },
    2003: { "New Year's Day": "01-01", "Spring Festival": "01-30..02-07", "Labour Day": "05-01..05-09", "National Day": "10-01..10-07" },
    2004: { "New Year's Day": "01-01", "Spring Festival": "01-19..01-28", "Labour Day": "05-03..05-07", "National Day": "10-01..10-07" },
    2005: { "New Year's Day": "01-03", "Spring Festival": "02-07..02-15", "Labour Day": "05-02..05-06", "National Day": "10-03..10-07" },
    2006: { "New Year's Day": "01-02..01-03", "Spring Festival": "01-26..02-03", "Labour Day": "05-01..05-05", "National Day": "10-02..10-06" },
    2007: { "New Year's Day": "01-01..01-03,12-31", "Spring Festival": "02-19..02-23", "Labour Day": "05-01..05-07", "National Day": "10-01..10-05" },
    2008: { "New Year's Day": "01-01", "Spring Festival": "02-06..02-12", "Qingming Festival": "04-04", "Labour Day": "05-01..05-02", "Dragon Boat Festival": "06-09", "Mid-Autumn Festival": "09-15", "National Day": "09-29..10-03" },
    2009: { "New Year's Day": "01-01..01-02", "Spring Festival": "01-26..01-30", "Qingming Festival": "04-06", "Labour Day": "05-01", "Dragon Boat Festival": "05-28..05-29", "National Day": "10-01..10-08" },
    2010: { "New Year's Day": "01-01", "Spring Festival": "02-15..02-19", "Qingming Festival": "04-05", "Labour Day": "05-03", "Dragon Boat Festival": "06-14..06-16", "Mid-Autumn Festival": "09-22..09-24", "National Day": "10-01..10-07" },
    2011: { "New Year's Day": "01-03", "Spring Festival": "02-02..02-08", "Qingming Festival": "04-04..04-05", "Labour Day": "05-02", "Dragon Boat Festival": "06-06", "Mid-Autumn Festival": "09-12", "National Day": "10-03..10-07" },
    2012: { "New Year's Day": "01-02..01-03", "Spring Festival": "01-23..01-27", "Qingming Festival": "04-02..04-04", "Labour Day": "04-30..05-01", "Dragon Boat Festival": "06-22", "National Day": "10-01..10-05" },
    2013: { "New Year's Day": "01-01..01-03", "Spring Festival": "02-11..02-15", "Qingming Festival": "04-04..04-05", "Labour Day": "04-29..05-01", "Dragon Boat Festival": "06-10..06-12", "Mid-Autumn Festival": "09-19..09-20", "National Day": "10-01..10-07" },
    2014: { "New Year's Day": "01-01", "Spring Festival": "01-31..02-06", "Qingming Festival": "04-07", "Labour Day": "05-01..05-02", "Dragon Boat Festival": "06-02", "Mid-Autumn Festival": "09-08", "National Day": "10-01..10-07" },
    2015: { "New Year's Day": "01-01..01-02", "Spring Festival": "02-18..02-24", "Qingming Festival": "04-06", "Labour Day": "05-01", "Dragon Boat Festival": "06-22", "Victory Day (70th anniversary)": "09-03..09-04", "National Day": "10-01..10-07" },
    2016: { "New Year's Day": "01-01", "Spring Festival": "02-08..02-12", "Qingming Festival": "04-04", "Labour Day": "05-02", "Dragon Boat Festival": "06-09..06-10", "Mid-Autumn Festival": "09-15..09-16", "National Day": "10-03..10-07" },
    2017: { "New Year's Day": "01-02", "Spring Festival": "01-27..02-02", "Qingming Festival": "04-03..04-04", "Labour Day": "05-01", "Dragon Boat Festival": "05-29..05-30", "National Day": "10-02..10-06" },
    2018: { "New Year's Day": "01-01,12-31", "Spring Festival": "02-15..02-21", "Qingming Festival": "04-05..04-06", "Labour Day": "04-30..05-01", "Dragon Boat Festival": "06-18", "Mid-Autumn Festival": "09-24", "National Day": "10-01..10-05" },
    2019: { "New Year's Day": "01-01", "Spring Festival": "02-04..02-08", "Qingming Festival": "04-05", "Labour Day": "05-01..05-03", "Dragon Boat Festival": "06-07", "Mid-Autumn Festival": "09-13", "National Day": "10-01..10-07" },
    2020: { "New Year's Day": "01-01", "Spring Festival": "01-24..01-31", "Qingming Festival": "04-06", "Labour Day": "05-01..05-05", "Dragon Boat Festival": "06-25..06-26", "National Day": "10-01..10-08" },
    2021: { "New Year's Day": "01-01", "Spring Festival": "02-11..02-17", "Qingming Festival": "04-05", "Labour Day": "05-03..05-05", "Dragon Boat Festival": "06-14", "Mid-Autumn Festival": "09-20..09-21", "National Day": "10-01..10-07" },
    2022: { "New Year's Day": "01-03", "Spring Festival": "01-31..02-04", "Qingming Festival": "04-04..04-05", "Labour Day": "05-02..05-04", "Dragon Boat Festival": "06-03", "Mid-Autumn Festival": "09-12", "National Day": "10-03..10-07" },
    2023: { "New Year's Day": "01-02", "Spring Festival": "01-23..01-27", "Qingming Festival": "04-05", "Labour Day": "05-01..05-03", "Dragon Boat Festival": "06-22..06-23", "National Day": "09-29..10-06" },
    2024: { "New Year's Day": "01-01", "Spring Festival": "02-09..02-16", "Qingming Festival": "04-04..04-05", "Labour Day": "05-01..05-03", "Dragon Boat Festival": "06-10", "Mid-Autumn Festival": "09-16..09-17", "National Day": "10-01..10-07" },
    2025: { "New Year's Day": "01-01", "Spring Festival": "01-28..02-04", "Qingming Festival": "04-04", "Labour Day": "05-01..05-05", "Dragon Boat Festival": "06-02", "National Day": "10-01..10-08" },
    2026: { "New Year's Day": "01-01..01-02", "Spring Festival": "02-16..02-23", "Qingming Festival": "04-06", "Labour Day": "05-01..05-05", "Dragon Boat Festival": "06-19", "Mid-Autumn Festival": "09-25", "National Day": "10-01..10-07" },
    2027: {
      "New Year's Day (estimated)": "01-01",
      "Spring Festival (estimated)": "02-05..02-12",
      "Qingming Festival (estimated)": "04-05",
      "Labour Day (estimated)": "05-03..05-05",
      "Dragon Boat Festival (estimated)": "06-09",
      "Mid-Autumn Festival (estimated)": "09-15",
      "National Day (estimated)": "10-01..10-07",
    },
  }),
});
