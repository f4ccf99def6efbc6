import { defineCommand } from "citty";
import { calendarFor, calendarName } from "../src/calendar/index.ts";
import { knownCalendars, listCalendar } from "../src/calendar/listing.ts";
import { ConfigError } from "../src/errors.ts";
import { macroCalendar } from "../src/macro/calendar.ts";
import { parseInterval } from "../src/model/interval.ts";
import { endOfDay, parseDate } from "../src/model/parse.ts";
import { isProfile, PROFILES } from "../src/model/profile.ts";
import { withHelp } from "./_help.ts";
import { finish, setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

export default withHelp(
  defineCommand({
    meta: {
      name: "calendar",
      description: "List a calendar's sessions (open/close and lunch breaks in UTC), holidays and early closes, so you can see why a bar is or is not expected",
    },
    args: {
      ...globalArgs,
      exchange: { type: "string", description: "Calendar or exchange: XNYS, XTKS, TSE, LSE, CMES_EQUITY… (see --list)", valueHint: "X" },
      profile: { type: "string", description: "crypto | equity | futures | forex (the family's default calendar)", valueHint: "P" },
      list: { type: "boolean", description: "List the known calendars and the exchange prefixes that map to them" },
      macro: {
        type: "boolean",
        description: "List FRED's macro release dates instead (key: FRED_API_KEY or vendors.fred.apiKey; cached in the store, reused while fresh)",
      },
      from: { type: "string", description: "First date (YYYY-MM-DD)", valueHint: "D" },
      to: { type: "string", description: "Last date (YYYY-MM-DD), inclusive", valueHint: "D" },
      interval: { type: "string", description: "Also count the expected bars of this interval per session", valueHint: "I" },
    },
    async run({ args }) {
      // --macro caches FRED's calendar in the store: refuse a store it could not write before any request.
      const inv = setup("calendar", args, undefined, { writes: args.macro === true });
      if (args.list) {
        const calendars = knownCalendars();
        return finish(inv, { counts: { calendars: calendars.length }, symbols: [], findings: [], extra: { calendars } });
      }
      if (args.macro) {
        if (args.exchange || args.profile || args.interval)
          throw new ConfigError("--macro lists FRED's release dates: it takes no --exchange, --profile or --interval", "drop them, or drop --macro");
        if (!args.from) throw new ConfigError("--from is required for calendar --macro", "pass e.g. --from 2026-11-01");
        if (!args.to) throw new ConfigError("--to is required for calendar --macro", "pass e.g. --to 2026-12-31");
        parseDate(args.from, "--from");
        if (parseDate(args.to, "--to") < parseDate(args.from, "--from")) throw new ConfigError("--to is before --from", "swap the dates");
        const macro = await macroCalendar(inv.ctx, args.from, args.to, { env: process.env });
        return finish(inv, { counts: { events: macro.events.length, series: macro.series.length }, symbols: [], findings: [], extra: { macro } });
      }
      if (args.profile && !isProfile(args.profile))
        throw new ConfigError(`--profile: unknown profile "${args.profile}"`, `use one of ${PROFILES.join(", ")}, or --exchange`);
      const which = args.exchange ?? args.profile;
      if (!which)
        throw new ConfigError(
          "--profile is required for calendar",
          "pass e.g. --profile equity, or --exchange XTKS for an exchange's own calendar (--list shows them)",
        );
      if (!args.from) throw new ConfigError("--from is required for calendar", "pass e.g. --from 2024-03-25");
      if (!args.to) throw new ConfigError("--to is required for calendar", "pass e.g. --to 2024-03-29");
      const name = calendarName(which);
      const fromMs = parseDate(args.from, "--from");
      const toMs = endOfDay(parseDate(args.to, "--to"));
      if (toMs < fromMs) throw new ConfigError("--to is before --from", "swap the dates");
      const interval = args.interval ? parseInterval(args.interval) : undefined;
      const listing = listCalendar(calendarFor(name, inv.ctx.reference), fromMs, toMs, interval);
      const counts = { sessions: listing.sessions.length, holidays: listing.holidays.length, earlyCloses: listing.earlyCloses.length };
      return finish(inv, { counts, symbols: [], findings: [], extra: { calendar: listing } });
    },
  }),
  {
    usage: [
      "dqctl calendar --exchange X --from D --to D [flags]",
      "dqctl calendar --profile P --from D --to D [flags]",
      "dqctl calendar --macro --from D --to D [flags]",
      "dqctl calendar --list",
    ],
    examples: [
      "dqctl calendar --exchange TSE --from 2026-03-16 --to 2026-03-20",
      "dqctl calendar --profile equity --from 2026-11-23 --to 2026-11-30",
      "dqctl calendar --exchange CMES_EQUITY --from 2025-01-08 --to 2025-01-10 --interval 1h",
      "dqctl calendar --profile forex --from 2026-03-06 --to 2026-03-10 --json",
      "dqctl calendar --list",
      "dqctl calendar --macro --from 2026-11-01 --to 2026-12-31",
    ],
    notes: [
      "--macro reads FRED's release calendar (fred/releases/dates) with the key in FRED_API_KEY or vendors.fred.apiKey (without one: a warning, no events, exit 0);",
      "it is cached in the store with its fetch time (macro.maxAgeHours, default 12) and decides when a FRED series is stale.",
    ],
  },
);
