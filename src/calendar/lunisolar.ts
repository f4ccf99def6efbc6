/**
 * Chinese lunisolar festival dates 1989–2030 (Gregorian, as observed in China and Hong Kong before any weekend
 * substitution), from exchange_calendars' lunisolar_holidays.py (Apache-2.0; computed there from the Purple Mountain
 * Observatory tables). Each table is one "MMDD" per year from 1989, so the year is implied by the position.
 */
import { dayMs } from "./dates.ts";

const FIRST = 1989;

/** Lunar New Year (Spring Festival), first day. */
const LUNAR_NEW_YEAR =
  "020601270215020401230210013102190207012802160205012402120201012202090129021802070126021402030123021001310219020801280216020501250212020101220210012902170206012602130203";
/** Qingming (Ching Ming) Festival. */
const QINGMING =
  "040504050405040404050405040504040405040504050404040504050405040404050405040504040404040504050404040404050405040404040405040504040404040504050404040404050405040404040405";
/** Buddha's Birthday (8th day of the 4th lunar month). */
const BUDDHAS_BIRTHDAY =
  "051205020521051005280518050705240514050305220511043005190508052605150505052405120502052105100428051705060525051405030522051204300519050805260515050505240513050205200509";
/** Dragon Boat (Tuen Ng) Festival. */
const DRAGON_BOAT =
  "060805280616060506240613060206200609053006180606062506150604062206110531061906080528061606060623061206020620060905300618060706250614060306220610053106190609052806160605";
/** Mid-Autumn Festival. */
const MID_AUTUMN =
  "091410030922091109300920090909270916100509240912100109210911092809181006092509141003092209120930091909080927091510040924091310010921091009290917100609250915100309220912";
/** Double Ninth (Chung Yeung) Festival. */
const DOUBLE_NINTH =
  "100810261016100410231013110110201010102810171006102510141004102210111030101910071026101610051023101310021021100910281017100710251014100410231011102910181008102610161005";

/** The festivals in the tables. */
export type Festival = "lunarNewYear" | "qingming" | "buddhasBirthday" | "dragonBoat" | "midAutumn" | "doubleNinth";

const TABLES: Record<Festival, string> = {
  lunarNewYear: LUNAR_NEW_YEAR,
  qingming: QINGMING,
  buddhasBirthday: BUDDHAS_BIRTHDAY,
  dragonBoat: DRAGON_BOAT,
  midAutumn: MID_AUTUMN,
  doubleNinth: DOUBLE_NINTH,
};

/** The day ms of a festival in `year`, or undefined outside 1989–2030. */
export function festival(name: Festival, year: number): number | undefined {
  const i = (year - FIRST) * 4;
  const t = TABLES[name];
  if (i < 0 || i + 4 > t.length) return undefined;
  return dayMs(year, Number(t.slice(i, i + 2)), Number(t.slice(i + 2, i + 4)));
}
