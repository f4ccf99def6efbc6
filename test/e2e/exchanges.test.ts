// Global markets through the binary: daily files stamped at local midnight (+09:00, +00:00/+01:00, −05:00/−04:00)
// or with plain dates land on their exchange's session dates; a clean Tokyo file audits with no gap and no
// off_calendar; an unknown exchange is one series' finding while the others go through; `calendar --exchange`.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { calendarFor } from "../../src/calendar/index.ts";
import { localClock } from "../helpers/answers.ts";
import { assertSummary, dqctl, tempDir } from "../helpers/cli.ts";

const NOW = "2023-07-03T12:00:00Z";
const FROM = Date.UTC(2023, 0, 1);
const TO = Date.UTC(2023, 5, 30);
let dir: string;
let cleanup: () => void;

/** A daily file of every session of `cal`, each stamped at local midnight of its date (or as a plain date); `extra` stamps follow. */
function dailyFile(cal: string, stamp: "local" | "date", extra: string[] = []): string {
  const zone = calendarFor(cal).timezone;
  const rows = ["date,open,high,low,close,volume"];
  let p = 100;
  for (const s of calendarFor(cal).sessionsBetween(FROM, TO)) {
    const d = new Date(s.label).toISOString().slice(0, 10);
    let ts = d;
    if (stamp === "local") {
      // The offset of local midnight that day, written the way vendors do (+09:00, -04:00).
      const noonOffset = offsetAt(Date.parse(`${d}T12:00:00Z`), zone);
      const sign = noonOffset < 0 ? "-" : "+";
      const a = Math.abs(noonOffset);
      ts = `${d} 00:00:00${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
    }
    rows.push(`${ts},${p},${p + 1},${p - 1},${(p += 0.5)},1000`);
  }
  for (const ts of extra) rows.push(`${ts},${p},${p + 1},${p - 1},${p},1000`);
  return rows.join("\n");
}

function offsetAt(ms: number, zone: string): number {
  const l = localClock(ms, zone);
  return (Date.parse(`${l.date}T${l.hm}:00Z`) - ms) / 60_000;
}

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  const src = join(dir, "src");
  mkdirSync(src);
  writeFileSync(join(src, "TSE_7203_1d.csv"), dailyFile("XTKS", "local"));
  writeFileSync(join(src, "LSE_VOD_1d.csv"), dailyFile("XLON", "local"));
  writeFileSync(join(src, "NYSE_IBM_1d.csv"), dailyFile("XNYS", "local"));
  writeFileSync(join(src, "XETR_SAP_1d.csv"), dailyFile("XETR", "date"));
  writeFileSync(join(src, "HKEX_700_1d.csv"), dailyFile("XHKG", "local", ["2023-06-30 05:17:00+08:00"]));
  writeFileSync(join(src, "FOO_BAR_1d.csv"), dailyFile("XNYS", "date"));
});
afterAll(() => cleanup());

describe("daily bars on the exchange's own session dates", () => {
  test("ingest: every series on its session dates; the unknown exchange is its own finding", async () => {
    const r = await dqctl([
      "ingest",
      "--vendor",
      "file",
      "--source",
      join(dir, "src"),
      "--symbols",
      "TSE:7203,LSE:VOD,NYSE:IBM,XETR:SAP,HKEX:700,FOO:BAR",
      "--now",
      NOW,
      "--lakehouse",
      join(dir, "lh"),
      "--json",
    ]);
    const doc = assertSummary(r.json());
    expect(r.code).toBe(0);
    const by = Object.fromEntries(doc.symbols.map((s: any) => [s.symbol, s]));
    expect(Object.keys(by).sort()).toEqual(["HKEX:700", "LSE:VOD", "NYSE:IBM", "TSE:7203", "XETR:SAP"]);
    // 2023's first Tokyo session is Wednesday Jan 4 (Dec 31–Jan 3 closed), stored at 00:00 UTC of that date.
    expect(by["TSE:7203"].start).toBe("2023-01-04T00:00:00.000Z");
    expect(by["TSE:7203"].end).toBe("2023-06-30T00:00:00.000Z");
    expect(by["LSE:VOD"].start).toBe("2023-01-03T00:00:00.000Z");
    expect(by["XETR:SAP"].start).toBe("2023-01-02T00:00:00.000Z");
    const unknown = doc.findings.filter((f: any) => f.code === "unknown_calendar");
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ severity: "error", symbol: "FOO:BAR" });
    // The Hong Kong row stamped mid-morning is kept as it is and reported, naming the row.
    expect(r.stderr).toContain("HKEX:700 1d: 1 daily timestamp neither midnight");
    expect(r.stderr).toContain("HKEX_700_1d.csv");
  }, 60_000);

  test("audit: the Tokyo file has no gap and no off_calendar; only the odd Hong Kong row is off-calendar", async () => {
    const r = await dqctl(["audit", "--lakehouse", join(dir, "lh"), "--now", NOW, "--json", "--read-only"]);
    const doc = assertSummary(r.json());
    const codes = (sym: string) => doc.findings.filter((f: any) => f.symbol === sym).map((f: any) => f.code);
    for (const sym of ["TSE:7203", "LSE:VOD", "NYSE:IBM", "XETR:SAP"]) {
      expect([sym, codes(sym).filter((c: string) => c === "gap" || c === "off_calendar")]).toEqual([sym, []]);
    }
    const off = doc.findings.find((f: any) => f.symbol === "HKEX:700" && f.code === "off_calendar");
    expect(off.message).toContain("XHKG calendar");
    expect(off.details.timestamps).toEqual(["2023-06-29T21:17:00.000Z"]);
  }, 60_000);
});

describe("dqctl calendar --exchange", () => {
  test("an exchange alias lists the sessions with their lunch break; --list names every calendar", async () => {
    const r = await dqctl(["calendar", "--exchange", "TSE", "--from", "2024-11-05", "--to", "2024-11-05", "--json"]);
    expect(r.code).toBe(0);
    expect(assertSummary(r.json()).calendar).toMatchObject({
      calendar: "XTKS",
      timezone: "Asia/Tokyo",
      sessions: [{ date: "2024-11-05", breakStart: "2024-11-05T02:30:00.000Z", breakEnd: "2024-11-05T03:30:00.000Z" }],
    });
    const t = await dqctl(["calendar", "--exchange", "HKEX", "--from", "2024-12-23", "--to", "2024-12-27"]);
    expect(t.stdout).toContain("04:00–05:00");
    expect(t.stdout).toContain("Christmas Eve");
    const l = await dqctl(["calendar", "--list", "--json"]);
    const names = assertSummary(l.json()).calendars.map((c: any) => c.name);
    for (const n of [
      "XNYS",
      "CMES",
      "CMES_EQUITY",
      "XLON",
      "XETR",
      "XPAR",
      "XAMS",
      "XSWX",
      "XMAD",
      "XMIL",
      "XTKS",
      "XHKG",
      "XSHG",
      "XKRX",
      "XBOM",
      "XASX",
      "XTSE",
      "XJSE",
      "XTAE",
      "XSES",
      "BVMF",
    ])
      expect(names).toContain(n);
    expect(l.json().calendars.find((c: any) => c.name === "XTKS").aliases).toContain("TSE");
    const bad = await dqctl(["calendar", "--exchange", "MOON", "--from", "2024-01-01", "--to", "2024-01-02", "--quiet"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('unknown calendar "MOON"');
  }, 60_000);
});
