/**
 * Vendor tickers ↔ dqctl ids.
 *
 * Forward (`toVendorTicker`): `instruments["<id>"].tickers.<vendor>` in the config always wins; otherwise
 * the ticker is derived from the id (see the table in each branch below).
 *
 * Reverse (`fromVendorTicker`, used by `bootstrap --symbols EURUSD=X,AAPL`): a config override that maps to
 * the ticker wins; then an instrument in the config whose ticker part matches (so `IBM` becomes `NYSE:IBM`
 * when the config lists NYSE:IBM); then these defaults:
 * - Yahoo `XXXYYY=X` → `FX:XXXYYY`; `JPY=X` (Yahoo's USD-base shorthand) → `FX:USDJPY`.
 * - Yahoo `ROOT=F` → `<exchange of ROOT>:ROOT1!` (ES → CME_MINI, YM → CBOT_MINI, ZN → CBOT, CL → NYMEX, GC → COMEX, else CME).
 * - Yahoo `BTC-USD` → `COINBASE:BTCUSD` (Yahoo's USD crypto quotes are composites; Coinbase is the largest USD
 *   venue, so cross-source drift against it is meaningful); `BTC-USDT` → `BINANCE:BTCUSDT` (stablecoin quotes
 *   trade on Binance).
 * - Yahoo exchange suffixes → the TradingView prefix: `VOD.L` → `LSE:VOD`, `7203.T` → `TSE:7203`, `0700.HK` →
 *   `HKEX:0700`, `RELIANCE.NS` → `NSE:RELIANCE` … (and back: `LSE:VOD` → `VOD.L`, `HKEX:700` → `0700.HK`).
 * - Plain tickers (`AAPL`, `BRK-B`) → `NASDAQ:AAPL`, `NASDAQ:BRK.B`: dqctl cannot know the listing venue, and every
 *   US equity exchange shares one calendar, so NASDAQ is a safe default; list the instrument in the config to
 *   name the real one.
 * - Binance `BTCUSDT` → `BINANCE:BTCUSDT`; FRED `DGS10` → `FRED:DGS10`; Alpha Vantage `EUR/USD` → `FX:EURUSD`;
 *   TradingView tickers already are dqctl ids.
 */
import type { Config } from "../config/schema.ts";
import { ConfigError } from "../errors.ts";
import { profileForExchange } from "../model/profile.ts";
import { parseSymbol, type SymbolId } from "../model/symbol.ts";

/** Quote currencies recognised at the end of a crypto pair, longest first. */
const CRYPTO_QUOTES = ["FDUSD", "USDT", "USDC", "BUSD", "TUSD", "DAI", "USD", "EUR", "GBP", "JPY", "TRY", "BRL", "BTC", "ETH", "BNB"];

/** Yahoo futures suffixes for dated contracts (e.g. `ESZ24.CME`). */
const YAHOO_FUTURES_SUFFIX: Record<string, string> = { CME: "CME", CME_MINI: "CME", CBOT: "CBT", CBOT_MINI: "CBT", NYMEX: "NYM", COMEX: "CMX" };

/** Continuous-future roots whose home exchange is not plain CME. */
const FUTURES_ROOT_EXCHANGE: Record<string, string> = {
  ES: "CME_MINI",
  NQ: "CME_MINI",
  RTY: "CME_MINI",
  MES: "CME_MINI",
  MNQ: "CME_MINI",
  M2K: "CME_MINI",
  YM: "CBOT_MINI",
  MYM: "CBOT_MINI",
  ZN: "CBOT",
  ZB: "CBOT",
  ZF: "CBOT",
  ZT: "CBOT",
  ZC: "CBOT",
  ZS: "CBOT",
  ZW: "CBOT",
  ZL: "CBOT",
  ZM: "CBOT",
  CL: "NYMEX",
  NG: "NYMEX",
  RB: "NYMEX",
  HO: "NYMEX",
  PL: "NYMEX",
  PA: "NYMEX",
  MCL: "NYMEX",
  GC: "COMEX",
  SI: "COMEX",
  HG: "COMEX",
  MGC: "COMEX",
};

/** Yahoo exchange suffixes → dqctl exchange (the TradingView prefix; each maps to its calendar in src/calendar/registry.ts). */
const YAHOO_SUFFIX_EXCHANGE: Record<string, string> = {
  L: "LSE",
  DE: "XETR",
  PA: "EURONEXT",
  AS: "EURONEXT",
  BR: "EURONEXT",
  LS: "EURONEXT",
  SW: "SIX",
  MC: "BME",
  MI: "MIL",
  T: "TSE",
  HK: "HKEX",
  SS: "SSE",
  SZ: "SZSE",
  KS: "KRX",
  KQ: "KOSDAQ",
  BO: "BSE",
  NS: "NSE",
  AX: "ASX",
  TO: "TSX",
  V: "TSXV",
  JO: "JSE",
  TA: "TASE",
  SI: "SGX",
  SA: "BMFBOVESPA",
};

/** dqctl exchange → the Yahoo suffix its tickers carry (EURONEXT: Paris, the listing most vendors default to). */
const EXCHANGE_YAHOO_SUFFIX: Record<string, string> = Object.fromEntries(
  Object.entries(YAHOO_SUFFIX_EXCHANGE)
    .filter(([suffix]) => !["AS", "BR", "LS"].includes(suffix))
    .map(([suffix, ex]) => [ex, suffix]),
);

/** Split a crypto pair `BTCUSDT` into base and quote; undefined when no known quote ends it. */
export function splitCryptoPair(ticker: string): { base: string; quote: string } | undefined {
  const t = ticker.replace(/[-/_]/g, "").toUpperCase();
  for (const q of CRYPTO_QUOTES) {
    if (t.length > q.length && t.endsWith(q)) return { base: t.slice(0, -q.length), quote: q };
  }
  return undefined;
}

/** Split a 6-letter FX pair `EURUSD` (or `EUR/USD`) into its two currencies. */
export function splitFxPair(ticker: string): { from: string; to: string } | undefined {
  const m = /^([A-Z]{3})[/_-]?([A-Z]{3})$/.exec(ticker.toUpperCase());
  return m ? { from: m[1]!, to: m[2]! } : undefined;
}

function override(vendor: string, symbol: SymbolId, config: Config): string | undefined {
  return config.instruments?.[symbol.id]?.tickers?.[vendor];
}

/** The vendor's ticker for a dqctl symbol: config `instruments["<id>"].tickers.<vendor>` wins, else derived from the id. */
export function toVendorTicker(vendor: string, symbol: SymbolId, config: Config): string {
  const o = override(vendor, symbol, config);
  if (o) return o;
  const profile = config.instruments?.[symbol.id]?.profile ?? profileForExchange(symbol.exchange);
  const t = symbol.ticker;
  switch (vendor) {
    case "yahoo": {
      if (profile === "forex") return `${t}=X`; // FX:EURUSD → EURUSD=X
      if (profile === "crypto") {
        const p = splitCryptoPair(t);
        return p ? `${p.base}-${p.quote}` : t; // BINANCE:BTCUSDT → BTC-USDT, COINBASE:BTCUSD → BTC-USD
      }
      if (profile === "futures") {
        const cont = /^([A-Z0-9]+?)\d!$/.exec(t);
        if (cont) return `${cont[1]}=F`; // CME_MINI:ES1! → ES=F
        const suffix = YAHOO_FUTURES_SUFFIX[symbol.exchange];
        return suffix ? `${t}.${suffix}` : t; // CME:ESZ2024 → ESZ2024.CME
      }
      const suffix = EXCHANGE_YAHOO_SUFFIX[symbol.exchange];
      // LSE:VOD → VOD.L; Hong Kong codes are four digits on Yahoo (HKEX:700 → 0700.HK).
      if (suffix) return `${suffix === "HK" && /^\d+$/.test(t) ? t.padStart(4, "0") : t.replace(/\./g, "-")}.${suffix}`;
      return t.replace(/\./g, "-"); // NYSE:BRK.B → BRK-B
    }
    case "binance":
      return t.replace(/[-/_]/g, "");
    case "alphavantage": {
      if (profile === "forex") {
        const p = splitFxPair(t);
        if (p) return `${p.from}/${p.to}`; // FX:EURUSD → EUR/USD (FX_DAILY from_symbol/to_symbol)
      }
      return t; // Alpha Vantage keeps share-class dots: BRK.B
    }
    case "fred":
      return t; // FRED:DGS10 → DGS10 (the series id)
    case "tradingview":
      return symbol.id;
    default:
      return t;
  }
}

function configMatch(vendor: string, ticker: string, config: Config): SymbolId | undefined {
  const entries = Object.entries(config.instruments ?? {});
  const want = ticker.toUpperCase();
  for (const [id, inst] of entries) {
    if (inst.tickers?.[vendor]?.toUpperCase() === want) return parseSymbol(id);
  }
  return undefined;
}

/** A config instrument with this plain ticker on an equity exchange (the "instrument reference"). */
function referenceMatch(ticker: string, config: Config): SymbolId | undefined {
  for (const id of Object.keys(config.instruments ?? {})) {
    const i = id.indexOf(":");
    if (i > 0 && id.slice(i + 1).toUpperCase() === ticker) return parseSymbol(id);
  }
  return undefined;
}

function fromYahoo(t: string, config: Config): SymbolId {
  const fx = /^([A-Z]{3}|[A-Z]{6})=X$/.exec(t);
  if (fx) return parseSymbol(fx[1]!.length === 3 ? `FX:USD${fx[1]}` : `FX:${fx[1]}`);
  const fut = /^([A-Z0-9]+)=F$/.exec(t);
  if (fut) return parseSymbol(`${FUTURES_ROOT_EXCHANGE[fut[1]!] ?? "CME"}:${fut[1]}1!`);
  const crypto = /^([A-Z0-9]+)-(USD|USDT|USDC|EUR|GBP|BTC|ETH)$/.exec(t);
  if (crypto) {
    const venue = crypto[2] === "USD" || crypto[2] === "EUR" || crypto[2] === "GBP" ? "COINBASE" : "BINANCE";
    return parseSymbol(`${venue}:${crypto[1]}${crypto[2]}`);
  }
  if (t.startsWith("^")) {
    throw new ConfigError(`yahoo ticker ${t}: indices have no default dqctl id`, `add an instrument with tickers.yahoo = "${t}" to the config`);
  }
  const suffixed = /^([A-Z0-9-]+)\.([A-Z]{1,2})$/.exec(t);
  if (suffixed) {
    const ex = YAHOO_SUFFIX_EXCHANGE[suffixed[2]!];
    if (!ex) throw new ConfigError(`yahoo ticker ${t}: unknown exchange suffix .${suffixed[2]}`, `add an instrument with tickers.yahoo = "${t}" to the config`);
    return parseSymbol(`${ex}:${suffixed[1]!.replace(/-/g, ".")}`);
  }
  const plain = t.replace(/-/g, ".");
  return referenceMatch(plain, config) ?? parseSymbol(`NASDAQ:${plain}`);
}

/** The dqctl id of a vendor ticker (the reverse of toVendorTicker; see the module comment for the defaults). */
export function fromVendorTicker(vendor: string, ticker: string, config: Config): SymbolId {
  const t = ticker.trim().toUpperCase();
  const hit = configMatch(vendor, t, config);
  if (hit) return hit;
  if (t.includes(":") && !t.includes("/")) return parseSymbol(t); // already a dqctl id
  switch (vendor) {
    case "yahoo":
      return fromYahoo(t, config);
    case "binance":
      return parseSymbol(`BINANCE:${t.replace(/[-/_]/g, "")}`);
    case "alphavantage": {
      const fx = /^([A-Z]{3})\/([A-Z]{3})$/.exec(t);
      if (fx) return parseSymbol(`FX:${fx[1]}${fx[2]}`);
      return referenceMatch(t, config) ?? parseSymbol(`NASDAQ:${t}`);
    }
    case "fred":
      return parseSymbol(`FRED:${t}`);
    default:
      return referenceMatch(t, config) ?? parseSymbol(`NASDAQ:${t}`);
  }
}
