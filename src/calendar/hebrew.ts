/**
 * Hebrew calendar dates for the Tel Aviv calendar, from the runtime's ICU calendar (Intl "hebrew"), so no table is
 * kept here. A Gregorian year's days are read once and indexed by Hebrew month and day.
 */
import { DAY_MS, dayMs } from "./dates.ts";

/** Hebrew months as ICU names them in English ("Adar" in a common year, "Adar I"/"Adar II" in a leap year). */
export type HebrewMonth =
  | "Tishri"
  | "Heshvan"
  | "Kislev"
  | "Tevet"
  | "Shevat"
  | "Adar"
  | "Adar I"
  | "Adar II"
  | "Nisan"
  | "Iyar"
  | "Sivan"
  | "Tamuz"
  | "Av"
  | "Elul";

// Made on first use: building an ICU Hebrew-calendar formatter costs ~13 ms, and only the Tel Aviv calendar needs it.
let format: Intl.DateTimeFormat | undefined;
const years = new Map<number, Map<string, number>>();

function yearIndex(year: number): Map<string, number> {
  let idx = years.get(year);
  if (!idx) {
    idx = new Map();
    format ??= new Intl.DateTimeFormat("en-u-ca-hebrew", { month: "long", day: "numeric", timeZone: "UTC" });
    const fmt = format;
    for (let d = dayMs(year, 1, 1); d < dayMs(year + 1, 1, 1); d += DAY_MS) {
      const p = fmt.formatToParts(d);
      idx.set(`${p.find((x) => x.type === "month")!.value} ${p.find((x) => x.type === "day")!.value}`, d);
    }
    years.set(year, idx);
  }
  return idx;
}

/** The Gregorian day (00:00 UTC ms) in `year` that is `day` of Hebrew `month`, if that Hebrew date falls in it. */
export function hebrewDay(year: number, month: HebrewMonth, day: number): number | undefined {
  return yearIndex(year).get(`${month} ${day}`);
}

/** Purim's month: Adar II in a leap year, else Adar. */
export function purimDay(year: number): number | undefined {
  return hebrewDay(year, "Adar II", 14) ?? hebrewDay(year, "Adar", 14);
}
