import { describe, expect, test } from "bun:test";
import { calendarFor } from "../../../src/calendar/index.ts";
import { listCalendar } from "../../../src/calendar/listing.ts";
import { calendarForExchange, cmeGroupOf, futuresRoot } from "../../../src/calendar/registry.ts";
import { isUnknown, resolveCalendar } from "../../../src/calendar/resolve.ts";
import { parseSymbol } from "../../../src/model/symbol.ts";
import { fromVendorTicker } from "../../../src/vendors/tickers.ts";
import { T, wall } from "./_helpers.ts";

const session = (cal: string, d: string) => calendarFor(cal).sessionsBetween(T(d), T(d))[0];
const local = (cal: string, d: string) => {
  const s = session(cal, d)!;
  const z = calendarFor(cal).timezone;
  const hm = (ms: number | undefined) => (ms === undefined ? "-" : wall(ms, z).slice(11));
  return `${hm(s.openMs)}-${hm(s.closeMs)} ${hm(s.breakStartMs)}-${hm(s.breakEndMs)}`;
};

describe("exchange hours as they changed", () => {
  test("XTKS: lunch to 11:00 until 2011-11-18, to 11:30 after; close 15:30 from 2024-11-05", () => {
    expect(local("XTKS", "2011-11-18")).toBe("09:00-15:00 11:00-12:30");
    expect(local("XTKS", "2011-11-21")).toBe("09:00-15:00 11:30-12:30");
    expect(local("XTKS", "2024-11-01")).toBe("09:00-15:00 11:30-12:30");
    expect(local("XTKS", "2024-11-05")).toBe("09:00-15:30 11:30-12:30");
  });

  test("XHKG: three lunch regimes, and morning-only half days", () => {
    expect(local("XHKG", "2010-06-01")).toBe("10:00-16:00 12:30-14:30");
    expect(local("XHKG", "2011-06-01")).toBe("09:30-16:00 12:00-13:30");
    expect(local("XHKG", "2013-06-03")).toBe("09:30-16:00 12:00-13:00");
    expect(local("XHKG", "2024-12-24")).toBe("09:30-12:00 ---");
    expect(session("XHKG", "2024-12-24")!.early).toBe("Christmas Eve");
  });

  test("XTAE: Sunday–Thursday to 2026-01-04 (Sunday short), Monday–Friday after (Friday short)", () => {
    expect(local("XTAE", "2025-12-28")).toBe("09:59-15:40 ---");
    expect(session("XTAE", "2026-01-02")).toBeUndefined();
    expect(session("XTAE", "2026-01-04")).toBeDefined();
    expect(session("XTAE", "2026-01-11")).toBeUndefined();
    expect(local("XTAE", "2026-01-09")).toBe("09:59-13:50 ---");
    expect(local("XTAE", "2026-01-12")).toBe("09:59-17:15 ---");
  });

  test("XKRX: the first session of the year opens an hour late; exam day moves every edge", () => {
    expect(local("XKRX", "2025-01-02")).toBe("10:00-15:30 ---");
    expect(local("XKRX", "2024-11-14")).toBe("10:00-16:30 ---");
    expect(session("XKRX", "2024-11-14")!.special).toBe("College entrance exam (CSAT)");
    expect(local("XKRX", "1996-03-16")).toBe("09:30-15:00 11:30-13:00"); // a Saturday session
  });

  test("lunar and announced holidays", () => {
    for (const [cal, d] of [
      ["XHKG", "2026-02-17"],
      ["XSHG", "2025-10-08"],
      ["XKRX", "2025-10-06"],
      ["XSES", "2025-01-29"],
      ["XBOM", "2025-10-21"],
      ["XTAE", "2025-10-02"],
      ["XTKS", "2026-09-22"],
      ["XLON", "2023-05-08"],
    ] as const) {
      expect([cal, d, session(cal, d)]).toEqual([cal, d, undefined]);
    }
  });

  test("listing shows lunch breaks in UTC", () => {
    const l = listCalendar(calendarFor("XTKS"), T("2024-11-05"), T("2024-11-05"), "1h");
    expect(l.sessions[0]).toMatchObject({
      open: "2024-11-05T00:00:00.000Z",
      close: "2024-11-05T06:30:00.000Z",
      breakStart: "2024-11-05T02:30:00.000Z",
      breakEnd: "2024-11-05T03:30:00.000Z",
      bars: 6,
    });
  });

  test("hourly bars restart after lunch (XTKS 1h: 09:00, 10:00, 11:00, 12:30, 13:30, 14:30)", () => {
    const s = session("XTKS", "2024-11-05")!;
    const bars = [...calendarFor("XTKS").expected("1h", s.openMs, s.closeMs - 1)].map((t) => wall(t, "Asia/Tokyo").slice(11));
    expect(bars).toEqual(["09:00", "10:00", "11:00", "12:30", "13:30", "14:30"]);
  });
});

describe("exchange prefixes, Yahoo suffixes and CME roots find their calendar", () => {
  test.each([
    ["LSE", "XLON"],
    ["XETR", "XETR"],
    ["EURONEXT", "XPAR"],
    ["SIX", "XSWX"],
    ["BME", "XMAD"],
    ["MIL", "XMIL"],
    ["TSE", "XTKS"],
    ["HKEX", "XHKG"],
    ["SSE", "XSHG"],
    ["SZSE", "XSHG"],
    ["KRX", "XKRX"],
    ["BSE", "XBOM"],
    ["NSE", "XBOM"],
    ["ASX", "XASX"],
    ["TSX", "XTSE"],
    ["JSE", "XJSE"],
    ["TASE", "XTAE"],
    ["SGX", "XSES"],
    ["BMFBOVESPA", "BVMF"],
    ["NASDAQ", "XNYS"],
    ["CME_MINI", "CMES"],
  ])("%s → %s", (ex, cal) => expect(calendarForExchange(ex)).toBe(cal));

  test.each([
    ["VOD.L", "XLON"],
    ["SAP.DE", "XETR"],
    ["MC.PA", "XPAR"],
    ["ASML.AS", "XPAR"],
    ["NESN.SW", "XSWX"],
    ["SAN.MC", "XMAD"],
    ["ENI.MI", "XMIL"],
    ["7203.T", "XTKS"],
    ["0700.HK", "XHKG"],
    ["600519.SS", "XSHG"],
    ["005930.KS", "XKRX"],
    ["RELIANCE.BO", "XBOM"],
    ["RELIANCE.NS", "XBOM"],
    ["BHP.AX", "XASX"],
    ["SHOP.TO", "XTSE"],
    ["NPN.JO", "XJSE"],
    ["TEVA.TA", "XTAE"],
    ["D05.SI", "XSES"],
    ["PETR4.SA", "BVMF"],
  ])("yahoo %s → %s", (t, cal) => {
    const r = resolveCalendar(fromVendorTicker("yahoo", t, {}));
    expect(isUnknown(r) ? undefined : r.calendar).toBe(cal);
  });

  test("CME roots pick the product group; other roots keep CMES", () => {
    expect(futuresRoot("ES1!")).toBe("ES");
    expect(futuresRoot("ESZ2024")).toBe("ES");
    expect(futuresRoot("SR3Z24")).toBe("SR3");
    expect(futuresRoot("M2K1!")).toBe("M2K");
    expect(futuresRoot("6E1!")).toBe("6E");
    const cal = (id: string) => {
      const r = resolveCalendar(parseSymbol(id));
      return isUnknown(r) ? undefined : r.calendar;
    };
    expect(cal("CME_MINI:ES1!")).toBe("CMES_EQUITY");
    expect(cal("CBOT:ZN1!")).toBe("CMES_RATES");
    expect(cal("NYMEX:CL1!")).toBe("CMES_ENERGY");
    expect(cal("COMEX:GC1!")).toBe("CMES_ENERGY");
    expect(cal("CME:6E1!")).toBe("CMES_FX");
    expect(cal("CBOT:ZC1!")).toBe("CMES_AGRI");
    expect(cal("CME:LE1!")).toBe("CMES");
    expect(cmeGroupOf("HE1!")).toBeUndefined();
  });

  test("a configured calendar wins; a profile of another family means that family's default; unknown says how to map it", () => {
    const r = (id: string, inst = {}) => resolveCalendar(parseSymbol(id), inst);
    expect(r("FOO:BAR", { "FOO:BAR": { calendar: "tse" } })).toEqual({ calendar: "XTKS", profile: "equity" });
    expect(r("LSE:VOD", { "LSE:VOD": { calendar: "XNYS" } })).toEqual({ calendar: "XNYS", profile: "equity" });
    expect(r("LSE:VOD", { "LSE:VOD": { profile: "equity" } })).toEqual({ calendar: "XLON", profile: "equity" });
    expect(r("LSE:BTC", { "LSE:BTC": { profile: "crypto" } })).toEqual({ calendar: "CRYPTO", profile: "crypto" });
    expect(r("FRED:DGS10", { "FRED:DGS10": { profile: "equity" } })).toEqual({ calendar: "XNYS", profile: "equity" });
    const u = r("FOO:BAR");
    expect(isUnknown(u)).toBe(true);
    if (isUnknown(u)) {
      expect(u.message).toBe('FOO:BAR: unknown exchange "FOO", no calendar');
      expect(u.advice).toContain('instruments["FOO:BAR"].calendar');
      expect(u.advice).toContain("XTKS");
    }
  });
});
