import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calendarFor, loadReference } from "../../../src/calendar/index.ts";
import { ConfigError } from "../../../src/errors.ts";
import { ISO, T, wall } from "./_helpers.ts";

function refDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "dqctl-ref-"));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), typeof body === "string" ? body : JSON.stringify(body));
  return dir;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("reference overrides", () => {
  test("an absent folder or file means the built-in rules", () => {
    const ref = loadReference(join(tmpdir(), "dqctl-no-such-dir"));
    expect(ref.files).toEqual([]);
    expect(calendarFor("equity", ref).isExpected("1d", T("2024-03-29"))).toBe(false);
  });

  test("holidays.json closes, shortens and reopens days", () => {
    const ref = loadReference(
      refDir({
        "holidays.json": {
          equity: {
            closed: ["2026-01-08", { date: "2026-01-12", name: "Blizzard" }],
            earlyClose: { "2026-11-25": "12:30", "2026-11-23": { close: "14:00", name: "Drill" } },
            open: ["2025-01-09"],
          },
          futures: { closed: ["2026-01-08"] },
        },
      }),
    );
    const eq = calendarFor("equity", ref);
    expect(eq.isExpected("1d", T("2026-01-08"))).toBe(false);
    expect(eq.notesBetween(T("2026-01-12"), T("2026-01-12"))[0]!.name).toBe("Blizzard");
    expect(eq.isExpected("1d", T("2025-01-09"))).toBe(true);
    const s = eq.sessionsBetween(T("2026-11-25"), T("2026-11-25"))[0]!;
    expect(wall(s.closeMs, "America/New_York")).toBe("2026-11-25 12:30");
    expect(eq.sessionsBetween(T("2026-11-23"), T("2026-11-23"))[0]!.early).toBe("Drill");
    expect(calendarFor("futures", ref).isExpected("1d", T("2026-01-08"))).toBe(false);
    // Built-ins are untouched elsewhere, and the default calendar is not affected.
    expect(eq.isExpected("1d", T("2024-03-29"))).toBe(false);
    expect(calendarFor("equity").isExpected("1d", T("2026-01-08"))).toBe(true);
    expect(calendarFor("equity", ref)).toBe(eq);
  });

  test("sessions.json changes hours and the early close", () => {
    const ref = loadReference(refDir({ "sessions.json": { equity: { open: "10:00", close: "15:00", earlyClose: "12:00" } } }));
    const eq = calendarFor("equity", ref);
    const day = eq.sessionsBetween(T("2024-03-12"), T("2024-03-12"))[0]!;
    expect(ISO(day.openMs)).toBe("2024-03-12T14:00:00.000Z");
    expect(eq.expected("1m", day.openMs, day.closeMs).length).toBe(300);
    expect(wall(eq.sessionsBetween(T("2024-07-03"), T("2024-07-03"))[0]!.closeMs, "America/New_York")).toBe("2024-07-03 12:00");
  });

  test("sessions.json keyed by calendar changes that exchange only", () => {
    const ref = loadReference(refDir({ "sessions.json": { XTKS: { close: "15:00", lunch: ["11:30", "12:30"] }, XHKG: { lunch: null } } }));
    const tks = calendarFor("XTKS", ref).sessionsBetween(T("2025-03-03"), T("2025-03-03"))[0]!;
    expect(wall(tks.closeMs, "Asia/Tokyo")).toBe("2025-03-03 15:00");
    expect(calendarFor("XHKG", ref).sessionsBetween(T("2025-03-03"), T("2025-03-03"))[0]!.breakStartMs).toBeUndefined();
    expect(wall(calendarFor("XNYS", ref).sessionsBetween(T("2025-03-03"), T("2025-03-03"))[0]!.closeMs, "America/New_York")).toBe("2025-03-03 16:00");
    expect(configError(() => loadReference(refDir({ "holidays.json": { MOON: { closed: [] } } }))).message).toContain("field MOON: not a profile or calendar");
    expect(configError(() => loadReference(refDir({ "sessions.json": { XTKS: { lunch: ["12:30", "11:30"] } } }))).message).toContain("XTKS.lunch");
  });

  test("a bad field is a ConfigError naming the file and the field", () => {
    const dir = refDir({ "holidays.json": { equity: { closed: ["2026-02-30"] } } });
    const e = configError(() => loadReference(dir));
    expect(e.message).toContain(join(dir, "holidays.json"));
    expect(e.message).toContain("equity.closed.0");
  });

  test.each([
    [{ equity: { open: "9:30" } }, "equity.open"],
    [{ futures: { timezone: "Mars/Olympus" } }, "futures.timezone"],
    [{ forex: { close: "17:00", lunch: "12:00" } }, "forex.lunch"],
    [{ equity: { open: "10:00", close: "10:00" } }, "equity.close"],
    [{ equity: { holidayClose: "12:00" } }, "equity.holidayClose"],
  ])("sessions.json %j is refused at %s", (body, field) => {
    const dir = refDir({ "sessions.json": body });
    const e = configError(() => loadReference(dir));
    expect(e.message).toContain("sessions.json");
    expect(e.message).toContain(field);
  });

  test("malformed JSON and a crypto entry are refused", () => {
    expect(configError(() => loadReference(refDir({ "holidays.json": "{ nope" }))).message).toContain("malformed JSON");
    expect(configError(() => loadReference(refDir({ "holidays.json": { crypto: { closed: [] } } }))).message).toContain("field crypto");
  });
});
