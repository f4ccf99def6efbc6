import { defineCommand } from "citty";
import { calendarFor } from "../src/calendar/index.ts";
import { listCalendar } from "../src/calendar/listing.ts";
import { ConfigError } from "../src/errors.ts";
import { parseInterval } from "../src/model/interval.ts";
import { endOfDay, parseDate } from "../src/model/parse.ts";
import { isProfile, PROFILES } from "../src/model/profile.ts";
import { finish, setup } from "./_runtime.ts";
import { withHelp } from "./_help.ts";
import { globalArgs } from "./_shared.ts";

export default withHelp(defineCommand({
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
    const fromMs = parseDate(args.from, "--from");
    const toMs = endOfDay(parseDate(args.to, "--to"));
    if (toMs < fromMs) throw new ConfigError("--to is before --from", "swap the dates");
    const interval = args.interval ? parseInterval(args.interval) : undefined;
    const listing = listCalendar(calendarFor(args.profile, inv.ctx.reference), fromMs, toMs, interval);
    const counts = { sessions: listing.sessions.length, holidays: listing.holidays.length, earlyCloses: listing.earlyCloses.length };
    return finish(inv, { counts, symbols: [], findings: [], extra: { calendar: listing } });
  },
}), {
  examples: [
    "dqctl calendar --profile equity --from 2026-11-23 --to 2026-11-30",
    "dqctl calendar --profile futures --from 2026-12-21 --to 2026-12-31 --interval 1h",
    "dqctl calendar --profile forex --from 2026-03-06 --to 2026-03-10 --json",
  ],
});
