/**
 * CME Globex by product group, where schedules differ from the all-products CMES calendar: national days of
 * mourning and the Good Fridays that fell on a US employment-report day (abbreviated sessions instead of a closure).
 * Sources: CME Group notices and press releases for each day (2025-01-09: equity until 08:30 CT, interest rates and
 * agriculturals until 12:15 CT, energy, metals and FX normal; 2018-12-05: equity until 08:30 CT, interest rates
 * closed, all else normal; 2007-01-02: equity and commodities closed, FX and interest rates until noon CT, CBOT
 * Treasuries until 12:15 CT, CBOT grains overnight only, NYMEX/COMEX on Globex normal; 2004-06-11: CME Globex
 * closed at 08:00 CT; 1994-04-27: all US futures markets closed). A day no notice covers keeps the CMES schedule.
 */
import { DAY_MS, nthWeekday } from "../dates.ts";
import { computed, dates, fixed, MON, type Rule, THU, TUE, WED } from "../rules.ts";
import { type CalendarSpec, defineCalendar, type SpecialSession } from "../spec.ts";
import { CMES_SPEC } from "./cmes.ts";
import { christmas, goodFriday, NYSE_HOLIDAYS, newYearsDay } from "./us.ts";

const MOURNING_1994 = "National Day of Mourning (Richard Nixon)";
const MOURNING_2004 = "National Day of Mourning (Ronald Reagan)";
const MOURNING_2007 = "National Day of Mourning (Gerald Ford)";
const MOURNING_2018 = "National Day of Mourning (George H. W. Bush)";
const MOURNING_2025 = "National Day of Mourning (Jimmy Carter)";
const GOOD_FRIDAY_JOBS = "Good Friday (employment report)";

/**
 * Good Fridays with a BLS employment report on which CME announced abbreviated equity and interest-rate sessions
 * instead of a closure (later ones are added as CME announces them; until then holidays.json can add one:
 * { "CMES_EQUITY": { "earlyClose": { "<date>": "08:15" } } }).
 */
const JOBS_GOOD_FRIDAYS = ["2010-04-02", "2012-04-06", "2015-04-03", "2021-04-02", "2023-04-07"];

function at(close: string, name: string, days: readonly string[]): Record<string, SpecialSession> {
  return Object.fromEntries(days.map((d) => [d, { name, close }]));
}

function group(name: string, title: string, over: Partial<CalendarSpec>, goodFridayTrades: readonly string[], closed: Record<string, string>): CalendarSpec {
  const years = goodFridayTrades.map((d) => Number(d.slice(0, 4)));
  const closures: Rule[] = Object.entries(closed).map(([d, n]) => dates(n, [d]));
  return defineCalendar({
    ...CMES_SPEC,
    name,
    title,
    parent: "CMES",
    holidays: [newYearsDay, goodFriday({ except: years }), christmas, ...closures],
    ...over,
  });
}

export const CMES_EQUITY = group(
  "CMES_EQUITY",
  "CME Globex equity index (ES, NQ, RTY, YM)",
  {
    special: {
      ...at("08:15", GOOD_FRIDAY_JOBS, JOBS_GOOD_FRIDAYS),
      "2004-06-11": { name: MOURNING_2004, close: "08:00" },
      "2018-12-05": { name: MOURNING_2018, close: "08:30" },
      "2025-01-09": { name: MOURNING_2025, close: "08:30" },
    },
  },
  JOBS_GOOD_FRIDAYS,
  { "1994-04-27": MOURNING_1994, "2007-01-02": MOURNING_2007 },
);

const RATES_GOOD_FRIDAYS = JOBS_GOOD_FRIDAYS;
export const CMES_RATES = group(
  "CMES_RATES",
  "CME Globex interest rates (ZN, ZB, ZF, ZT, SR3)",
  {
    special: {
      ...at("10:15", GOOD_FRIDAY_JOBS, RATES_GOOD_FRIDAYS),
      "2004-06-11": { name: MOURNING_2004, close: "08:00" },
      "2007-01-02": { name: MOURNING_2007, close: "12:15" },
      "2025-01-09": { name: MOURNING_2025, close: "12:15" },
    },
  },
  RATES_GOOD_FRIDAYS,
  { "1994-04-27": MOURNING_1994, "2018-12-05": MOURNING_2018 },
);

const FX_GOOD_FRIDAYS = ["2021-04-02", "2023-04-07"];
export const CMES_FX = group(
  "CMES_FX",
  "CME Globex FX (6E, 6J, 6B…)",
  {
    special: {
      ...at("10:15", GOOD_FRIDAY_JOBS, FX_GOOD_FRIDAYS),
      "2004-06-11": { name: MOURNING_2004, close: "08:00" },
      "2007-01-02": { name: MOURNING_2007, close: "12:00" },
    },
  },
  FX_GOOD_FRIDAYS,
  { "1994-04-27": MOURNING_1994 },
);

export const CMES_ENERGY = group("CMES_ENERGY", "CME Globex energy and metals (CL, NG, GC, SI, HG)", {}, [], { "1994-04-27": MOURNING_1994 });

/**
 * CBOT grains and oilseeds on Globex: Sunday–Friday 19:00–07:45 and Monday–Friday 08:30–13:20 Chicago (the hours
 * CME publishes today; the shorter electronic hours of earlier decades are not modelled). Closed on every US market
 * holiday; 12:05 close on the day after Thanksgiving and on Christmas Eve.
 */
export const CMES_AGRI = defineCalendar({
  ...CMES_SPEC,
  name: "CMES_AGRI",
  title: "CME Globex grains and oilseeds (ZC, ZS, ZW, ZL, ZM)",
  parent: "CMES",
  hours: [{ open: "19:00", close: "13:20", lunch: ["07:45", "08:30"] }],
  holidays: [...NYSE_HOLIDAYS, dates(MOURNING_1994, ["1994-04-27"])],
  earlyCloses: [
    {
      close: "12:05",
      key: "earlyClose",
      rules: [computed("Day after Thanksgiving", (y) => nthWeekday(y, 11, THU, 4) + DAY_MS), fixed("Christmas Eve", 12, 24, { days: [MON, TUE, WED, THU] })],
    },
  ],
  special: {
    "2007-01-02": { name: MOURNING_2007, close: "06:00" },
    "2025-01-09": { name: MOURNING_2025, close: "12:15" },
  },
});
