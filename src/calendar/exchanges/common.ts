/** Holidays many exchanges share (the fixed Christian calendar and Easter), as rules to compose in each file. */
import { easterOffset, fixed, type Rule, type RuleOptions } from "../rules.ts";

export const newYearsDay = (o?: RuleOptions): Rule => fixed("New Year's Day", 1, 1, o);
export const epiphany = (o?: RuleOptions): Rule => fixed("Epiphany", 1, 6, o);
export const goodFriday = (o?: RuleOptions): Rule => easterOffset("Good Friday", -2, o);
export const easterMonday = (o?: RuleOptions): Rule => easterOffset("Easter Monday", 1, o);
export const labourDay = (o?: RuleOptions): Rule => fixed("Labour Day", 5, 1, o);
export const ascensionDay = (o?: RuleOptions): Rule => easterOffset("Ascension Day", 39, o);
export const whitMonday = (o?: RuleOptions): Rule => easterOffset("Whit Monday", 50, o);
export const assumptionDay = (o?: RuleOptions): Rule => fixed("Assumption Day", 8, 15, o);
export const allSaintsDay = (o?: RuleOptions): Rule => fixed("All Saints' Day", 11, 1, o);
export const christmasEve = (o?: RuleOptions): Rule => fixed("Christmas Eve", 12, 24, o);
export const christmasDay = (o?: RuleOptions): Rule => fixed("Christmas Day", 12, 25, o);
export const boxingDay = (o?: RuleOptions): Rule => fixed("Boxing Day", 12, 26, o);
export const newYearsEve = (o?: RuleOptions): Rule => fixed("New Year's Eve", 12, 31, o);
