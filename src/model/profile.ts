import { calendarForExchange, profileOfCalendar } from "../calendar/registry.ts";

/** Market profiles decide which calendar a symbol follows. */
export const PROFILES = ["crypto", "equity", "futures", "forex"] as const;
export type Profile = (typeof PROFILES)[number];

/** True when `s` names a profile. */
export function isProfile(s: string): s is Profile {
  return (PROFILES as readonly string[]).includes(s);
}

/** The profile an exchange implies (the family of its calendar), or undefined for an unknown exchange. */
export function profileForExchange(exchange: string): Profile | undefined {
  const cal = calendarForExchange(exchange);
  return cal ? profileOfCalendar(cal) : undefined;
}
