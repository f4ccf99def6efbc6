/** Rules over the lunisolar tables, shared by Hong Kong, Shanghai and Singapore. */
import { DAY_MS, weekday } from "../dates.ts";
import { type Festival, festival } from "../lunisolar.ts";
import { computed, type Observance, type Rule, type RuleOptions, SAT, SUN } from "../rules.ts";

/** A festival, `offset` days after its date (the day after Mid-Autumn, the second day of the New Year). */
export function lunar(name: string, which: Festival, offset = 0, o?: RuleOptions): Rule {
  return computed(
    name,
    (y) => {
      const d = festival(which, y);
      return d === undefined ? undefined : d + offset * DAY_MS;
    },
    o,
  );
}

/** Sunday → Monday, then on past the days already holidays (Ching Ming on Easter Monday moves to Tuesday); a Saturday one is lost. */
export const sundayToNextFree: Observance = (d, taken) => {
  if (weekday(d) === SAT) return d;
  let x = weekday(d) === SUN ? d + DAY_MS : d;
  while (taken(x)) x += DAY_MS;
  return x;
};
