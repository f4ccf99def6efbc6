// Property tests for every built-in exchange calendar (fixed seed): sessions inside their weekdays, breaks inside
// sessions, DST switches giving sessions of the right UTC length, and gap detection exact under random removals.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { parseWeekdays } from "../../src/calendar/engine.ts";
import { calendarFor } from "../../src/calendar/index.ts";
import { BUILT_IN } from "../../src/calendar/registry.ts";
import type { CalendarSpec } from "../../src/calendar/spec.ts";
import { missingRanges } from "../../src/checks/gap.ts";
import { offCalendar } from "../../src/checks/off_calendar.ts";
import { normalizeBars } from "../../src/model/bars.ts";
import type { Interval } from "../../src/model/interval.ts";
import { localClock } from "../helpers/answers.ts";
import { keepMask, naiveMissingRuns } from "../helpers/missing-runs.ts";
import { barsAt, opts } from "../unit/calendar/_helpers.ts";

fc.configureGlobal({ seed: 20260316, numRuns: 12 });

const DAY = 86_400_000;
const SPAN = 100 * DAY;
/** Window starts 1990–2027, or a few weeks before the usual DST months (March/April, September–November). */
const startDay = fc.oneof(
  fc.integer({ min: Date.UTC(1990, 0, 1) / DAY, max: Date.UTC(2027, 8, 1) / DAY }).map((d) => d * DAY),
  fc
    .record({ year: fc.integer({ min: 1995, max: 2027 }), month: fc.constantFrom(1, 2, 8, 9), back: fc.integer({ min: 0, max: 40 }) })
    .map(({ year, month, back }) => Date.UTC(year, month, 20) - back * DAY),
);

/** Offset (minutes east) of a zone at an instant, from Intl. */
function offset(ms: number, zone: string): number {
  const l = localClock(ms, zone);
  return (Date.parse(`${l.date}T${l.hm}:00Z`) - Math.floor(ms / 60_000) * 60_000) / 60_000;
}

/** The spec's trading weekdays on a date. */
function weekdaysOn(spec: CalendarSpec, day: number): boolean[] {
  const eras = typeof spec.weekdays === "string" || !spec.weekdays ? [{ days: spec.weekdays ?? "Mon-Fri" }] : spec.weekdays;
  let days = eras[0]!.days;
  for (const e of eras) if (!("from" in e) || !e.from || Date.parse(`${e.from}T00:00:00Z`) <= day) days = e.days;
  return parseWeekdays(days);
}

for (const spec of BUILT_IN) {
  const cal = calendarFor(spec.name);
  const zone = cal.timezone;
  describe(spec.name, () => {
    test("every session is on a trading weekday, opens before it closes, and its break lies inside it", () => {
      fc.assert(
        fc.property(startDay, (start) => {
          for (const s of cal.sessionsBetween(start, start + SPAN)) {
            const extra = spec.extraSessions?.[new Date(s.label).toISOString().slice(0, 10)];
            expect(extra !== undefined || weekdaysOn(spec, s.label)[new Date(s.label).getUTCDay()]).toBe(true);
            expect(s.openMs).toBeLessThan(s.closeMs);
            if (s.breakStartMs !== undefined) {
              expect(s.openMs).toBeLessThan(s.breakStartMs);
              expect(s.breakStartMs).toBeLessThan(s.breakEndMs!);
              expect(s.breakEndMs!).toBeLessThan(s.closeMs);
            }
          }
        }),
      );
    });

    test("across DST switches a session lasts its local hours: UTC length = local length − the offset change", () => {
      fc.assert(
        fc.property(startDay, (start) => {
          for (const s of cal.sessionsBetween(start, start + SPAN)) {
            const o = localClock(s.openMs, zone);
            const c = localClock(s.closeMs, zone);
            const naive = (Date.parse(`${c.date}T${c.hm}:00Z`) - Date.parse(`${o.date}T${o.hm}:00Z`)) / 60_000;
            expect((s.closeMs - s.openMs) / 60_000).toBe(naive - (offset(s.closeMs, zone) - offset(s.openMs, zone)));
            // The session is labelled with its close's local date (evening opens belong to the next day).
            expect(c.date).toBe(new Date(s.label).toISOString().slice(0, 10));
          }
          // Regular sessions of a window keep one local open time, whatever the UTC offset did.
          const regular = cal.sessionsBetween(start, start + SPAN).filter((s) => !s.early && !s.special);
          const opens = new Set(regular.map((s) => `${localClock(s.openMs, zone).hm}|${new Date(s.label).getUTCDay() === 0 ? "sun" : ""}`));
          expect(opens.size).toBeLessThanOrEqual(spec.hours.length + 1);
        }),
      );
    });

    for (const interval of ["1d", "1h"] as Interval[]) {
      test(`${interval}: removed bars come back exactly as missing ranges, nothing off-calendar`, () => {
        fc.assert(
          fc.property(
            startDay,
            fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 12 }) }), { maxLength: 5 }),
            (start, cuts) => {
              const exp = cal.expected(interval, start, start + (interval === "1d" ? SPAN : 20 * DAY));
              fc.pre(exp.length > 2);
              const keep = keepMask(exp.length, cuts);
              const kept = [...exp].filter((_, i) => keep[i]);
              const raw = barsAt(kept);
              const input = {
                symbol: "X:Y",
                interval,
                profile: spec.profile,
                raw,
                bars: normalizeBars(raw),
                calendar: cal,
                nowMs: Date.UTC(2030, 0, 1),
                genesisMs: exp[0]!,
              };
              expect(missingRanges(input)).toEqual(naiveMissingRuns(exp, keep));
              expect(offCalendar.run(input, opts())).toEqual([]);
            },
          ),
        );
      });
    }
  });
}
