// Every built-in exchange calendar, session by session (open, close, lunch break, in UTC), against the answer files of
// exchange_calendars (test/answers/README.md: source, commit, licence, and each documented deviation).
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { calendarFor } from "../../../src/calendar/index.ts";
import { BUILT_IN } from "../../../src/calendar/registry.ts";
import { ANSWERS_DIR, applyDeviations, compareWithAnswers, type Deviation, readAnswers } from "../../helpers/answers.ts";

const deviations = JSON.parse(readFileSync(join(ANSWERS_DIR, "deviations.json"), "utf8")) as Deviation[];
// Product groups refine CMES (checked in cme.test.ts); spot FX has no exchange to compare with.
const CHECKED = BUILT_IN.filter((s) => !s.parent && s.name !== "FOREX");

describe("calendars agree with exchange_calendars' answer files day for day", () => {
  for (const spec of CHECKED) {
    test(`${spec.name}`, () => {
      const a = readAnswers(spec.name);
      const cal = calendarFor(spec.name);
      const expected = applyDeviations(
        a.sessions,
        deviations.filter((d) => d.calendar === spec.name),
        cal.timezone,
      );
      const from = Math.max(a.first, Date.UTC(spec.firstYear, 0, 1));
      const diffs = compareWithAnswers(cal, expected, from, a.last);
      expect(diffs.slice(0, 25)).toEqual([]);
      expect(cal.sessionsBetween(from, a.last).length).toBe(expected.filter((s) => s.label >= from).length);
    });
  }

  test("every documented deviation changes at least one session (none is stale)", () => {
    for (const d of deviations) {
      const a = readAnswers(d.calendar);
      const zone = calendarFor(d.calendar).timezone;
      const before = JSON.stringify(a.sessions);
      expect([d.calendar, d.reason, JSON.stringify(applyDeviations(a.sessions, [d], zone)) !== before]).toEqual([d.calendar, d.reason, true]);
    }
  });
});
