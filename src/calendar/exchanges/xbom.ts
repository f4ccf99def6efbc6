import { announced } from "../rules.ts";
import { defineCalendar } from "../spec.ts";

/**
 * BSE (and NSE, which keeps the same holidays), Mumbai: 09:15–15:30 India. Closures are the exchange's yearly
 * holiday lists (1997–2026, via exchange_calendars; festivals without a fixed date are "Trading holiday"); 2027
 * lists the fixed dates so far, the rest follow when BSE publishes its list (until then add them in holidays.json
 * under "XBOM"). Saturday sessions held for the budget and a systems test are listed as extra sessions.
 */
export default defineCalendar({
  name: "XBOM",
  title: "BSE (Bombay Stock Exchange)",
  profile: "equity",
  timezone: "Asia/Kolkata",
  firstYear: 1997,
  knownUntil: 2026,
  hours: [{ open: "09:15", close: "15:30" }],
  holidays: announced({
    1997: { "Trading holiday": "01-23,03-07,03-24,04-08,04-16,05-08,08-18,08-25,10-28..10-29,10-31", "Dr. Ambedkar Jayanti": "04-14", "Bakri Id": "04-18", "Maharashtra Day": "05-01", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    1998: { "Trading holiday": "04-09,04-28", "Dr. Ambedkar Jayanti": "04-14", Christmas: "12-25" },
    1999: { "Trading holiday": "01-01,03-02,03-18,03-25,04-30,09-13,10-19,11-08,11-10,11-23,12-31", "Id-ul-Fitr (Ramzan Id)": "01-20", "Republic Day": "01-26", "Bakri Id": "03-29", "Good Friday": "04-02", "Dr. Ambedkar Jayanti": "04-14", Muharram: "04-27" },
    2000: { "Republic Day": "01-26", "Bakri Id": "03-17", "Trading holiday": "03-20,09-01", "Dr. Ambedkar Jayanti": "04-14", "Good Friday": "04-21", "Maharashtra Day": "05-01", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2001: { "Trading holiday": "01-01,08-22,10-26,11-16,11-30", "Republic Day": "01-26", "Bakri Id": "03-06", Muharram: "04-05", "Good Friday": "04-13", "Maharashtra Day": "05-01", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", "Id-ul-Fitr (Ramzan Id)": "12-17", Christmas: "12-25" },
    2002: { Muharram: "03-25", "Good Friday": "03-29", "Maharashtra Day": "05-01", "Independence Day": "08-15", "Trading holiday": "09-10,10-15,11-06,11-19", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2003: { "Trading holiday": "02-13,03-18", Muharram: "03-14", "Dr. Ambedkar Jayanti": "04-14", "Good Friday": "04-18", "Maharashtra Day": "05-01", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", "Id-ul-Fitr (Ramzan Id)": "11-26", Christmas: "12-25" },
    2004: { "Trading holiday": "01-01,04-26,10-13,10-22,11-26", "Republic Day": "01-26", "Bakri Id": "02-02", Muharram: "03-02", "Good Friday": "04-09", "Dr. Ambedkar Jayanti": "04-14", "Id-ul-Fitr (Ramzan Id)": "11-15" },
    2005: { "Bakri Id": "01-21", "Republic Day": "01-26", "Good Friday": "03-25", "Dr. Ambedkar Jayanti": "04-14", "Trading holiday": "07-28,09-07,10-12,11-15", "Independence Day": "08-15", "Id-ul-Fitr (Ramzan Id)": "11-03..11-04" },
    2006: { "Bakri Id": "01-11", "Republic Day": "01-26", Muharram: "02-09", "Trading holiday": "03-15,04-06,04-11,10-25", "Dr. Ambedkar Jayanti": "04-14", "Maharashtra Day": "05-01", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", "Id-ul-Fitr (Ramzan Id)": "10-24", Christmas: "12-25" },
    2007: { "Bakri Id": "01-01,12-21", "Republic Day": "01-26", Muharram: "01-30", "Trading holiday": "02-16,03-27,05-02", "Good Friday": "04-06", "Maharashtra Day": "05-01", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2008: { "Trading holiday": "03-06,03-20,04-18,05-19,09-03,10-09,10-30,11-13,11-27", "Good Friday": "03-21", "Dr. Ambedkar Jayanti": "04-14", "Maharashtra Day": "05-01", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", "Bakri Id": "12-09", Christmas: "12-25" },
    2009: { Muharram: "01-08,12-28", "Republic Day": "01-26", "Trading holiday": "02-23,03-10..03-11,04-03,04-07,04-30,09-28,10-13,10-19,11-02", "Good Friday": "04-10", "Dr. Ambedkar Jayanti": "04-14", "Maharashtra Day": "05-01", "Id-ul-Fitr (Ramzan Id)": "09-21", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2010: { "Trading holiday": "01-01,02-12,03-01,03-24", "Republic Day": "01-26", "Good Friday": "04-02", "Dr. Ambedkar Jayanti": "04-14", "Id-ul-Fitr (Ramzan Id)": "09-10", "Bakri Id": "11-17", Muharram: "12-17" },
    2011: { "Republic Day": "01-26", "Trading holiday": "03-02,04-12,09-01,10-06,10-27,11-10", "Dr. Ambedkar Jayanti": "04-14", "Good Friday": "04-22", "Independence Day": "08-15", "Id-ul-Fitr (Ramzan Id)": "08-31", "Bakri Id": "11-07", Muharram: "12-06" },
    2012: { "Republic Day": "01-26", "Trading holiday": "02-20,03-08,04-05,09-19,10-24,11-14,11-28", "Good Friday": "04-06", "Maharashtra Day": "05-01", "Independence Day": "08-15", "Id-ul-Fitr (Ramzan Id)": "08-20", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2013: { "Trading holiday": "03-27,04-19,04-24,09-09,11-04", "Good Friday": "03-29", "Maharashtra Day": "05-01", "Id-ul-Fitr (Ramzan Id)": "08-09", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", "Bakri Id": "10-16", Muharram: "11-14", Christmas: "12-25" },
    2014: { "Trading holiday": "02-27,03-17,04-08,04-24,08-29,10-06,10-15,10-23..10-24,11-06", "Dr. Ambedkar Jayanti": "04-14", "Good Friday": "04-18", "Maharashtra Day": "05-01", "Id-ul-Fitr (Ramzan Id)": "07-29", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", "Bakri Id": "10-03", Muharram: "11-04", Christmas: "12-25" },
    2015: { "Republic Day": "01-26", "Trading holiday": "02-17,03-06,04-02,09-17,09-25,11-11..11-12,11-25", "Good Friday": "04-03", "Dr. Ambedkar Jayanti": "04-14", "Maharashtra Day": "05-01", "Mahatma Gandhi Jayanti": "10-02", Muharram: "10-22", Christmas: "12-25" },
    2016: { "Republic Day": "01-26", "Trading holiday": "03-07,03-24,04-15,04-19,09-05,09-13,10-31,11-14", "Good Friday": "03-25", "Dr. Ambedkar Jayanti": "04-14", "Id-ul-Fitr (Ramzan Id)": "07-06", "Independence Day": "08-15", Muharram: "10-11..10-12" },
    2017: { "Republic Day": "01-26", "Trading holiday": "02-24,03-13,04-04,08-25,10-19..10-20", "Dr. Ambedkar Jayanti": "04-14", "Maharashtra Day": "05-01", "Id-ul-Fitr (Ramzan Id)": "06-26", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2018: { "Republic Day": "01-26", "Trading holiday": "02-13,03-02,03-29,09-13,10-18,11-07..11-08,11-23", "Good Friday": "03-30", "Maharashtra Day": "05-01", "Independence Day": "08-15", "Bakri Id": "08-22", Muharram: "09-20", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2019: { "Trading holiday": "03-04,03-21,04-17,04-29,09-02,10-08,10-21,10-28,11-12", "Good Friday": "04-19", "Maharashtra Day": "05-01", "Id-ul-Fitr (Ramzan Id)": "06-05", "Bakri Id": "08-12", "Independence Day": "08-15", Muharram: "09-10", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2020: { "Trading holiday": "02-21,03-10,04-02,04-06,11-16,11-30", "Good Friday": "04-10", "Dr. Ambedkar Jayanti": "04-14", "Maharashtra Day": "05-01", "Id-ul-Fitr (Ramzan Id)": "05-25", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2021: { "Republic Day": "01-26", "Trading holiday": "03-11,03-29,04-21,09-10,10-15,11-04..11-05,11-19", "Good Friday": "04-02", "Dr. Ambedkar Jayanti": "04-14", "Id-ul-Fitr (Ramzan Id)": "05-13", "Bakri Id": "07-21", Muharram: "08-19" },
    2022: { "Republic Day": "01-26", "Trading holiday": "03-01,03-18,08-31,10-05,10-24,10-26,11-08", "Dr. Ambedkar Jayanti": "04-14", "Good Friday": "04-15", "Id-ul-Fitr (Ramzan Id)": "05-03", Muharram: "08-09", "Independence Day": "08-15" },
    2023: { "Republic Day": "01-26", "Trading holiday": "03-07,03-30,04-04,09-19,10-24,11-14,11-27", "Good Friday": "04-07", "Dr. Ambedkar Jayanti": "04-14", "Maharashtra Day": "05-01", "Bakri Id": "06-29", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2024: { "Trading holiday": "01-22,03-08,03-25,04-17,05-20,11-01,11-15,11-20", "Republic Day": "01-26", "Good Friday": "03-29", "Id-ul-Fitr (Ramzan Id)": "04-11", "Maharashtra Day": "05-01", "Bakri Id": "06-17", Muharram: "07-17", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2025: { "Trading holiday": "02-26,03-14,04-10,08-27,10-21..10-22,11-05", "Id-ul-Fitr (Ramzan Id)": "03-31", "Dr. Ambedkar Jayanti": "04-14", "Good Friday": "04-18", "Maharashtra Day": "05-01", "Independence Day": "08-15", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2026: { "Trading holiday": "01-15,03-03,03-26,03-31,09-14,10-20,11-10,11-24", "Republic Day": "01-26", "Good Friday": "04-03", "Dr. Ambedkar Jayanti": "04-14", "Maharashtra Day": "05-01", "Bakri Id": "05-28", Muharram: "06-26", "Mahatma Gandhi Jayanti": "10-02", Christmas: "12-25" },
    2027: { "Republic Day": "01-26", "Good Friday": "03-26", "Dr. Ambedkar Jayanti": "04-14" },
  }),
  extraSessions: { "2024-01-20": "Special Saturday session", "2025-02-01": "Union Budget (Saturday session)" },
});
