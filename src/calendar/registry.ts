/**
 * The built-in calendars and how symbols find theirs: exchange prefixes (TradingView, vendor and MIC codes) → a
 * calendar; CME roots → a product group; a profile → its family's default calendar.
 */
import type { Profile } from "../model/profile.ts";
import BVMF from "./exchanges/bvmf.ts";
import { CMES_AGRI, CMES_ENERGY, CMES_EQUITY, CMES_FX, CMES_RATES } from "./exchanges/cme-groups.ts";
import { CMES_SPEC as CMES } from "./exchanges/cmes.ts";
import FOREX from "./exchanges/forex.ts";
import XAMS from "./exchanges/xams.ts";
import XASX from "./exchanges/xasx.ts";
import XBOM from "./exchanges/xbom.ts";
import XETR from "./exchanges/xetr.ts";
import XHKG from "./exchanges/xhkg.ts";
import XJSE from "./exchanges/xjse.ts";
import XKRX from "./exchanges/xkrx.ts";
import XLON from "./exchanges/xlon.ts";
import XMAD from "./exchanges/xmad.ts";
import XMIL from "./exchanges/xmil.ts";
import XNYS from "./exchanges/xnys.ts";
import XPAR from "./exchanges/xpar.ts";
import XSES from "./exchanges/xses.ts";
import XSHG from "./exchanges/xshg.ts";
import XSWX from "./exchanges/xswx.ts";
import XTAE from "./exchanges/xtae.ts";
import XTKS from "./exchanges/xtks.ts";
import XTSE from "./exchanges/xtse.ts";
import type { CalendarSpec } from "./spec.ts";

/** Every declared calendar (crypto is arithmetic, not declared: see crypto.ts). */
export const BUILT_IN: readonly CalendarSpec[] = [
  XNYS,
  CMES,
  CMES_EQUITY,
  CMES_RATES,
  CMES_ENERGY,
  CMES_FX,
  CMES_AGRI,
  FOREX,
  XLON,
  XETR,
  XPAR,
  XAMS,
  XSWX,
  XMAD,
  XMIL,
  XASX,
  XTSE,
  XJSE,
  BVMF,
  XTKS,
  XHKG,
  XSHG,
  XKRX,
  XSES,
  XBOM,
  XTAE,
];

/** The 24/7 UTC calendar's name. */
export const CRYPTO = "CRYPTO";

const BY_NAME = new Map(BUILT_IN.map((s) => [s.name, s]));

/** The calendar a profile means when nothing more specific is known. */
export const DEFAULT_CALENDAR: Readonly<Record<Profile, string>> = { equity: "XNYS", futures: "CMES", forex: "FOREX", crypto: CRYPTO };

/** Exchange prefixes → calendar. MIC codes map to themselves (below). */
const EXCHANGES: Readonly<Record<string, readonly string[]>> = {
  XNYS: ["NYSE", "NASDAQ", "AMEX", "ARCA", "BATS", "NYSEARCA", "CBOE", "OTC", "XNAS"],
  CMES: ["CME", "CME_MINI", "CBOT", "CBOT_MINI", "NYMEX", "COMEX", "ICEUS"],
  FOREX: ["FX", "FX_IDC", "OANDA", "FXCM", "FOREXCOM", "SAXO", "PEPPERSTONE"],
  XLON: ["LSE", "LSIN"],
  XETR: ["XETRA"],
  XPAR: ["EURONEXT"],
  XSWX: ["SIX", "SWX"],
  XMAD: ["BME"],
  XMIL: ["MIL"],
  XASX: ["ASX"],
  XTSE: ["TSX", "TSXV", "XTSX"],
  XJSE: ["JSE"],
  BVMF: ["BMFBOVESPA", "BOVESPA", "B3"],
  XTKS: ["TSE", "JPX", "TYO"],
  XHKG: ["HKEX", "HKG", "SEHK"],
  XSHG: ["SSE", "SZSE", "XSHE", "XSSC"],
  XKRX: ["KRX", "KOSDAQ", "KSE"],
  XSES: ["SGX"],
  XBOM: ["BSE", "NSE", "XNSE"],
  XTAE: ["TASE", "TLV"],
  [CRYPTO]: [
    "BINANCE",
    "BINANCEUS",
    "COINBASE",
    "KRAKEN",
    "OKX",
    "BYBIT",
    "BITGET",
    "KUCOIN",
    "BITSTAMP",
    "GEMINI",
    "BITFINEX",
    "HUOBI",
    "HTX",
    "GATEIO",
    "MEXC",
    "CRYPTO",
    "CRYPTOCAP",
    "DERIBIT",
    "BITMEX",
  ],
};

const EXCHANGE_CALENDAR = new Map<string, string>();
for (const [cal, list] of Object.entries(EXCHANGES)) for (const ex of list) EXCHANGE_CALENDAR.set(ex, cal);
for (const s of BUILT_IN) if (!s.parent) EXCHANGE_CALENDAR.set(s.name, s.name);

/** CME roots → product group (the rest of CME keeps the all-products CMES calendar). */
const CME_GROUPS: Readonly<Record<string, readonly string[]>> = {
  CMES_EQUITY: ["ES", "NQ", "RTY", "YM", "MES", "MNQ", "M2K", "MYM", "EMD", "NKD", "SDA"],
  CMES_RATES: ["ZN", "ZB", "ZF", "ZT", "UB", "TN", "TWE", "ZQ", "SR3", "SR1", "GE", "FF"],
  CMES_ENERGY: ["CL", "NG", "RB", "HO", "MCL", "QM", "QG", "BZ", "GC", "SI", "HG", "PL", "PA", "MGC", "SIL", "QO", "QI", "ALI"],
  CMES_FX: ["6E", "6J", "6B", "6A", "6C", "6S", "6N", "6M", "6L", "6Z", "M6E", "M6A", "M6B", "E7", "J7"],
  CMES_AGRI: ["ZC", "ZS", "ZW", "ZL", "ZM", "ZO", "ZR", "KE", "XC", "XW", "XK", "MZC", "MZS", "MZW"],
};
const ROOT_GROUP = new Map<string, string>();
for (const [g, roots] of Object.entries(CME_GROUPS)) for (const r of roots) ROOT_GROUP.set(r, g);

/** The declared calendar of a canonical name. */
export function specOf(name: string): CalendarSpec | undefined {
  return BY_NAME.get(name);
}

/** Canonical names of every calendar, crypto included. */
export function calendarNames(): string[] {
  return [...BUILT_IN.map((s) => s.name), CRYPTO];
}

/** A calendar name or exchange alias (XTKS, tse, CME) → canonical name, or undefined. */
export function canonicalCalendar(raw: string): string | undefined {
  const s = raw.trim().toUpperCase();
  if (BY_NAME.has(s) || s === CRYPTO) return s;
  return EXCHANGE_CALENDAR.get(s);
}

/** The family of a canonical calendar name. */
export function profileOfCalendar(name: string): Profile | undefined {
  return name === CRYPTO ? "crypto" : BY_NAME.get(name)?.profile;
}

/** The calendar an exchange prefix implies, or undefined when dqctl does not know the exchange. */
export function calendarForExchange(exchange: string): string | undefined {
  return EXCHANGE_CALENDAR.get(exchange.toUpperCase());
}

/** The exchange aliases that map to a calendar (for `dqctl calendar --list`). */
export function aliasesOf(name: string): string[] {
  return [...EXCHANGE_CALENDAR].filter(([ex, cal]) => cal === name && ex !== name).map(([ex]) => ex);
}

/** The CME root of a futures ticker: `ES1!` → ES, `ESZ2024` → ES, `6E1!` → 6E, `SR3Z24` → SR3. */
export function futuresRoot(ticker: string): string {
  const t = ticker.toUpperCase();
  const cont = /^(.+)\d!$/.exec(t);
  if (cont) return cont[1]!;
  const dated = /^(.+)[FGHJKMNQUVXZ]\d{1,4}$/.exec(t);
  return dated && ROOT_GROUP.has(dated[1]!) ? dated[1]! : t;
}

/** The CME product group of a futures ticker, when its root is one dqctl knows. */
export function cmeGroupOf(ticker: string): string | undefined {
  return ROOT_GROUP.get(futuresRoot(ticker));
}

/** CME roots per product group (for the README and `dqctl calendar --list`). */
export function cmeGroupRoots(): Readonly<Record<string, readonly string[]>> {
  return CME_GROUPS;
}
