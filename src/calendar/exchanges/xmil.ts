import { fixed } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { boxingDay, christmasDay, christmasEve, easterMonday, goodFriday, labourDay, newYearsDay, newYearsEve } from "./common.ts";

/** Borsa Italiana (Euronext Milan): 09:00–17:30 Rome. */
export default defineCalendar({
  name: "XMIL",
  title: "Borsa Italiana",
  profile: "equity",
  timezone: "Europe/Rome",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [{ open: "09:00", close: "17:30" }],
  holidays: [newYearsDay(), goodFriday(), easterMonday(), labourDay(), fixed("Ferragosto", 8, 15), christmasEve(), christmasDay(), boxingDay(), newYearsEve()],
});
