import { defineCommand } from "citty";
import Table from "cli-table3";
import { calendarFor, calendarName } from "../src/calendar/index.ts";
import { knownCalendars, listCalendar } from "../src/calendar/listing.ts";
import { ConfigError } from "../src/errors.ts";
import { parseInterval } from "../src/model/interval.ts";
import { isProfile, PROFILES } from "../src/model/profile.ts";
import { toJson } from "../src/report/summary.ts";
import { setup } from "./_runtime.ts";
import { globalArgs } from "./_shared.ts";

function day(flag: string, raw: string): number {
  const ms = Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw);
  if (Number.isNaN(ms)) throw new ConfigError(`--${flag}: "${raw}" is not a date`, "write e.g. 2024-03-25");
  return ms;
}

const plain = () => (process.stdout.isTTY && !process.env.NO_COLOR ? {} : { head: [], border: [] });
const hm = (isoTime: string) => isoTime.slice(11, 16);

export default defineCommand({
  meta: { name: "calendar", description: "List a calendar's sessions (open/close and lunch breaks in UTC), holidays and early closes, so you can see why a bar is or is not expected" },
  args: {
    ...globalArgs,
    exchange: { type: "string", description: "Calendar or exchange: XNYS, XTKS, TSE, LSE, CMES_EQUITY… (see --list)", valueHint: "X" },
    profile: { type: "string", description: "crypto | equity | futures | forex (the family's default calendar)", valueHint: "P" },
    list: { type: "boolean", description: "List the known calendars and the exchange prefixes that map to them" },
    from: { type: "string", description: "First date (YYYY-MM-DD)", valueHint: "D" },
    to: { type: "string", description: "Last date (YYYY-MM-DD), inclusive", valueHint: "D" },
    interval: { type: "string", description: "Also count the expected bars of this interval per session", valueHint: "I" },
  },
  run({ args }) {
    const inv = setup("calendar", args);
    if (args.list) {
      const known = knownCalendars();
      if (inv.json) {
        process.stdout.write(`${toJson({ calendars: known })}\n`);
        return 0;
      }
      const t = new Table({ head: ["calendar", "profile", "time zone", "from", "maps from"], style: plain() });
      for (const k of known) t.push([`${k.name}\n${k.title}`, k.profile, k.timezone, String(k.from), k.aliases.join(" ")]);
      process.stdout.write(`${t.toString()}\n`);
      return 0;
    }
    if (args.profile && !isProfile(args.profile)) throw new ConfigError(`--profile: unknown profile "${args.profile}"`, `use one of ${PROFILES.join(", ")}, or --exchange`);
    const which = args.exchange ?? args.profile;
    if (!which) throw new ConfigError("calendar: which calendar?", "pass --exchange XTKS (or TSE, LSE, CMES_EQUITY…), --profile equity, or --list");
    if (!args.from || !args.to) throw new ConfigError("calendar: --from and --to are required", "pass e.g. --from 2024-03-25 --to 2024-03-29");
    const name = calendarName(which);
    const fromMs = day("from", args.from);
    const toMs = day("to", args.to) + 86_400_000 - 1;
    if (toMs < fromMs) throw new ConfigError("--to is before --from", "swap the dates");
    const interval = args.interval ? parseInterval(args.interval) : undefined;
    const listing = listCalendar(calendarFor(name, inv.ctx.reference), fromMs, toMs, interval);
    if (inv.json) {
      process.stdout.write(`${toJson(listing)}\n`);
      return 0;
    }
    const breaks = listing.sessions.some((s) => s.breakStart);
    const t = new Table({ head: ["session", "open (UTC)", "close (UTC)", ...(breaks ? ["break (UTC)"] : []), "note", ...(interval ? [`${interval} bars`] : [])], style: plain() });
    for (const s of listing.sessions) {
      t.push([s.date, s.open, s.close, ...(breaks ? [s.breakStart ? `${hm(s.breakStart)}–${hm(s.breakEnd!)}` : ""] : []), s.early ?? s.special ?? "", ...(interval ? [String(s.bars ?? "")] : [])]);
    }
    let out = `${listing.calendar} ${listing.profile} (${listing.timezone}) ${args.from} → ${args.to}\n${t.toString()}\n`;
    for (const h of listing.holidays) out += `closed ${h.date}: ${h.name}\n`;
    for (const e of listing.earlyCloses) out += `early close ${e.date} at ${e.close}${e.localClose ? ` (${e.localClose} local)` : ""}: ${e.name}\n`;
    for (const e of listing.specialHours) out += `late open ${e.date} at ${e.open}${e.localOpen ? ` (${e.localOpen} local)` : ""}: ${e.name}\n`;
    process.stdout.write(out);
    return 0;
  },
});
