import { announced } from "../rules.ts";
import { defineCalendar } from "../spec.ts";

/**
 * Singapore Exchange (SGX): 09:00–17:00 Singapore. Closures are Singapore's public holidays (a Sunday one is
 * observed on Monday), elections and market holidays as SGX announced them (1990–2026, via exchange_calendars).
 * 2027 lists the dates fixed by rule so far; Hari Raya Puasa and Haji, Vesak Day and Deepavali follow when the
 * Ministry of Manpower gazettes them (until then add them in holidays.json under "XSES").
 */
export default defineCalendar({
  name: "XSES",
  title: "Singapore Exchange",
  profile: "equity",
  timezone: "Asia/Singapore",
  firstYear: 1990,
  knownUntil: 2026,
  hours: [{ open: "09:00", close: "17:00" }],
  holidays: announced({
    1990: { "New Year's Day": "01-01", "Good Friday": "04-13", "Hari Raya Puasa": "04-26", "Labour Day": "05-01", "Vesak Day": "05-09", "Hari Raya Haji": "07-03", "National Day": "08-09", "Christmas Day": "12-25" },
    1991: { "New Year's Day": "01-01", "Market holiday": "01-15,12-24,12-31", "Good Friday": "03-29", "Hari Raya Puasa": "04-16", "Labour Day": "05-01", "Vesak Day": "05-28", "Hari Raya Haji": "06-24", "National Day": "08-09", Deepavali: "11-05", "Christmas Day": "12-25" },
    1992: { "New Year's Day": "01-01", "Chinese New Year": "02-04..02-05", "Hari Raya Puasa": "04-06", "Good Friday": "04-17", "Labour Day": "05-01", "Hari Raya Haji": "06-11", "National Day": "08-10", "Christmas Day": "12-25" },
    1993: { "New Year's Day": "01-01", "Chinese New Year": "01-25", "Hari Raya Puasa": "03-25", "Good Friday": "04-09", "Market holiday": "05-06", "Hari Raya Haji": "06-01", "National Day": "08-09" },
    1994: { "Market holiday": "01-10..01-11,02-01", "Chinese New Year": "02-11", "Hari Raya Puasa": "03-14", "Good Friday": "04-01", "Labour Day": "05-02", "Vesak Day": "05-25", "National Day": "08-09", Deepavali: "10-13,11-02", "Christmas Day": "12-26" },
    1995: { "New Year's Day": "01-02", "Chinese New Year": "01-31..02-01", "Hari Raya Puasa": "03-03", "Good Friday": "04-14", "Labour Day": "05-01", "Hari Raya Haji": "05-10", "Vesak Day": "05-15", "National Day": "08-09", Deepavali: "10-23", "Christmas Day": "12-25" },
    1996: { "New Year's Day": "01-01", "Chinese New Year": "02-19..02-21", "Good Friday": "04-05", "Labour Day": "05-01", "Vesak Day": "05-31", "National Day": "08-09", "Christmas Day": "12-25" },
    1997: { "New Year's Day": "01-01", "Chinese New Year": "02-07..02-10", "Good Friday": "03-28", "Hari Raya Haji": "04-18", "Labour Day": "05-01", "Vesak Day": "05-21", "Christmas Day": "12-25" },
    1998: { "New Year's Day": "01-01", "Chinese New Year": "01-28..01-30", "Hari Raya Haji": "04-07", "Good Friday": "04-10", "Labour Day": "05-01", "Vesak Day": "05-11", "National Day": "08-10", Deepavali: "10-19", "Christmas Day": "12-25" },
    1999: { "New Year's Day": "01-01", "Hari Raya Puasa": "01-19", "Chinese New Year": "02-16..02-17", "Hari Raya Haji": "03-29", "Good Friday": "04-02", "National Day": "08-09", Deepavali: "11-08", Millennium: "12-31" },
    2000: { "Chinese New Year": "02-07", "Hari Raya Haji": "03-16", "Good Friday": "04-21", "Labour Day": "05-01", "Vesak Day": "05-18", "National Day": "08-09", Deepavali: "10-26", "Christmas Day": "12-25", "Hari Raya Puasa": "12-27" },
    2001: { "New Year's Day": "01-01", "Chinese New Year": "01-24..01-25", "Hari Raya Haji": "03-06", "Good Friday": "04-13", "Labour Day": "05-01", "Vesak Day": "05-07", "National Day": "08-09", Deepavali: "11-14", "Hari Raya Puasa": "12-17", "Christmas Day": "12-25" },
    2002: { "New Year's Day": "01-01", "Chinese New Year": "02-12..02-13", "Good Friday": "03-29", "Labour Day": "05-01", "Vesak Day": "05-27", "National Day": "08-09", Deepavali: "11-04", "Hari Raya Puasa": "12-06", "Christmas Day": "12-25" },
    2003: { "New Year's Day": "01-01", "Chinese New Year": "02-03", "Hari Raya Haji": "02-12", "Good Friday": "04-18", "Labour Day": "05-01", "Vesak Day": "05-15", Deepavali: "10-24", "Hari Raya Puasa": "11-25", "Christmas Day": "12-25" },
    2004: { "New Year's Day": "01-01", "Chinese New Year": "01-22..01-23", "Hari Raya Haji": "02-02", "Good Friday": "04-09", "Vesak Day": "06-02", "National Day": "08-09", Deepavali: "11-11", "Hari Raya Puasa": "11-15" },
    2005: { "Hari Raya Haji": "01-21", "Chinese New Year": "02-09..02-10", "Good Friday": "03-25", "Labour Day": "05-02", "Vesak Day": "05-23", "National Day": "08-09", Deepavali: "11-01", "Hari Raya Puasa": "11-03", "Christmas Day": "12-26" },
    2006: { "New Year's Day": "01-02", "Hari Raya Haji": "01-10", "Chinese New Year": "01-30..01-31", "Good Friday": "04-14", "Labour Day": "05-01", "Vesak Day": "05-12", "National Day": "08-09", "Hari Raya Puasa": "10-24", "Christmas Day": "12-25" },
    2007: { "New Year's Day": "01-01..01-02", "Chinese New Year": "02-19..02-20", "Good Friday": "04-06", "Labour Day": "05-01", "Vesak Day": "05-31", "National Day": "08-09", Deepavali: "11-08", "Hari Raya Haji": "12-20", "Christmas Day": "12-25" },
    2008: { "New Year's Day": "01-01", "Chinese New Year": "02-07..02-08", "Good Friday": "03-21", "Labour Day": "05-01", "Vesak Day": "05-19", "Hari Raya Puasa": "10-01", Deepavali: "10-27", "Hari Raya Haji": "12-08", "Christmas Day": "12-25" },
    2009: { "New Year's Day": "01-01", "Chinese New Year": "01-26..01-27", "Good Friday": "04-10", "Labour Day": "05-01", "National Day": "08-10", "Hari Raya Puasa": "09-21", "Hari Raya Haji": "11-27", "Christmas Day": "12-25" },
    2010: { "New Year's Day": "01-01", "Chinese New Year": "02-15..02-16", "Good Friday": "04-02", "Vesak Day": "05-28", "National Day": "08-09", "Hari Raya Puasa": "09-10", Deepavali: "11-05", "Hari Raya Haji": "11-17" },
    2011: { "Chinese New Year": "02-03..02-04", "Good Friday": "04-22", "Labour Day": "05-02", "Vesak Day": "05-17", "National Day": "08-09", "Hari Raya Puasa": "08-30", Deepavali: "10-26", "Hari Raya Haji": "11-07", "Christmas Day": "12-26" },
    2012: { "New Year's Day": "01-02", "Chinese New Year": "01-23..01-24", "Good Friday": "04-06", "Labour Day": "05-01", "National Day": "08-09", "Hari Raya Puasa": "08-20", "Hari Raya Haji": "10-26", Deepavali: "11-13", "Christmas Day": "12-25" },
    2013: { "New Year's Day": "01-01", "Chinese New Year": "02-11..02-12", "Good Friday": "03-29", "Labour Day": "05-01", "Vesak Day": "05-24", "Hari Raya Puasa": "08-08", "National Day": "08-09", "Hari Raya Haji": "10-15", "Christmas Day": "12-25" },
    2014: { "New Year's Day": "01-01", "Chinese New Year": "01-31", "Good Friday": "04-18", "Labour Day": "05-01", "Vesak Day": "05-13", "Hari Raya Puasa": "07-28", "Hari Raya Haji": "10-06", Deepavali: "10-22", "Christmas Day": "12-25" },
    2015: { "New Year's Day": "01-01", "Chinese New Year": "02-19..02-20", "Good Friday": "04-03", "Labour Day": "05-01", "Vesak Day": "06-01", "Hari Raya Puasa": "07-17", "SG50 Jubilee": "08-07", "General Election": "09-11", "National Day": "08-10", "Hari Raya Haji": "09-24", Deepavali: "11-10", "Christmas Day": "12-25" },
    2016: { "New Year's Day": "01-01", "Chinese New Year": "02-08..02-09", "Good Friday": "03-25", "Labour Day": "05-02", "Hari Raya Puasa": "07-06", "National Day": "08-09", "Hari Raya Haji": "09-12", "Christmas Day": "12-26" },
    2017: { "New Year's Day": "01-02", "Chinese New Year": "01-30", "Good Friday": "04-14", "Labour Day": "05-01", "Vesak Day": "05-10", "Hari Raya Puasa": "06-26", "National Day": "08-09", "Hari Raya Haji": "09-01", Deepavali: "10-18", "Christmas Day": "12-25" },
    2018: { "New Year's Day": "01-01", "Chinese New Year": "02-16", "Good Friday": "03-30", "Labour Day": "05-01", "Vesak Day": "05-29", "Hari Raya Puasa": "06-15", "National Day": "08-09", "Hari Raya Haji": "08-22", Deepavali: "11-06", "Christmas Day": "12-25" },
    2019: { "New Year's Day": "01-01", "Chinese New Year": "02-05..02-06", "Good Friday": "04-19", "Labour Day": "05-01", "Vesak Day": "05-20", "Hari Raya Puasa": "06-05", "National Day": "08-09", "Hari Raya Haji": "08-12", Deepavali: "10-28", "Christmas Day": "12-25" },
    2020: { "New Year's Day": "01-01", "Chinese New Year": "01-27", "Good Friday": "04-10", "Labour Day": "05-01", "Vesak Day": "05-07", "Hari Raya Puasa": "05-25", "General Election": "07-10", "Hari Raya Haji": "07-31", "National Day": "08-10", "Christmas Day": "12-25" },
    2021: { "New Year's Day": "01-01", "Chinese New Year": "02-12", "Good Friday": "04-02", "Hari Raya Puasa": "05-13", "Vesak Day": "05-26", "Hari Raya Haji": "07-20", "National Day": "08-09", Deepavali: "11-04" },
    2022: { "Chinese New Year": "02-01..02-02", "Good Friday": "04-15", "Labour Day": "05-02", "Hari Raya Puasa": "05-03", "Vesak Day": "05-16", "Hari Raya Haji": "07-11", "National Day": "08-09", Deepavali: "10-24", "Christmas Day": "12-26" },
    2023: { "New Year's Day": "01-02", "Chinese New Year": "01-23..01-24", "Good Friday": "04-07", "Labour Day": "05-01", "Vesak Day": "06-02", "Hari Raya Haji": "06-29", "National Day": "08-09", "Presidential Election": "09-01", Deepavali: "11-13", "Christmas Day": "12-25" },
    2024: { "New Year's Day": "01-01", "Chinese New Year": "02-12", "Good Friday": "03-29", "Hari Raya Puasa": "04-10", "Labour Day": "05-01", "Vesak Day": "05-22", "Hari Raya Haji": "06-17", "National Day": "08-09", Deepavali: "10-31", "Christmas Day": "12-25" },
    2025: { "New Year's Day": "01-01", "Chinese New Year": "01-29..01-30", "Hari Raya Puasa": "03-31", "Good Friday": "04-18", "Labour Day": "05-01", "Vesak Day": "05-12", Deepavali: "10-20", "Christmas Day": "12-25" },
    2026: { "New Year's Day": "01-01", "Chinese New Year": "02-17..02-18", "Good Friday": "04-03", "Labour Day": "05-01", "Hari Raya Haji": "05-27", "Vesak Day": "06-01", "National Day": "08-10", Deepavali: "11-09", "Christmas Day": "12-25" },
    2027: { "New Year's Day": "01-01", "Chinese New Year": "02-08", "Good Friday": "03-26", "National Day": "08-09" },
  }),
});
