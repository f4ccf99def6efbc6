import { defineCommand } from "citty";
import { calendarFor } from "../src/calendar/index.ts";
import { listCalendar } from "../src/calendar/listing.ts";
import { ConfigError } from "../src/errors.ts";
import { parseInterval } from "../src/model/interval.ts";
import { isProfile, PROFILES } from "../src/model/profile.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

function day(flag: string, raw: string): number {
  const ms = Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw);
  if (Number.isNaN(ms)) throw new ConfigError(`--${flag}: "${raw}" is not a date`, "write e.g. 2024-03-25");
  return ms;
}

export default defineCommand({
  meta: { name: "calendar", description: "List a profile's sessions (open/close in UTC), holidays and early closes, so you can see why a bar is or is not expected" },
  args: {
    ...globalArgs,
    profile: { type: "string", description: "crypto | equity | futures | forex", required: true, valueHint: "P" },
    from: { type: "string", description: "First date (YYYY-MM-DD)", required: true, valueHint: "D" },
    to: { type: "string", description: "Last date (YYYY-MM-DD), inclusive", required: true, valueHint: "D" },
    interval: { type: "string", description: "Also count the expected bars of this interval per session", valueHint: "I" },
  },
  run({ args }) {
    const inv = setup("calendar", args);
    if (!isProfile(args.profile)) throw new ConfigError(`--profile: unknown profile "${args.profile}"`, `use one of ${PROFILES.join(", ")}`);
    const fromMs = day("from", args.from);
    const toMs = day("to", args.to) + 86_400_000 - 1;
    if (toMs < fromMs) throw new ConfigError("--to is before --from", "swap the dates");
    const interval = args.interval ? parseInterval(args.interval) : undefined;
    const listing = listCalendar(calendarFor(args.profile, inv.ctx.reference), fromMs, toMs, interval);
    const counts = { sessions: listing.sessions.length, holidays: listing.holidays.length, earlyCloses: listing.earlyCloses.length };
    return finish(inv, { counts, symbols: [], findings: [], extra: { calendar: listing } });
  },
});
