import { align } from "../calendar/align.ts";
import { isMarketCalendar } from "../calendar/sessions.ts";
import { iso } from "../model/finding.ts";
import { type Check, type CheckMeta, finding, MAX_EVIDENCE } from "./types.ts";

/** `off_calendar`: bars whose open the calendar does not expect (weekend padding, holidays, off-grid times). */
const meta = {
  rule: "bars the calendar does not expect: weekend padding, holidays, opens off the interval's grid",
  severity: "warning",
  options: {},
  example: "4 bars outside the equity calendar",
} as const satisfies CheckMeta;

export const offCalendar: Check = {
  code: "off_calendar",
  meta,
  run(input, opts) {
    const ts = input.bars.timestamp;
    if (ts.length === 0) return [];
    const off = align(input.calendar, input.interval, ts, ts[0]!, ts[ts.length - 1]!).offCalendar;
    if (off.length === 0) return [];
    const n = off.length;
    // Named by calendar (XTKS, CMES_EQUITY…); a test stub without a name by its profile.
    const name = isMarketCalendar(input.calendar) ? input.calendar.name : input.profile;
    return [
      finding(
        input,
        "off_calendar",
        opts.severity("warning"),
        `${n} bar${n === 1 ? "" : "s"} outside the ${name} calendar`,
        { bars: n },
        {
          timestamps: off.slice(0, MAX_EVIDENCE).map(iso),
        },
      ),
    ];
  },
};
